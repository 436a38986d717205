import { datafoldApi } from "@datafold-ci/api-description";
import type { OperationMethods, paths } from "@datafold-ci/types";
import openapiFetch, { type Client } from "openapi-fetch";
import { type CallContext, createOperationCall, type RetryGuard } from "./call-operation.js";
import type { CallOptions, DatafoldClientOptions, TriggerOptions } from "./options.js";
import { type ResolvedConfig, resolveClientConfig } from "./resolve-config.js";
import { createResilientFetch, type ResilientFetchSettings } from "./resilient-fetch.js";
import { defaultRuntime, type Runtime } from "./runtime.js";
import { startedRunCheck } from "./started-run-check.js";

// The CJS build loads openapi-fetch's CJS file, whose function is `exports.default`; esbuild, like
// Node, makes a default import of CommonJS the whole `module.exports`. Unwrap it there.
const createClient = (openapiFetch as unknown as { default?: typeof openapiFetch }).default ?? openapiFetch;

/**
 * A configured Datafold client; see {@link createDatafoldClient}. It has one method per operation
 * in `spec/`, generated (`OperationMethods` in `@datafold-ci/types`), among them:
 *
 * - `triggerPrRun(ciConfigId, details, options?)`: starts a PR/MR run. Resolves with Datafold's
 *   answer; `ci_run_id` null or absent is success too: Datafold accepted the call but started no
 *   run (the CI config requires a PR label, ignores the changed files, …).
 * - `listCiRuns(ciConfigId, query?, options?)`: the config's runs, newest first, filtered by
 *   `pr_sha`, `pr_num`, paged by `limit` and `offset`.
 * - `uploadPrChanges(ciConfigId, prNum, diffs, options?)`: attaches the PR's changed tables to its
 *   waiting run; null ids mean no run was waiting for that PR.
 *
 * Every method:
 * @throws {DatafoldInputError} before any request, naming every bad argument.
 * @throws {DatafoldApiError} (or a subclass) when Datafold answers with an error status.
 * @throws {DatafoldConnectionError} / {DatafoldTimeoutError} when no answer came, retries included.
 * @throws {DatafoldInvalidResponseError} when a success answer is not the JSON the spec promises.
 * @throws the signal's reason when `options.signal` aborts.
 */
export type DatafoldClient = Omit<OperationMethods<CallOptions>, "triggerPrRun"> &
  Pick<OperationMethods<TriggerOptions>, "triggerPrRun"> & {
    /**
     * The openapi-fetch client over every operation in the spec, with the same auth, retries and
     * timeouts. Error answers are returned as `{ error, response }`, openapi-fetch style; only
     * connection failures and timeouts throw.
     */
    readonly api: Client<paths>;
    /** Where requests go: the resolved base URL, without a trailing slash. */
    readonly baseUrl: string;
    /** The resolved options, each with where it came from, for tools that report them. */
    readonly config: ResolvedConfig;
  };

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
  const context: CallContext = { api, description: datafoldApi, config, runtime, resilientFetch };
  // The one operation that is not safe to repeat: a retried trigger can start a second run (issue 11).
  const guards: Record<string, RetryGuard> = {
    triggerPrRun: startedRunCheck(() => methods.listCiRuns as never, config.onStartedRunCheck),
  };
  const methods: Record<string, (...args: unknown[]) => Promise<unknown>> = Object.fromEntries(
    datafoldApi.operations.map((operation) => [
      operation.clientMethod.name,
      createOperationCall(context, operation, guards[operation.clientMethod.name]),
    ]),
  );
  const { baseUrl, baseUrlSource, apiKeySource, timeoutMs, maxRetries } = config;
  const resolved: ResolvedConfig = { baseUrl, baseUrlSource, apiKeySource, timeoutMs, maxRetries };
  return { ...methods, api, baseUrl, config: resolved } as unknown as DatafoldClient;
}
