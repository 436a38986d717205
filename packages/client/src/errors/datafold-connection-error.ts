import { DatafoldError } from "./datafold-error.js";

/**
 * No HTTP response on the last attempt: DNS failure, connection refused or reset (also mid-body),
 * TLS failure. `cause` is what `fetch` threw.
 */
export class DatafoldConnectionError extends DatafoldError {
  override readonly name = "DatafoldConnectionError" as const;
}
