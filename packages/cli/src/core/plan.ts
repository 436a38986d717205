import { WAIT_FINAL_CHECK_MS } from "@datafold-ci/client/wait";
import type { ConnectionSettings, WaitSettings } from "../types.js";

/**
 * The longest a command can take, as `--debug` states it before the first request: each request to Datafold
 * ends within `--max-time` (its attempts, the waits between them and, for the trigger, its looks at the PR's
 * runs share it), and a wait within `--wait-timeout`, plus the time its check at the deadline is given.
 */
export function worstCaseSeconds(connection: ConnectionSettings, wait: WaitSettings | undefined): number {
  const waiting =
    wait === undefined
      ? 0
      : wait.waitTimeoutSeconds + Math.min(WAIT_FINAL_CHECK_MS / 1000, connection.maxTimeSeconds);
  return connection.maxTimeSeconds + waiting;
}

/**
 * The plan's lines for `--debug`: per attempt, attempts, each request's bound, the wait's, and the worst
 * case of the whole command. `looks`: the command triggers, looking at the PR's runs within the trigger's request.
 *
 * @example
 * describePlan({ host: undefined, timeoutSeconds: 30, maxTimeSeconds: 120, retries: 2, allowInsecureHttp: false }, undefined, { looks: false });
 * // ["Plan: each request to Datafold makes at most 3 attempts (--retries 2) of at most 30 s each (--timeout) …",
 * //  "Worst case: 120 s (2 min) from the first request."]
 */
export function describePlan(
  connection: ConnectionSettings,
  wait: WaitSettings | undefined,
  { looks }: { readonly looks: boolean },
): string[] {
  const { timeoutSeconds, maxTimeSeconds, retries } = connection;
  const attempts = retries + 1;
  const perAttempt =
    timeoutSeconds > maxTimeSeconds
      ? `of at most ${seconds(maxTimeSeconds)} each (--timeout ${seconds(timeoutSeconds)}, cut to --max-time)`
      : `of at most ${seconds(timeoutSeconds)} each (--timeout)`;
  const lines = [
    `Plan: each request to Datafold makes at most ${attempts} attempt${attempts === 1 ? "" : "s"} (--retries ${retries}) ${perAttempt}, ` +
      `and ends within ${seconds(maxTimeSeconds)} in all (--max-time), the waits between attempts${looks ? " and the trigger's looks at the PR's runs" : ""} included.`,
  ];
  if (wait)
    lines.push(
      `Then the wait: at most ${seconds(wait.waitTimeoutSeconds)} (--wait-timeout), each status check a request as above, ` +
        `the one at the deadline given up to ${seconds(Math.min(WAIT_FINAL_CHECK_MS / 1000, maxTimeSeconds))} more.`,
    );
  lines.push(`Worst case: ${seconds(worstCaseSeconds(connection, wait))} from the first request.`);
  return lines;
}

/** `2.5 s`, `120 s (2 min)`, `3730 s (62 min 10 s)`. */
function seconds(value: number): string {
  const text = `${Number(value.toFixed(1))} s`;
  if (value < 120) return text;
  const whole = Math.round(value);
  return `${text} (${Math.floor(whole / 60)} min${whole % 60 === 0 ? "" : ` ${whole % 60} s`})`;
}
