import { classifyNetworkFailure } from "./network-failure.js";
import { retryAfterMs } from "./retry-after.js";

/**
 * The statuses after which a call is retried, ascending: as the Stainless SDKs retry them (409: lock
 * contention). `triggerPrRun` retries {@link TRIGGER_RETRYABLE_STATUSES}. Exported so tools can say
 * what they retry without restating it (issue 14).
 *
 * @example
 * RETRYABLE_STATUSES.join(", "); // "408, 409, 429, 500, 502, 503, 504"
 */
export const RETRYABLE_STATUSES: readonly number[] = [408, 409, 429, 500, 502, 503, 504];

/**
 * The statuses after which `triggerPrRun` is retried: {@link RETRYABLE_STATUSES} but 409, which means
 * a conflicting request is in progress; triggering again then could start a second run (issue 11).
 */
export const TRIGGER_RETRYABLE_STATUSES: readonly number[] = RETRYABLE_STATUSES.filter((s) => s !== 409);

/**
 * Answers after which a request may or may not have taken effect: the server, or a gateway in front
 * of it, failed while or after handling it (500), or lost its answer (502, 504). 408, 429 and 503
 * say the request was not handled. Issue 11: a retried trigger after one of these can start a
 * second run.
 */
const AMBIGUOUS_STATUSES = new Set([500, 502, 504]);

/** What went wrong with one attempt, as the retry decision sees it. */
export type AttemptFailure =
  { readonly status: number } | { readonly failure: "connection" | "timeout"; readonly cause: unknown };

/**
 * Whether the failed attempt may have taken effect on the server: an ambiguous status, a timeout
 * (the request may have been sent), or a connection that broke after it was made (a reset, a
 * socket closed mid-answer). A failure to connect is not.
 */
export function isAmbiguousFailure(failure: AttemptFailure): boolean {
  if ("status" in failure) return AMBIGUOUS_STATUSES.has(failure.status);
  return failure.failure === "timeout" || classifyNetworkFailure(failure.cause).maybeSent;
}

/**
 * The longest `Retry-After` (or `retry-after-ms`) the client waits out, in milliseconds: a longer one
 * ends the call at once with the answer, e.g. a `DatafoldRateLimitError` whose `retryAfterMs` exceeds it.
 */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * How long to wait before retrying after `response`, or `undefined` when it must not be retried:
 * a status outside the retryable set, or a `Retry-After` beyond {@link MAX_RETRY_AFTER_MS}.
 */
export function retryDelayForResponse(
  response: Response,
  retriesSoFar: number,
  random: () => number,
  now: number,
  retryable: readonly number[] = RETRYABLE_STATUSES,
): number | undefined {
  if (!retryable.includes(response.status)) return undefined;
  const asked = retryAfterMs(response.headers, now);
  if (asked === undefined) return backoffDelayMs(retriesSoFar, random);
  return asked <= MAX_RETRY_AFTER_MS ? asked : undefined;
}

/** Exponential back-off: min(0.5 · 2ⁿ, 8) s, minus up to 25 % jitter so clients do not retry in step. */
export function backoffDelayMs(retriesSoFar: number, random: () => number): number {
  const base = Math.min(500 * 2 ** retriesSoFar, 8000);
  return Math.round(base * (1 - 0.25 * random()));
}
