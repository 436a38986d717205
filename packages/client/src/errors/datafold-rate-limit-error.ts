import { DatafoldApiError, type DatafoldApiErrorOptions } from "./datafold-api-error.js";

/**
 * Datafold answered 429 on the last attempt, or asked (with `Retry-After`) for a longer wait than
 * the client is willing to make (60 s).
 */
export class DatafoldRateLimitError extends DatafoldApiError {
  override readonly name = "DatafoldRateLimitError" as const;
  /** The wait Datafold asked for, from `retry-after-ms` or `Retry-After`. */
  declare readonly retryAfterMs?: number;

  constructor(message: string, options: DatafoldApiErrorOptions & { readonly retryAfterMs?: number }) {
    super(message, options);
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}
