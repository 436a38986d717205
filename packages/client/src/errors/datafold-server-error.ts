import { DatafoldApiError } from "./datafold-api-error.js";

/** Datafold, or a gateway in front of it, answered with a 5xx status on the last attempt. */
export class DatafoldServerError extends DatafoldApiError {
  override readonly name = "DatafoldServerError" as const;
}
