import { DatafoldApiError, DatafoldTimeoutError } from "./errors.js";
import type { CallOptions, LookForStartedRunOptions, StartedRunCheckEvent } from "./options.js";
import type { CallBudget, RetryDecision, RetryHook } from "./request-loop.js";
import { TRIGGER_RETRYABLE_STATUSES } from "./retry-policy.js";

// The generated method takes its options type from the hook it names, by the name `<Hook>Options`.
export type { LookForStartedRunOptions } from "./options.js";

/** What the look needs of the client: its runs list. Any `DatafoldClient` is one. */
export interface RunLister {
  listCiRuns(
    ciConfigId: number,
    query: { pr_sha: string; limit: number },
    options: CallOptions,
  ): Promise<readonly { readonly id: number }[]>;
}

// A PR head with more runs than this is not a case worth a second page: any new run is listed first.
const PAGE = 100;

/**
 * The trigger's retries never start a second run. Before the first attempt it lists the runs of the PR
 * head (`pr_sha`); when an attempt fails in a way that may have started a run, it lists them again
 * before retrying. A run that was not there before is the failed attempt's: the call resolves with
 * `{ ci_run_id }` (`run_id` absent: the list does not carry it) and nothing is sent again. It assumes
 * `SubmitCiJob.ci_run_id` is that run's `ApiCiRun.id` (the official SDK and the field names say so;
 * Datafold's document does not), and that no one else starts a run for the same SHA in those seconds.
 * Both facts, with sources: docs/datafold-facts.md, "Trigger a PR/MR run".
 */
export function lookForStartedRun(
  client: RunLister,
  ciConfigId: number,
  details: { readonly pr_sha: string },
  options: (CallOptions & LookForStartedRunOptions) | undefined,
  config: { readonly onStartedRunCheck: ((event: StartedRunCheckEvent) => void) | undefined },
): RetryHook<{ ci_run_id: number }> {
  const onEvent = config.onStartedRunCheck;
  const hook = {
    retryableStatuses: TRIGGER_RETRYABLE_STATUSES,
    optionNames: ["checkForStartedRun"],
  };
  if (options?.checkForStartedRun === false)
    return { ...hook, beforeRetry: async () => ({ action: "retry" }) };
  let before: ReadonlySet<number> | undefined;
  // Without a baseline no run can be told apart as this call's: "stop" ends an ambiguous failure.
  let fallback: "retry" | "stop" = "stop";
  const list = (budget: CallBudget, retries: number | undefined) =>
    client.listCiRuns(
      ciConfigId,
      { pr_sha: details.pr_sha, limit: PAGE },
      {
        totalTimeoutMs: Math.max(1, budget.remaining()),
        ...(budget.signal && { signal: budget.signal }),
        ...(options?.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
        ...(retries !== undefined && { maxRetries: retries }),
      },
    );
  const unavailable = (error: unknown, when: "before" | "after", attempt?: number) => {
    // The call's own budget ran out during the look: the trigger's error says so, not a fallback.
    if (error instanceof DatafoldTimeoutError && error.budget === "total") throw error;
    const refused = error instanceof DatafoldApiError && [401, 403, 404].includes(error.status);
    const chosen = refused ? "retry" : "stop";
    onEvent?.({
      type: "unavailable",
      when,
      ...(attempt !== undefined && { attempt }),
      fallback: chosen,
      reason: error instanceof Error ? error.message : String(error),
    });
    return chosen;
  };
  return {
    ...hook,
    async start(budget) {
      try {
        before = new Set((await list(budget, options?.maxRetries)).map((run) => run.id));
        onEvent?.({ type: "baseline", runs: before.size });
      } catch (error) {
        if (budget.signal?.aborted) throw budget.signal.reason;
        fallback = unavailable(error, "before");
      }
    },
    async beforeRetry({ attempt, retriesLeft, budget }): Promise<RetryDecision<{ ci_run_id: number }>> {
      if (before === undefined) return { action: fallback };
      try {
        const runs = await list(budget, retriesLeft);
        const started = runs.find((run) => !before!.has(run.id));
        if (started === undefined) {
          onEvent?.({ type: "none", attempt });
          return { action: "retry" };
        }
        onEvent?.({ type: "found", ciRunId: started.id, attempt });
        return { action: "return", result: { ci_run_id: started.id } };
      } catch (error) {
        if (budget.signal?.aborted) throw budget.signal.reason;
        return { action: unavailable(error, "after", attempt) };
      }
    },
  };
}
