/**
 * `@datafold-ci/client`: calls Datafold's CI API (start a PR/MR run, list runs, upload PR changes)
 * with auth, retries, one time budget per call, input validation and typed errors: one method per
 * operation of Datafold's OpenAPI document, over openapi-fetch. `API.md` lists every method. Two helpers
 * live in subpaths, so that a client that does not use them does not carry them: `waitForCiRun`
 * (`@datafold-ci/client/wait`) and `undeclaredFields` (`@datafold-ci/client/undeclared-fields`).
 * @packageDocumentation
 */
export type * from "@datafold-ci/types";
export { checkInput } from "./check-input.js";
export { type ClientDefaults, clientDefaults, type ResolvedConfig } from "./config.js";
export { createDatafoldClient, type DatafoldClient } from "./create-datafold-client.js";
export {
  DatafoldApiError,
  type DatafoldApiErrorOptions,
  DatafoldAuthError,
  DatafoldConnectionError,
  DatafoldError,
  type DatafoldErrorOptions,
  DatafoldInputError,
  DatafoldInvalidResponseError,
  DatafoldNotFoundError,
  DatafoldRateLimitError,
  DatafoldServerError,
  DatafoldTimeoutError,
  DatafoldValidationError,
  type FastApiValidationItem,
} from "./errors.js";
export type { DatafoldMethods, TriggerPrRunOptions } from "./generated/datafold-api.js";
export type { InputIssue } from "./input-issue.js";
export type {
  CallOptions,
  DatafoldClientOptions,
  LookForStartedRunOptions,
  RetryEvent,
  StartedRunCheckEvent,
} from "./options.js";
export { classifyNetworkFailure, type NetworkFailure, type NetworkFailureKind } from "./network-failure.js";
export type { Runtime } from "./runtime.js";
