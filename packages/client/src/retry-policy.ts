import { parseHttpDate } from "./http-date.js";
import type { NetworkFailure } from "./network-failure.js";

/** The statuses after which a call is retried, ascending, as the Stainless SDKs retry them (409: lock contention). */
export const RETRYABLE_STATUSES: readonly number[] = [408, 409, 429, 500, 502, 503, 504];

/**
 * The statuses after which `triggerPrRun` is retried: {@link RETRYABLE_STATUSES} but 409, which means a
 * conflicting request is in progress; triggering again then could start a second run.
 */
export const TRIGGER_RETRYABLE_STATUSES: readonly number[] = RETRYABLE_STATUSES.filter((s) => s !== 409);

/**
 * The longest `Retry-After` (or `retry-after-ms`) the client waits out, in milliseconds: a longer one
 * ends the call at once with the answer, e.g. a `DatafoldRateLimitError` whose `retryAfterMs` exceeds it.
 */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Answers after which a request may or may not have taken effect: the server, or a gateway in front of
 * it, failed while or after handling it (500), or lost its answer (502, 504). 408, 429 and 503 say the
 * request was not handled.
 */
const AMBIGUOUS_STATUSES = new Set([500, 502, 504]);

/** What went wrong with one attempt, as the retry decision sees it. */
export type AttemptFailure =
  | { readonly type: "status"; readonly status: number; readonly retryAfterMs: number | undefined }
  | { readonly type: "timeout" }
  | { readonly type: "network"; readonly network: NetworkFailure; readonly cause: unknown };

/**
 * Whether the failed attempt may have taken effect on the server, so that retrying a call that is not
 * safe to repeat needs a look first: an ambiguous status, a timeout (the request may have been sent), or
 * a connection that broke after it was made. A failure to connect, or to resolve the host, is not.
 */
export function isAmbiguousFailure(failure: AttemptFailure): boolean {
  if (failure.type === "status") return AMBIGUOUS_STATUSES.has(failure.status);
  return failure.type === "timeout" || failure.network.maybeSent;
}

/**
 * How long to wait before the next attempt after `failure`, or `undefined` when retrying cannot help:
 * a status outside `retryable`, a `Retry-After` beyond {@link MAX_RETRY_AFTER_MS}, an untrusted
 * certificate or a proxy's refusal. In the order ky decides: status, then the wait asked for, then the
 * network failure's kind.
 */
export function retryDelay(
  failure: AttemptFailure,
  retriesSoFar: number,
  random: () => number,
  retryable: readonly number[],
): number | undefined {
  if (failure.type === "status") {
    if (!retryable.includes(failure.status)) return undefined;
    if (failure.retryAfterMs === undefined) return backoffDelayMs(retriesSoFar, random);
    return failure.retryAfterMs <= MAX_RETRY_AFTER_MS ? failure.retryAfterMs : undefined;
  }
  if (failure.type === "network" && !failure.network.retryable) return undefined;
  return backoffDelayMs(retriesSoFar, random);
}

/** Exponential back-off: min(0.5 · 2ⁿ, 8) s, minus up to 25 % jitter so clients do not retry in step. */
export function backoffDelayMs(retriesSoFar: number, random: () => number): number {
  const base = Math.min(500 * 2 ** retriesSoFar, 8000);
  return Math.round(base * (1 - 0.25 * random()));
}

/** `retry-after-ms`, a Stainless extension: a non-negative number of milliseconds. */
const MILLISECONDS = /^\d+(\.\d+)?$/;
/** RFC 9110 §10.2.3 `delay-seconds`: 1*DIGIT, nothing else (no sign, fraction or list). */
const DELAY_SECONDS = /^\d+$/;

/**
 * The wait a response asks for, in milliseconds: `retry-after-ms` (as the Stainless SDKs read it), else
 * `Retry-After` as delay-seconds or an HTTP-date. `undefined` when absent or malformed, so the caller
 * falls back to its own back-off rather than retrying at once.
 */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const ms = headers.get("retry-after-ms")?.trim();
  if (ms && MILLISECONDS.test(ms)) return Number(ms);
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (DELAY_SECONDS.test(value)) return Number(value) * 1000;
  const date = parseHttpDate(value, now);
  return date === undefined ? undefined : Math.max(0, date - now);
}
