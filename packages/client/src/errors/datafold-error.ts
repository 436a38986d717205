/** What every Datafold error can carry besides its message. */
export interface DatafoldErrorOptions {
  /** The underlying error (a `fetch` failure, say), kept for debugging; never holds the API key. */
  readonly cause?: unknown;
  /** HTTP attempts made before giving up. */
  readonly attempts?: number;
}

/**
 * Base class of every error `@datafold-ci/client` throws.
 *
 * Deliberately not a `DatafoldError`: a caller's own abort (the promise rejects with the
 * `AbortSignal`'s reason, untouched) and exceptions thrown by the caller's `onRetry` hook or `fetch`
 * middleware, which propagate as they are.
 */
export class DatafoldError extends Error {
  override name: string = "DatafoldError";
  /** HTTP attempts made before giving up; absent when no request was sent (input errors). */
  declare readonly attempts?: number;

  constructor(message: string, options: DatafoldErrorOptions = {}) {
    super(message, "cause" in options ? { cause: options.cause } : undefined);
    if (options.attempts !== undefined) this.attempts = options.attempts;
  }
}
