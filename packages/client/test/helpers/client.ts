import type { APIPrDetails } from "@datafold-ci/types";
import { createDatafoldClientWithRuntime } from "../../src/create-datafold-client.js";
import type { DatafoldClientOptions } from "../../src/options.js";
import { instantRuntime } from "./runtime.js";
import { testKey } from "./secrets.js";

/** A valid PR, as a CI job would describe it. */
export const details: APIPrDetails = {
  pr_number: 42,
  pr_branch: "feature/orders",
  base_branch: "main",
  pr_sha: "9f1c2b7e4d5a6f708192a3b4c5d6e7f809a1b2c3",
  base_sha: "27ab3c4d5e6f708192a3b4c5d6e7f809a1b2c3d4",
};

/**
 * A client with a fresh test key, no environment, and instant back-off waits (recorded in
 * `sleeps`). Options override.
 */
export function testClient(options: DatafoldClientOptions = {}, runtime = instantRuntime()) {
  const apiKey = options.apiKey ?? testKey();
  const client = createDatafoldClientWithRuntime({ env: {}, ...options, apiKey }, runtime);
  return Object.assign(client, { apiKey, sleeps: runtime.sleeps });
}
