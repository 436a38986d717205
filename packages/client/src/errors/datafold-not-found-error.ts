import { DatafoldApiError } from "./datafold-api-error.js";

/**
 * Datafold answered 404: the CI config id is wrong, or — Datafold has answered 404 to unrecognised
 * API keys — the key does not belong to this Datafold host.
 */
export class DatafoldNotFoundError extends DatafoldApiError {
  override readonly name = "DatafoldNotFoundError" as const;
}
