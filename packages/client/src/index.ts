/**
 * `@datafold-ci/client`: calls Datafold's CI API — start a PR/MR run, list runs, upload PR changes —
 * with auth, retries, timeouts, input validation and typed errors, one method per operation of
 * Datafold's OpenAPI document, over openapi-fetch.
 * @packageDocumentation
 */
export type {
  APIPrDetails,
  ApiCiRun,
  CiDiff,
  OperationMethods,
  SubmitCiJob,
  ValidationError,
} from "@datafold-ci/types";
export { checkInput, checkTriggerInput } from "./check-trigger-input.js";
export { createDatafoldClient, type DatafoldClient } from "./create-datafold-client.js";
export { DatafoldApiError, type DatafoldApiErrorOptions } from "./errors/datafold-api-error.js";
export { DatafoldAuthError } from "./errors/datafold-auth-error.js";
export { DatafoldConnectionError } from "./errors/datafold-connection-error.js";
export { DatafoldError, type DatafoldErrorOptions } from "./errors/datafold-error.js";
export { DatafoldInputError } from "./errors/datafold-input-error.js";
export { DatafoldInvalidResponseError } from "./errors/datafold-invalid-response-error.js";
export { DatafoldNotFoundError } from "./errors/datafold-not-found-error.js";
export { DatafoldRateLimitError } from "./errors/datafold-rate-limit-error.js";
export { DatafoldServerError } from "./errors/datafold-server-error.js";
export { DatafoldTimeoutError } from "./errors/datafold-timeout-error.js";
export { DatafoldValidationError } from "./errors/datafold-validation-error.js";
export * from "./errors/type-guards.js";
export type { InputIssue } from "./input-issue.js";
export {
  classifyNetworkFailure,
  classifyProxyAnswer,
  type NetworkFailure,
  type NetworkFailureKind,
} from "./network-failure.js";
export type { CallOptions, DatafoldClientOptions, TriggerOptions } from "./options.js";
export { API_KEY_VARIABLES, DEFAULT_BASE_URL, type ResolvedConfig } from "./resolve-config.js";
export type { RetryEvent } from "./retry-event.js";
export { MAX_RETRY_AFTER_MS, RETRYABLE_STATUSES, TRIGGER_RETRYABLE_STATUSES } from "./retry-policy.js";
export type { Runtime } from "./runtime.js";
export type { StartedRunCheckEvent } from "./started-run-check.js";
export {
  type CiRunLister,
  type CiRunOutcome,
  type CiRunPollFailure,
  type CiRunStatusEvent,
  TERMINAL_CI_RUN_STATUSES,
  type WaitForCiRunOptions,
  waitForCiRun,
} from "./wait-for-ci-run.js";
