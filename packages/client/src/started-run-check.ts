import type { APIPrDetails, ApiCiRun } from "@datafold-ci/types";
import type { RetryGuard } from "./call-operation.js";
import { isDatafoldApiError } from "./errors/type-guards.js";
import type { CallOptions, TriggerOptions } from "./options.js";
import { TRIGGER_RETRYABLE_STATUSES } from "./retry-policy.js";

/**
 * What the trigger's look before a retry found, for progress and debug output.
 *
 * @example
 * { type: "found", ciRunId: 1234, attempt: 1 } // attempt 1 failed, yet it started run 1234: returned, not retried
 */
export type StartedRunCheckEvent =
  /** Before the first attempt: the runs that already existed for the PR head, which never count as this call's. */
  | { readonly type: "baseline"; readonly runs: number }
  /** The failed attempt `attempt` started run `ciRunId`; the call resolves with `{ ci_run_id: ciRunId }`. */
  | { readonly type: "found"; readonly ciRunId: number; readonly attempt: number }
  /** The failed attempt `attempt` started no run; the trigger is retried. */
  | { readonly type: "none"; readonly attempt: number }
  /**
   * Runs could not be listed. `fallback: "retry"` when Datafold refused the listing (401, 403, 404): the
   * trigger retries as it did before this check; `"stop"` otherwise: an ambiguous failure ends the call
   * rather than trigger again blind.
   */
  | { readonly type: "unavailable"; readonly fallback: "retry" | "stop"; readonly reason: string };

type ListCiRuns = (
  ciConfigId: number,
  query: { pr_sha: string; limit: number },
  options: CallOptions,
) => Promise<ApiCiRun[]>;

// A PR head with more runs than this is not a case worth a second page: any new run is listed first.
const PAGE = 100;

/**
 * The trigger's retries never start a second run (issue 11). Before the first attempt it lists the
 * runs of the PR head (`pr_sha`); when an attempt fails in a way that may have started a run (a
 * timeout, a connection broken after it was made, a 500, 502 or 504), it lists them again before
 * retrying. A run that was not there before is the failed attempt's: it is returned as
 * `{ ci_run_id }` (`run_id` absent: the list does not carry it) and nothing is sent again. It assumes
 * `SubmitCiJob.ci_run_id` is that run's `ApiCiRun.id` (the official SDK and the field names say so;
 * Datafold's document does not), and that no one else starts a run for the same SHA in those seconds.
 */
export function startedRunCheck(
  listCiRuns: () => ListCiRuns,
  onEvent: ((event: StartedRunCheckEvent) => void) | undefined,
): RetryGuard {
  return {
    retryableStatuses: TRIGGER_RETRYABLE_STATUSES,
    async prepare(args, options: TriggerOptions) {
      if (options.checkForStartedRun === false) return undefined;
      const [ciConfigId, details] = args as [number, APIPrDetails];
      const query = { pr_sha: details.pr_sha, limit: PAGE };
      const pass = {
        ...(options.signal && { signal: options.signal }),
        ...(options.timeoutMs && { timeoutMs: options.timeoutMs }),
      };
      const unavailable = (error: unknown) => {
        if (options.signal?.aborted) throw options.signal.reason;
        const refused = isDatafoldApiError(error) && [401, 403, 404].includes(error.status);
        const fallback = refused ? "retry" : "stop";
        onEvent?.({
          type: "unavailable",
          fallback,
          reason: error instanceof Error ? error.message : String(error),
        });
        return fallback;
      };
      let before: Set<number>;
      try {
        before = new Set(
          (
            await listCiRuns()(ciConfigId, query, {
              ...pass,
              ...(options.maxRetries !== undefined && { maxRetries: options.maxRetries }),
            })
          ).map((run) => run.id),
        );
        onEvent?.({ type: "baseline", runs: before.size });
      } catch (error) {
        // Without a baseline no run can be told apart as this call's.
        return unavailable(error) === "retry" ? undefined : async () => "stop" as const;
      }
      let attempt = 0;
      return async (_failure, retriesLeft) => {
        attempt++;
        try {
          const runs = await listCiRuns()(ciConfigId, query, { ...pass, maxRetries: retriesLeft });
          const started = runs.find((run) => !before.has(run.id));
          if (started === undefined) {
            onEvent?.({ type: "none", attempt });
            return "retry";
          }
          onEvent?.({ type: "found", ciRunId: started.id, attempt });
          return new Response(JSON.stringify({ ci_run_id: started.id }), {
            status: 200,
            headers: { "content-type": "application/json" },
          });
        } catch (error) {
          return unavailable(error);
        }
      };
    },
  };
}
