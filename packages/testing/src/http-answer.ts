import type { ValidationIssue } from "./validate.js";

/** A complete HTTP response, transport-neutral: the node server and the msw handlers both send these. */
export interface HttpAnswer {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

const encoder = new TextEncoder();
const JSON_TYPE = "application/json";

/** `body` as Starlette's `JSONResponse` sends it: compact JSON, `application/json`. */
export function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}): HttpAnswer {
  return {
    status,
    headers: { "content-type": JSON_TYPE, ...headers },
    body: encoder.encode(JSON.stringify(body)),
  };
}

/** FastAPI's answer to an `HTTPException`: `{"detail": "..."}`. */
export function detailAnswer(
  status: number,
  detail: string,
  headers: Record<string, string> = {},
): HttpAnswer {
  return jsonAnswer(status, { detail }, headers);
}

/** Starlette's `ServerErrorMiddleware` answer to an exception in the app. */
export function internalErrorAnswer(): HttpAnswer {
  return {
    status: 500,
    headers: { "content-type": "text/plain; charset=utf-8" },
    body: encoder.encode("Internal Server Error"),
  };
}

/** An empty-bodied answer, e.g. the `307` of a trailing-slash redirect. */
export function emptyAnswer(status: number, headers: Record<string, string> = {}): HttpAnswer {
  return { status, headers, body: new Uint8Array() };
}

/**
 * FastAPI's `RequestValidationError` answer: 422 `{"detail": [{type, loc, msg, input, ctx?}]}`,
 * without pydantic's `url` (FastAPI asks for `include_url=False`).
 */
export function validationErrorAnswer(issues: readonly ValidationIssue[]): HttpAnswer {
  const detail = issues.map(({ type, loc, msg, input, ctx }) => ({
    type,
    loc,
    msg,
    input: input === undefined ? null : input,
    ...(ctx !== undefined && { ctx }),
  }));
  // Starlette serialises with allow_nan=False: an error echoing NaN or Infinity (Python's json reads
  // both) makes FastAPI fail with a 500, not a 422.
  if (containsNonFinite(detail)) return internalErrorAnswer();
  return jsonAnswer(422, { detail });
}

function containsNonFinite(value: unknown): boolean {
  if (typeof value === "number") return !Number.isFinite(value);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsNonFinite);
  return false;
}

/** Encodes a `respond` fault's body: bytes and strings as they are, anything else as JSON. */
export function encodeBody(body: unknown): { bytes: Uint8Array; contentType?: string } {
  if (body === undefined) return { bytes: new Uint8Array() };
  if (body instanceof Uint8Array) return { bytes: body };
  if (typeof body === "string")
    return { bytes: encoder.encode(body), contentType: "text/plain; charset=utf-8" };
  return { bytes: encoder.encode(JSON.stringify(body)), contentType: JSON_TYPE };
}
