import type { APIPrDetails } from "../../packages/types/src/index.js";

/** The one request every benchmark sends: a realistic PR's facts. */
export const SAMPLE_CI_CONFIG_ID = 123;

export const SAMPLE_DETAILS: APIPrDetails = {
  pr_number: 42,
  pr_branch: "feature/faster-diffs",
  base_branch: "main",
  pr_sha: "0b4f7a3c9d2e18f6a5b4c3d2e1f0a9b8c7d6e5f4",
  base_sha: "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432",
};
