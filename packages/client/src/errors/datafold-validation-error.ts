import type { ValidationError } from "@datafold-ci/types";
import { DatafoldApiError, type DatafoldApiErrorOptions } from "./datafold-api-error.js";

/**
 * Datafold answered 422: it rejected the request body or path. `errors` holds FastAPI's
 * `detail` items (`{ loc, msg, type }`); the message lists each as `body.pr_number: <msg>`.
 */
export class DatafoldValidationError extends DatafoldApiError {
  override readonly name = "DatafoldValidationError" as const;
  readonly errors: readonly ValidationError[];

  constructor(
    message: string,
    options: DatafoldApiErrorOptions & { readonly errors: readonly ValidationError[] },
  ) {
    super(message, options);
    this.errors = options.errors;
  }
}
