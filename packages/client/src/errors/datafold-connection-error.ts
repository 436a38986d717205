import { classifyNetworkFailure, type NetworkFailureKind } from "../network-failure.js";
import { DatafoldError, type DatafoldErrorOptions } from "./datafold-error.js";

/**
 * No HTTP response on the last attempt: DNS failure, connection refused or reset (also mid-body),
 * TLS failure, or a proxy that refused, closed, or asked for credentials (407). `cause` is what
 * `fetch` threw; `kind` says which of these it was, so callers need not read the message.
 */
export class DatafoldConnectionError extends DatafoldError {
  override readonly name = "DatafoldConnectionError" as const;
  /** What failed: `proxy`, `tls`, `dns`, `connect` or `reset` (see `classifyNetworkFailure`). */
  readonly kind: NetworkFailureKind;

  constructor(message: string, options: DatafoldErrorOptions & { readonly kind?: NetworkFailureKind } = {}) {
    super(message, options);
    this.kind = options.kind ?? classifyNetworkFailure(options.cause).kind;
  }
}
