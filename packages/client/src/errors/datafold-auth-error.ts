import { DatafoldApiError } from "./datafold-api-error.js";

/** Datafold answered 401 or 403: the API key is missing, malformed, revoked or lacks access. */
export class DatafoldAuthError extends DatafoldApiError {
  override readonly name = "DatafoldAuthError" as const;
}
