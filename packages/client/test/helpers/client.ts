import { fakeValue } from "@datafold-ci/testing";
import { createDatafoldClientWithRuntime } from "../../src/create-datafold-client.js";
import type { DatafoldMethods } from "../../src/generated/datafold-api.js";
import type { DatafoldClientOptions } from "../../src/options.js";
import { instantRuntime } from "./runtime.js";
import { testKey } from "./secrets.js";

/**
 * A valid PR, as a CI job would describe it: the fields the tests name, and whatever else the spec
 * requires made from it, so a field Datafold adds needs no edit here.
 */
export const details = fakeValue("triggerPrRun", "body", {
  pr_number: 42,
  pr_branch: "feature/orders",
  base_branch: "main",
  pr_sha: "9f1c2b7e4d5a6f708192a3b4c5d6e7f809a1b2c3",
  base_sha: "27ab3c4d5e6f708192a3b4c5d6e7f809a1b2c3d4",
});

/**
 * A method of `client` by the name the override file gives it, or, when this build's spec has no such
 * operation (Datafold removed it), a stand-in that throws: the tests of that method still compile, and
 * fail saying why.
 */
export function methodOf<N extends string>(
  client: object,
  name: N,
): N extends keyof DatafoldMethods ? DatafoldMethods[N] : (...args: unknown[]) => Promise<never> {
  const method: unknown = Reflect.get(client, name);
  if (typeof method === "function") return method as never;
  return (async () => {
    throw new Error(`this build's spec has no operation for the client method ${name}`);
  }) as never;
}

/**
 * A client with a fresh test key, no environment, and instant back-off waits (recorded in
 * `sleeps`). Options override.
 */
export function testClient(options: DatafoldClientOptions = {}, runtime = instantRuntime()) {
  const apiKey = options.apiKey ?? testKey();
  const client = createDatafoldClientWithRuntime({ env: {}, ...options, apiKey }, runtime);
  return Object.assign(client, { apiKey, sleeps: runtime.sleeps });
}
