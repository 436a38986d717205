import type { Parsed } from "./attempt-flags.js";
import { DEFAULT_POLL_INTERVAL_SECONDS, DEFAULT_WAIT_TIMEOUT_SECONDS } from "./flags.js";
import type { CommandLine, FlagValue } from "./parse-command-line.js";

/** `--wait-timeout` and `--poll-interval`, in seconds. */
export interface WaitSettings {
  readonly waitTimeoutSeconds: number;
  readonly pollIntervalSeconds: number;
}

/** Reads `--wait-timeout` (default 3600, at most a day) and `--poll-interval` (default 2, 1 to 300). */
export function parseWaitSettings(commandLine: CommandLine): Parsed<WaitSettings> {
  const timeout = seconds(commandLine.strings.get("wait-timeout"), DEFAULT_WAIT_TIMEOUT_SECONDS, 1, 86_400);
  const interval = seconds(commandLine.strings.get("poll-interval"), DEFAULT_POLL_INTERVAL_SECONDS, 1, 300);
  if (!timeout.ok) return timeout;
  if (!interval.ok) return interval;
  return { ok: true, value: { waitTimeoutSeconds: timeout.value, pollIntervalSeconds: interval.value } };
}

function seconds(flag: FlagValue | undefined, fallback: number, min: number, max: number): Parsed<number> {
  if (flag === undefined) return { ok: true, value: fallback };
  const value = /^\d+(?:\.\d+)?$/.test(flag.value) ? Number(flag.value) : Number.NaN;
  return value >= min && value <= max
    ? { ok: true, value }
    : {
        ok: false,
        problem: `${flag.typed} ${JSON.stringify(flag.value)} (from flag ${flag.typed}) is not a number of seconds from ${min} to ${max}`,
      };
}
