import type { paths } from "@datafold-ci/types";
import openapiFetch from "openapi-fetch";
import { type ClientConfig, type ResolvedConfig, resolveClientConfig } from "./config.js";
import { createDatafoldMethods, type DatafoldMethods } from "./generated/datafold-api.js";
import type { DatafoldClientOptions } from "./options.js";
import { createRequestCore } from "./request-loop.js";
import { defaultRuntime, type Runtime } from "./runtime.js";

// The CJS build loads openapi-fetch's CJS file, whose function is `exports.default`; esbuild, like
// Node, makes a default import of CommonJS the whole `module.exports`. Unwrap it there.
const createClient = (openapiFetch as { default?: typeof openapiFetch }).default ?? openapiFetch;

/**
 * A configured Datafold client: one method per operation of the spec (see `DatafoldMethods` and
 * `API.md`), among them `triggerPrRun`, `listCiRuns` and `uploadPrChanges`, plus where it sends and
 * how it is configured.
 */
export type DatafoldClient = DatafoldMethods & {
  /** Where requests go: the resolved base URL, without a trailing slash. */
  readonly baseUrl: string;
  /** The resolved options, each with where it came from, for tools that report them. The key is never here. */
  readonly config: ResolvedConfig;
};

/**
 * Creates a Datafold client. Options default to the environment (`DATAFOLD_API_KEY`, `DATAFOLD_HOST`)
 * and are all checked here, unknown names included.
 *
 * @throws {DatafoldInputError} listing every bad option (no API key, a base URL without a scheme, `timeout` for `timeoutMs`, …).
 * @example
 * const datafold = createDatafoldClient();
 * const job = await datafold.triggerPrRun(1234, {
 *   pr_number: 42, pr_branch: "feature", base_branch: "main", pr_sha: "9f1c…", base_sha: "27ab…",
 * });
 * if (job.ci_run_id == null) console.log("Datafold started no run for this PR");
 * const [run] = await datafold.listCiRuns(1234, { pr_sha: "9f1c…", limit: 1 });
 */
export function createDatafoldClient(options: DatafoldClientOptions = {}): DatafoldClient {
  return createDatafoldClientWithRuntime(options, defaultRuntime);
}

/** {@link createDatafoldClient} with its clock and dice replaced; not exported from the package. */
export function createDatafoldClientWithRuntime(
  options: DatafoldClientOptions,
  runtime: Runtime,
): DatafoldClient {
  const config: ClientConfig = resolveClientConfig(options);
  const api = createClient<paths>({
    baseUrl: config.baseUrl,
    headers: config.headers,
  });
  const { baseUrl, baseUrlSource, apiKeySource, timeoutMs, totalTimeoutMs, maxRetries } = config;
  const resolved: ResolvedConfig = {
    baseUrl,
    baseUrlSource,
    apiKeySource,
    timeoutMs,
    totalTimeoutMs,
    maxRetries,
  };
  return { ...createDatafoldMethods(createRequestCore(api, config, runtime)), baseUrl, config: resolved };
}
