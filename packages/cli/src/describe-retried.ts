import { RETRYABLE_STATUSES, TRIGGER_RETRYABLE_STATUSES } from "@datafold-ci/client";

/**
 * What `--retries` retries, as a command's `--help` appends it to the flag: read from the client's
 * retry policy, so the help cannot drift from it (issue 14). A command that triggers names the statuses
 * only its run listings retry (409: triggering again could start a second run).
 *
 * @example
 * describeRetried({ triggers: true });
 * // "retried: a connection error, a timeout, HTTP 408, 429, 500, 502, 503 or 504 (listing runs: 409 too)"
 */
export function describeRetried({ triggers }: { readonly triggers: boolean }): string {
  const own = triggers ? TRIGGER_RETRYABLE_STATUSES : RETRYABLE_STATUSES;
  const listingOnly = RETRYABLE_STATUSES.filter((status) => !own.includes(status));
  const listing = listingOnly.length > 0 ? ` (listing runs: ${orList(listingOnly)} too)` : "";
  return `retried: a connection error, a timeout, HTTP ${orList(own)}${listing}`;
}

function orList(statuses: readonly number[]): string {
  return statuses.length < 2
    ? statuses.join("")
    : `${statuses.slice(0, -1).join(", ")} or ${statuses.at(-1)}`;
}
