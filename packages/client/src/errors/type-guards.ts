import type { DatafoldApiError } from "./datafold-api-error.js";
import type { DatafoldAuthError } from "./datafold-auth-error.js";
import type { DatafoldConnectionError } from "./datafold-connection-error.js";
import type { DatafoldError } from "./datafold-error.js";
import type { DatafoldInputError } from "./datafold-input-error.js";
import type { DatafoldInvalidResponseError } from "./datafold-invalid-response-error.js";
import type { DatafoldNotFoundError } from "./datafold-not-found-error.js";
import type { DatafoldRateLimitError } from "./datafold-rate-limit-error.js";
import type { DatafoldServerError } from "./datafold-server-error.js";
import type { DatafoldTimeoutError } from "./datafold-timeout-error.js";
import type { DatafoldValidationError } from "./datafold-validation-error.js";

// Guards compare `name` rather than use `instanceof`, so they also recognise errors from another
// realm (a vm context, an iframe) or another copy of this package (the ESM and CJS builds loaded
// side by side), where neither `DatafoldError` nor `Error` is the same constructor.
const guard =
  <T extends DatafoldError>(...names: readonly string[]) =>
  (error: unknown): error is T =>
    typeof error === "object" &&
    error !== null &&
    names.includes((error as { name?: unknown }).name as string);

const apiErrorNames = [
  "DatafoldApiError",
  "DatafoldValidationError",
  "DatafoldAuthError",
  "DatafoldNotFoundError",
  "DatafoldRateLimitError",
  "DatafoldServerError",
] as const;

/** Whether `error` is a {@link DatafoldApiError} or one of its subclasses. */
export const isDatafoldApiError = guard<DatafoldApiError>(...apiErrorNames);
/** Whether `error` is any error thrown by `@datafold-ci/client`. */
export const isDatafoldError = guard<DatafoldError>(
  "DatafoldError",
  "DatafoldInputError",
  "DatafoldConnectionError",
  "DatafoldTimeoutError",
  "DatafoldInvalidResponseError",
  ...apiErrorNames,
);
/** Whether `error` is a {@link DatafoldInputError}. */
export const isDatafoldInputError = guard<DatafoldInputError>("DatafoldInputError");
/** Whether `error` is a {@link DatafoldValidationError} (HTTP 422). */
export const isDatafoldValidationError = guard<DatafoldValidationError>("DatafoldValidationError");
/** Whether `error` is a {@link DatafoldAuthError} (HTTP 401/403). */
export const isDatafoldAuthError = guard<DatafoldAuthError>("DatafoldAuthError");
/** Whether `error` is a {@link DatafoldNotFoundError} (HTTP 404). */
export const isDatafoldNotFoundError = guard<DatafoldNotFoundError>("DatafoldNotFoundError");
/** Whether `error` is a {@link DatafoldRateLimitError} (HTTP 429). */
export const isDatafoldRateLimitError = guard<DatafoldRateLimitError>("DatafoldRateLimitError");
/** Whether `error` is a {@link DatafoldServerError} (HTTP 5xx). */
export const isDatafoldServerError = guard<DatafoldServerError>("DatafoldServerError");
/** Whether `error` is a {@link DatafoldConnectionError}. */
export const isDatafoldConnectionError = guard<DatafoldConnectionError>("DatafoldConnectionError");
/** Whether `error` is a {@link DatafoldTimeoutError}. */
export const isDatafoldTimeoutError = guard<DatafoldTimeoutError>("DatafoldTimeoutError");
/** Whether `error` is a {@link DatafoldInvalidResponseError}. */
export const isDatafoldInvalidResponseError = guard<DatafoldInvalidResponseError>(
  "DatafoldInvalidResponseError",
);
