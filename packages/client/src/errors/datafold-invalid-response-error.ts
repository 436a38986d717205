import { DatafoldError, type DatafoldErrorOptions } from "./datafold-error.js";

/**
 * A success status whose body is empty, not JSON, or not the shape the spec promises — often a
 * base URL that points at something other than Datafold's API (a login page, a proxy).
 */
export class DatafoldInvalidResponseError extends DatafoldError {
  override readonly name = "DatafoldInvalidResponseError" as const;
  readonly status: number;
  /** A short excerpt of the body, whitespace collapsed. */
  declare readonly bodyExcerpt?: string;

  constructor(
    message: string,
    options: DatafoldErrorOptions & { readonly status: number; readonly bodyExcerpt?: string },
  ) {
    super(message, options);
    this.status = options.status;
    if (options.bodyExcerpt !== undefined) this.bodyExcerpt = options.bodyExcerpt;
  }
}
