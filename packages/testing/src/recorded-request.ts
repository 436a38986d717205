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

/** What replaces the API key wherever the mock records or prints a request. */
export const REDACTED = "[REDACTED]";

/** `value` with every occurrence of `secret` in its strings (keys included) replaced by {@link REDACTED}. */
export function redactSecret<T>(value: T, secret: string): T {
  if (secret === "") return value;
  const redact = (item: unknown): unknown => {
    if (typeof item === "string") return item.split(secret).join(REDACTED);
    if (Array.isArray(item)) return item.map(redact);
    if (item !== null && typeof item === "object") {
      const copy: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(item)) {
        Object.defineProperty(copy, redact(key) as string, {
          value: redact(inner),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return copy;
    }
    return item;
  };
  return redact(value) as T;
}
