import { redactSecret } from "@datafold-ci/api-description";
import type { InputIssue } from "./input-issue.js";
import { classifyNetworkFailure, type NetworkFailureKind } from "./network-failure.js";
import { MAX_RETRY_AFTER_MS } from "./retry-policy.js";

/**
 * The property that marks an error as this package's, shared across copies of it. `Symbol.for` is
 * global, so an error thrown by the CommonJS build is still `instanceof` the ES module build's class
 * (and one from another realm, such as a `vm` context), where the two constructors differ.
 */
const LINEAGE = Symbol.for("@datafold-ci/client.error-lineage");

/** What every Datafold error can carry besides its message. */
export interface DatafoldErrorOptions {
  /** The underlying error (a `fetch` failure, say), kept for debugging; never holds the API key. */
  readonly cause?: unknown;
  /** HTTP attempts made before giving up. */
  readonly attempts?: number;
  /** The call, as messages name it: `POST https://app.datafold.com/api/v1/ci/7/trigger`. */
  readonly request?: string;
  /** The client method that made the call, e.g. `triggerPrRun`. */
  readonly method?: string;
}

/**
 * Base class of every error `@datafold-ci/client` throws. `instanceof` works across the package's ES
 * module and CommonJS builds and across realms; a plain object with the same `name` is not one.
 *
 * Deliberately not a `DatafoldError`: a caller's own abort (the promise rejects with the
 * `AbortSignal`'s reason, untouched) and exceptions thrown by the caller's `onRetry` hook or `fetch`,
 * which propagate as they are.
 */
export class DatafoldError extends Error {
  /** The class's name, for `instanceof` across copies of this package. */
  static readonly errorName: string = "DatafoldError";
  override name = "DatafoldError";
  /** HTTP attempts made before giving up; absent when no request was sent (input errors). */
  declare readonly attempts?: number;
  /** The call, e.g. `POST https://app.datafold.com/api/v1/ci/7/trigger`; absent for option errors. */
  declare readonly request?: string;
  /** The client method that made the call, e.g. `triggerPrRun`. */
  declare readonly method?: string;
  declare readonly [LINEAGE]: readonly string[];

  constructor(message: string, options: DatafoldErrorOptions = {}) {
    super(message, "cause" in options ? { cause: options.cause } : undefined);
    const lineage: string[] = [];
    for (let type: unknown = new.target; type !== Error && typeof type === "function";) {
      lineage.push((type as typeof DatafoldError).errorName);
      type = Object.getPrototypeOf(type);
    }
    Object.defineProperty(this, LINEAGE, { value: lineage });
    this.name = lineage[0] ?? "DatafoldError";
    // Every subclass's facts are its options' (`status`, `kind`, `budget`, …), so one loop sets them
    // all; an option left undefined stays absent rather than present and undefined.
    for (const [key, value] of Object.entries(options))
      if (key !== "cause" && value !== undefined) Reflect.set(this, key, value);
  }

  /** `instanceof`: this class's own instances, or an error of this class from another copy of the package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // `this` is the class on the right of `instanceof`, a subclass as often as not.
    // biome-ignore lint/complexity/noThisInStatic: the check is per subclass, not DatafoldError's
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const lineage = typeof value === "object" && value !== null ? Reflect.get(value, LINEAGE) : undefined;
    // biome-ignore lint/complexity/noThisInStatic: as above
    return Array.isArray(lineage) && lineage.includes(this.errorName);
  }
}

/**
 * Invalid input, found before any request is sent: a missing API key, a malformed base URL, an unknown
 * option, a CI config id that is not a whole number of 1 or more, a PR detail that is missing, mistyped
 * or blank. `issues` names every bad field; the message lists them all.
 */
export class DatafoldInputError extends DatafoldError {
  static override readonly errorName: string = "DatafoldInputError";
  declare readonly name: "DatafoldInputError";
  readonly issues: readonly InputIssue[];

  /** @param context what was being checked, e.g. `triggerPrRun input`. */
  constructor(issues: readonly InputIssue[], context: string) {
    super(`Invalid ${context}: ${issues.map((issue) => `${issue.field}: ${issue.message}`).join("; ")}`);
    this.issues = issues;
  }
}

/** What Datafold answered, as far as an error may keep it. */
export interface DatafoldApiErrorOptions extends DatafoldErrorOptions {
  readonly status: number;
  /** The `detail` of a `{"detail": …}` body. */
  readonly detail?: unknown;
  /** A short excerpt of any other body, whitespace collapsed (an HTML error page is not kept whole). */
  readonly bodyExcerpt?: string;
}

/**
 * Datafold (or a gateway in front of it) answered with an error status. Base class of the
 * status-specific errors; thrown as is for statuses without one (400, 405, 418, …).
 */
export class DatafoldApiError extends DatafoldError {
  static override readonly errorName: string = "DatafoldApiError";
  declare readonly status: number;
  declare readonly detail?: unknown;
  declare readonly bodyExcerpt?: string;

  constructor(message: string, options: DatafoldApiErrorOptions) {
    super(message, options);
  }
}

/**
 * Datafold answered 422: it rejected the request body or path. `errors` holds FastAPI's `detail` items
 * (`{ loc, msg, type }`); the message lists each as `body.pr_number: <msg>`.
 */
export class DatafoldValidationError extends DatafoldApiError {
  static override readonly errorName: string = "DatafoldValidationError";
  declare readonly name: "DatafoldValidationError";
  declare readonly errors: readonly FastApiValidationItem[];

  constructor(
    message: string,
    options: DatafoldApiErrorOptions & { readonly errors: readonly FastApiValidationItem[] },
  ) {
    super(message, options);
  }
}

/** One item of FastAPI's 422 `detail`. */
export interface FastApiValidationItem {
  readonly loc: readonly (string | number)[];
  readonly msg: string;
  readonly type: string;
}

/** Datafold answered 401 or 403: the API key is missing, malformed, revoked or lacks access. */
export class DatafoldAuthError extends DatafoldApiError {
  static override readonly errorName: string = "DatafoldAuthError";
  declare readonly name: "DatafoldAuthError";
}

/**
 * Datafold answered 404: the CI config id is wrong, or (Datafold answers 404 to API keys it does not
 * recognise) the key does not belong to this Datafold host.
 */
export class DatafoldNotFoundError extends DatafoldApiError {
  static override readonly errorName: string = "DatafoldNotFoundError";
  declare readonly name: "DatafoldNotFoundError";
}

/**
 * Datafold answered 429 on the last attempt, or asked (with `Retry-After`) for a longer wait than the
 * client makes (`clientDefaults.maxRetryAfterMs`).
 */
export class DatafoldRateLimitError extends DatafoldApiError {
  static override readonly errorName: string = "DatafoldRateLimitError";
  declare readonly name: "DatafoldRateLimitError";
  /** The wait Datafold asked for, from `retry-after-ms` or `Retry-After`. */
  declare readonly retryAfterMs?: number;

  constructor(message: string, options: DatafoldApiErrorOptions & { readonly retryAfterMs?: number }) {
    super(message, options);
  }
}

/** Datafold, or a gateway in front of it, answered with a 5xx status on the last attempt. */
export class DatafoldServerError extends DatafoldApiError {
  static override readonly errorName: string = "DatafoldServerError";
  declare readonly name: "DatafoldServerError";
}

/**
 * No HTTP response on the last attempt: DNS failure, connection refused or reset (also mid-body), TLS
 * failure, or a proxy that refused, closed, or asked for credentials (407). `cause` is what `fetch` threw;
 * `kind` says which of these it was (`classifyNetworkFailure`), so callers need not read the message.
 */
export class DatafoldConnectionError extends DatafoldError {
  static override readonly errorName: string = "DatafoldConnectionError";
  declare readonly name: "DatafoldConnectionError";
  /** What failed: `proxy`, `tls`, `dns`, `connect` or `reset`. */
  declare readonly kind: NetworkFailureKind;

  constructor(message: string, options: DatafoldErrorOptions & { readonly kind?: NetworkFailureKind } = {}) {
    const facts: typeof options = {
      ...options,
      kind: options.kind ?? classifyNetworkFailure(options.cause).kind,
    };
    super(message, facts);
  }
}

/**
 * No complete response in time: the last attempt took longer than `timeoutMs` (`budget: "attempt"`), or
 * the call's whole budget, `totalTimeoutMs`, ran out (`budget: "total"`). Not thrown for a caller's own
 * abort, which rejects with the signal's reason instead.
 */
export class DatafoldTimeoutError extends DatafoldError {
  static override readonly errorName: string = "DatafoldTimeoutError";
  declare readonly name: "DatafoldTimeoutError";
  readonly kind = "timeout" as const;
  /** Which limit ran out. */
  declare readonly budget: "attempt" | "total";
  /** That limit, in milliseconds. */
  declare readonly timeoutMs: number;

  constructor(
    message: string,
    options: DatafoldErrorOptions & { readonly budget: "attempt" | "total"; readonly timeoutMs: number },
  ) {
    super(message, options);
  }
}

/**
 * A success status whose body is empty, not JSON, or not the shape the spec promises: often a base URL
 * that points at something other than Datafold's API (a login page, a proxy).
 */
export class DatafoldInvalidResponseError extends DatafoldError {
  static override readonly errorName: string = "DatafoldInvalidResponseError";
  declare readonly name: "DatafoldInvalidResponseError";
  declare readonly status: number;
  /** A short excerpt of the body, whitespace collapsed. */
  declare readonly bodyExcerpt?: string;

  constructor(
    message: string,
    options: DatafoldErrorOptions & { readonly status: number; readonly bodyExcerpt?: string },
  ) {
    super(message, options);
  }
}

/**
 * `error` itself when nothing about it mentions `secret`; otherwise a plain copy with the secret
 * replaced in message and stack (a custom `fetch` may put the request's headers into its errors, and
 * CI logs print errors whole, causes included).
 */
export function redactCause(error: unknown, secret: string, depth = 0): unknown {
  if (!mentions(error, secret)) return error;
  if (!(error instanceof Error) || depth > 4) return redactSecret(String(error), secret);
  const copy = new Error(redactSecret(error.message, secret));
  copy.name = error.name;
  if (error.stack !== undefined) copy.stack = redactSecret(error.stack, secret);
  if (error.cause !== undefined) copy.cause = redactCause(error.cause, secret, depth + 1);
  return copy;
}

function mentions(value: unknown, secret: string, depth = 0): boolean {
  if (secret === "") return false;
  if (value instanceof Error) {
    return (
      [value.message, value.stack, safeJson(value)].some((text) => text?.includes(secret)) ||
      (depth < 5 && mentions(value.cause, secret, depth + 1))
    );
  }
  return String(safeJson(value) ?? value).includes(secret);
}

function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** An error answer, and what is needed to explain it. */
export interface ErrorAnswer {
  readonly response: Response;
  /** The body as openapi-fetch hands it over: parsed JSON, the raw text, or `undefined` when empty. */
  readonly body: unknown;
  readonly attempts: number;
  /** What was called, e.g. `POST https://app.datafold.com/api/v1/ci/7/trigger`. */
  readonly request: string;
  readonly method: string;
  /** The path values the call named, for a 404: `the CI config id 7`; empty when it had none. */
  readonly identifiers: string;
  readonly baseUrl: string;
  readonly apiKeySource: string;
  readonly secret: string;
  /** How long the answer asked to wait (`Retry-After`), when it did. */
  readonly retryAfterMs: number | undefined;
}

/** The error to throw for a non-2xx answer to any operation. */
export function errorFromAnswer(answer: ErrorAnswer): DatafoldError {
  const { response, attempts, request, method, retryAfterMs, baseUrl, apiKeySource } = answer;
  const { status } = response;
  const body = redactSecret(answer.body, answer.secret);
  const hasDetail = isRecord(body) && "detail" in body;
  const detail = hasDetail ? body.detail : undefined;
  const options: DatafoldApiErrorOptions = {
    status,
    attempts,
    request,
    method,
    ...(hasDetail
      ? { detail }
      : body !== undefined && {
          bodyExcerpt: bodyExcerpt(typeof body === "string" ? body : JSON.stringify(body)),
        }),
  };
  const statusText = `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ""}`;
  const said = detail !== undefined ? describeDetail(detail) : options.bodyExcerpt || "(empty body)";
  const answered = `${statusText}${attempts > 1 ? ` after ${attempts} attempts` : ""}: ${said}`;

  // 407 comes from a proxy between the client and Datafold, never from Datafold: no retry can help.
  if (status === 407)
    return new DatafoldConnectionError(
      `a proxy on the way to ${baseUrl} answered 407 Proxy Authentication Required: check the user and password in HTTPS_PROXY or HTTP_PROXY`,
      { kind: "proxy", attempts, request, method },
    );
  if (status === 422) {
    const errors = Array.isArray(detail) ? detail.filter(isValidationItem) : [];
    const listed = errors.length > 0 ? errors.map((e) => `${e.loc.join(".")}: ${e.msg}`).join("; ") : said;
    return new DatafoldValidationError(`Datafold rejected ${request} as invalid (${statusText}): ${listed}`, {
      ...options,
      errors,
    });
  }
  if (status === 401 || status === 403)
    return new DatafoldAuthError(
      `Datafold refused the API key from ${apiKeySource} (${statusText}: ${said}); is it a valid key for ${baseUrl}?`,
      options,
    );
  if (status === 404)
    return new DatafoldNotFoundError(
      `Datafold answered ${statusText} to ${request} (${said}): ${answer.identifiers || "the path"} may be wrong, or ${baseUrl} does not know the API key from ${apiKeySource} (Datafold answers 404 to unrecognised API keys)`,
      options,
    );
  const tooLong =
    retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS
      ? `; it asked to wait ${formatDuration(retryAfterMs)} before retrying, longer than the ${formatDuration(MAX_RETRY_AFTER_MS)} this client waits`
      : "";
  if (status === 429)
    return new DatafoldRateLimitError(`Datafold is rate limiting requests (${answered})${tooLong}`, {
      ...options,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    });
  if (status >= 500)
    return new DatafoldServerError(
      `Datafold, or a gateway in front of it, failed on ${request} (${answered})${tooLong}`,
      options,
    );
  return new DatafoldApiError(
    `Datafold answered ${statusText} to ${request}${attempts > 1 ? ` after ${attempts} attempts` : ""}: ${said}`,
    options,
  );
}

const MAX_EXCERPT = 200;

/**
 * At most 200 characters of a response body for an error message, whitespace collapsed and an HTML page
 * reduced to its text (a gateway's 502 page must not flood a CI log).
 */
export function bodyExcerpt(body: string): string {
  const text = /^\s*</.test(body)
    ? body.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, " ").replace(/<[^>]*>/g, " ")
    : body;
  const collapsed = text.replace(/\s+/g, " ").trim();
  return collapsed.length > MAX_EXCERPT ? `${collapsed.slice(0, MAX_EXCERPT - 1)}…` : collapsed;
}

/** `250 ms`, `2 s`, `1.5 s`: a wait or a limit, for messages. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 100) / 10} s`;
}

function describeDetail(detail: unknown): string {
  return bodyExcerpt(typeof detail === "string" ? detail : JSON.stringify(detail));
}

function isValidationItem(item: unknown): item is FastApiValidationItem {
  return isRecord(item) && Array.isArray(item.loc) && typeof item.msg === "string";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
