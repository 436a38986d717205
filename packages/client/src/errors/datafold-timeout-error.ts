import { DatafoldError, type DatafoldErrorOptions } from "./datafold-error.js";

/**
 * The last attempt got no complete response within `timeoutMs`. Not thrown for a caller's own
 * abort, which rejects with the signal's reason instead.
 */
export class DatafoldTimeoutError extends DatafoldError {
  override readonly name = "DatafoldTimeoutError" as const;
  /** Always `"timeout"`: a connection error's `kind` names what failed; this one says nothing answered in time. */
  readonly kind = "timeout" as const;
  /** The per-attempt limit that was exceeded. */
  readonly timeoutMs: number;

  constructor(message: string, options: DatafoldErrorOptions & { readonly timeoutMs: number }) {
    super(message, options);
    this.timeoutMs = options.timeoutMs;
  }
}
