/**
 * One request as the mock received it, for assertions. Safe to print or snapshot: the
 * `authorization` header reads `"[REDACTED]"`, and any other place the mock's API key turns up
 * (a header, the path, the query, the body) has it replaced by `"[REDACTED]"` too, so finding
 * `[REDACTED]` outside `authorization` means the code under test leaked its key.
 */
export interface RecordedRequest {
  /** Upper-case method, e.g. `POST`. */
  method: string;
  /** The path as sent, without the query and not percent-decoded, e.g. `/api/v1/ci/42/trigger`. */
  path: string;
  /** Query parameters; of a repeated one, the last value (the one FastAPI reads). */
  query: Record<string, string>;
  /** Lower-case names; the `authorization` value replaced by `"[REDACTED]"`. */
  headers: Record<string, string>;
  /** Parsed JSON, or the raw text when it is not JSON, `undefined` when empty. */
  body: unknown;
  /** The operation the route matched, when it matched one. */
  operationId?: string;
  /** What the mock answered: `0` while pending and for `hang` and `reset`. */
  status: number;
}
