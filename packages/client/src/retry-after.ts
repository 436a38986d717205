import { parseHttpDate } from "./http-date.js";

/** `retry-after-ms`, a Stainless extension: a non-negative number of milliseconds. */
const MILLISECONDS = /^\d+(\.\d+)?$/;
/** RFC 9110 §10.2.3 `delay-seconds`: 1*DIGIT, nothing else (no sign, fraction or list). */
const DELAY_SECONDS = /^\d+$/;

/**
 * The wait a response asks for, in milliseconds: `retry-after-ms` (as the Stainless SDKs read it),
 * else `Retry-After` as delay-seconds or an HTTP-date. `undefined` when absent or malformed, so the
 * caller falls back to its own back-off rather than retrying at once (issue 14).
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
