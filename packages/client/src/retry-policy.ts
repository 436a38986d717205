import { retryAfterMs } from "./retry-after.js";

/** Statuses worth another attempt, as the Stainless SDKs retry them (409: lock contention). */
const RETRYABLE_STATUSES = new Set([408, 409, 429, 500, 502, 503, 504]);

/** The longest `Retry-After` the client waits out; a longer one ends the call with the answer. */
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
): number | undefined {
  if (!RETRYABLE_STATUSES.has(response.status)) return undefined;
  const asked = retryAfterMs(response.headers, now);
  if (asked === undefined) return backoffDelayMs(retriesSoFar, random);
  return asked <= MAX_RETRY_AFTER_MS ? asked : undefined;
}

/** Exponential back-off: min(0.5 · 2ⁿ, 8) s, minus up to 25 % jitter so clients do not retry in step. */
export function backoffDelayMs(retriesSoFar: number, random: () => number): number {
  const base = Math.min(500 * 2 ** retriesSoFar, 8000);
  return Math.round(base * (1 - 0.25 * random()));
}
