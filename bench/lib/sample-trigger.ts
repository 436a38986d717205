import { fakeValue } from "../../packages/testing/src/fake-value.js";

/** The one request every benchmark sends: a realistic PR's facts. */
export const SAMPLE_CI_CONFIG_ID = 123;

/**
 * A realistic PR's facts as the trigger's body: made by the kit's synthesizer with these values laid
 * over it, so a field the spec makes required is filled in and the bench needs no edit for it.
 */
export const SAMPLE_DETAILS = fakeValue("triggerPrRun", "body", {
  pr_number: 42,
  pr_branch: "feature/faster-diffs",
  base_branch: "main",
  pr_sha: "0b4f7a3c9d2e18f6a5b4c3d2e1f0a9b8c7d6e5f4",
  base_sha: "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432",
});
