import type { APIPrDetails, paths, SubmitCiJob } from "@datafold-ci/types";
import openapiFetch, { type Client } from "openapi-fetch";
import type { DatafoldClientOptions, TriggerOptions } from "./options.js";
import { resolveClientConfig } from "./resolve-config.js";
import { createResilientFetch, type ResilientFetchSettings } from "./resilient-fetch.js";
import { defaultRuntime, type Runtime } from "./runtime.js";
import { type TriggerContext, triggerPrRun } from "./trigger-pr-run.js";

// The CJS build loads openapi-fetch's CJS file, whose function is `exports.default`; esbuild, like
// Node, makes a default import of CommonJS the whole `module.exports`. Unwrap it there.
const createClient = (openapiFetch as unknown as { default?: typeof openapiFetch }).default ?? openapiFetch;

/** A configured Datafold client; see {@link createDatafoldClient}. */
export interface DatafoldClient {
  /**
   * Starts a PR/MR run: `POST /api/v1/ci/{ci_config_id}/trigger`.
   *
   * Resolves with Datafold's answer. `ci_run_id` null or absent is success too: Datafold accepted
   * the call but started no run (the CI config requires a PR label, ignores the changed files, …).
   *
   * @param ciConfigId the CI config's id (Datafold → Settings → CI), a positive integer.
   * @param details the PR, in the API's wire names: `pr_number`, `pr_branch`, `base_branch`, `pr_sha`, `base_sha`.
   * @throws {DatafoldInputError} before any request, naming every bad field.
   * @throws {DatafoldApiError} (or a subclass) when Datafold answers with an error status.
   * @throws {DatafoldConnectionError} / {DatafoldTimeoutError} when no answer came, retries included.
   * @throws {DatafoldInvalidResponseError} when a success answer is not the JSON the spec promises.
   * @throws the signal's reason when `options.signal` aborts.
   */
  triggerPrRun(ciConfigId: number, details: APIPrDetails, options?: TriggerOptions): Promise<SubmitCiJob>;
  /**
   * The openapi-fetch client over every operation in the spec, with the same auth, retries and
   * timeouts. Error answers are returned as `{ error, response }`, openapi-fetch style; only
   * connection failures and timeouts throw.
   */
  readonly api: Client<paths>;
  /** Where requests go: the resolved base URL, without a trailing slash. */
  readonly baseUrl: string;
}

/**
 * Creates a Datafold client. Options default to the environment (`DATAFOLD_API_KEY`,
 * `DATAFOLD_HOST`) and are all checked here.
 *
 * @throws {DatafoldInputError} listing every bad option (no API key, a base URL without a scheme, …).
 * @example
 * const datafold = createDatafoldClient();
 * const job = await datafold.triggerPrRun(1234, {
 *   pr_number: 42, pr_branch: "feature", base_branch: "main", pr_sha: "9f1c…", base_sha: "27ab…",
 * });
 * if (job.ci_run_id == null) console.log("Datafold started no run for this PR");
 */
export function createDatafoldClient(options: DatafoldClientOptions = {}): DatafoldClient {
  return createDatafoldClientWithRuntime(options, defaultRuntime);
}

/** {@link createDatafoldClient} with its clock and dice replaced; not exported from the package. */
export function createDatafoldClientWithRuntime(
  options: DatafoldClientOptions,
  runtime: Runtime,
): DatafoldClient {
  const config = resolveClientConfig(options);
  const resilientFetch = (overrides: Partial<ResilientFetchSettings>) =>
    createResilientFetch({
      fetch: config.fetch,
      timeoutMs: config.timeoutMs,
      maxRetries: config.maxRetries,
      onRetry: config.onRetry,
      secret: config.apiKey,
      runtime,
      ...overrides,
    });
  const api = createClient<paths>({
    baseUrl: config.baseUrl,
    headers: config.headers,
    fetch: resilientFetch({}),
  });
  // Middleware is promised a real Request; once any is registered, triggerPrRun lets openapi-fetch
  // build one rather than send a PlainRequest (ejecting it later does not switch back: simpler).
  let middleware = false;
  const use = api.use;
  api.use = (...list) => {
    middleware ||= list.some(Boolean);
    use(...list);
  };
  const context: TriggerContext = { api, config, runtime, resilientFetch, plainRequests: () => !middleware };
  return {
    api,
    baseUrl: config.baseUrl,
    triggerPrRun: (ciConfigId, details, triggerOptions) =>
      triggerPrRun(context, ciConfigId, details, triggerOptions),
  };
}
