import { DatafoldError, type DatafoldErrorOptions } from "./datafold-error.js";

/** What Datafold answered, as far as an error may keep it. */
export interface DatafoldApiErrorOptions extends DatafoldErrorOptions {
  readonly status: number;
  /** The `detail` of a `{"detail": …}` body. */
  readonly detail?: unknown;
  /** A short excerpt of any other body, whitespace collapsed (an HTML error page is not kept whole). */
  readonly bodyExcerpt?: string;
}

/**
 * Datafold (or a proxy in front of it) answered with an error status. Base class of the
 * status-specific errors; thrown as is for statuses without one (400, 405, 418, …).
 */
export class DatafoldApiError extends DatafoldError {
  override name: string = "DatafoldApiError";
  readonly status: number;
  declare readonly detail?: unknown;
  declare readonly bodyExcerpt?: string;

  constructor(message: string, options: DatafoldApiErrorOptions) {
    super(message, options);
    this.status = options.status;
    if (options.detail !== undefined) this.detail = options.detail;
    if (options.bodyExcerpt !== undefined) this.bodyExcerpt = options.bodyExcerpt;
  }
}
