import { DEFAULT_RETRIES, DEFAULT_TIMEOUT_SECONDS, MAX_RETRIES, MAX_TIMEOUT_SECONDS } from "./flags.js";
import type { FlagValue } from "./parse-command-line.js";

/** A parsed flag value, or the message saying why it is bad. */
export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

/** `--timeout <seconds>`: per attempt, decimals allowed. */
export function parseTimeoutSeconds(flag: FlagValue | undefined): Parsed<number> {
  if (flag === undefined) return { ok: true, value: DEFAULT_TIMEOUT_SECONDS };
  const seconds = /^\d+(?:\.\d+)?$/.test(flag.value) ? Number(flag.value) : Number.NaN;
  return seconds > 0 && seconds <= MAX_TIMEOUT_SECONDS
    ? { ok: true, value: seconds }
    : {
        ok: false,
        problem: `${flag.typed} ${JSON.stringify(flag.value)} (from flag ${flag.typed}) is not a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS}, e.g. 30 or 2.5`,
      };
}

/** `--retries <n>`: retries after the first attempt. */
export function parseRetries(flag: FlagValue | undefined): Parsed<number> {
  if (flag === undefined) return { ok: true, value: DEFAULT_RETRIES };
  const retries = /^\d+$/.test(flag.value) ? Number(flag.value) : Number.NaN;
  return retries <= MAX_RETRIES
    ? { ok: true, value: retries }
    : {
        ok: false,
        problem: `${flag.typed} ${JSON.stringify(flag.value)} (from flag ${flag.typed}) is not a whole number from 0 to ${MAX_RETRIES}`,
      };
}
