/**
 * `@datafold-ci/client`: calls Datafold's CI API (start a PR/MR run, list runs, upload PR changes)
 * with auth, retries, one time budget per call, input validation and typed errors: one method per
 * operation of Datafold's OpenAPI document, over openapi-fetch. `API.md` lists every method.
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
  ClientWarning,
  DatafoldClientOptions,
  LookForStartedRunOptions,
  RetryEvent,
  StartedRunCheckEvent,
} from "./options.js";
export { classifyNetworkFailure, type NetworkFailure, type NetworkFailureKind } from "./network-failure.js";
export type { Runtime } from "./runtime.js";
export {
  type CiRunHeartbeatEvent,
  type CiRunLister,
  type CiRunOutcome,
  type CiRunPollFailure,
  type CiRunStatusEvent,
  defaultHeartbeatMs,
  TERMINAL_CI_RUN_STATUSES,
  WAIT_FINAL_CHECK_MS,
  type WaitForCiRunOptions,
  waitForCiRun,
} from "./wait-for-ci-run.js";
