import { CI_OPERATION_NAMES } from "@datafold-ci/api-description";
import type { DatafoldClientOptions, RetryEvent, StartedRunCheckEvent } from "@datafold-ci/client";
import type { Output } from "../types.js";

/**
 * What the CLI has seen of a command's requests so far: enough for a failure message to say which request
 * was pending and whether the trigger had been sent.
 */
export interface RequestProgress {
  /**
   * The trigger's look at the PR's runs before its first attempt has ended (the runs were listed, or
   * could not be): every later request of the trigger comes after an attempt was sent.
   */
  readonly lookedBeforeTrigger: boolean;
  /** Trigger attempts that failed and were followed by another step (a retry, or a look for the run). */
  readonly failedTriggerAttempts: number;
}

/** The client's progress callbacks, printing through `out`, and what they have seen. */
export interface RequestReporter {
  readonly progress: RequestProgress;
  readonly callbacks: Required<Pick<DatafoldClientOptions, "onRetry" | "onStartedRunCheck">>;
}

/**
 * What a request is, as progress and failure messages name it: `listing the PR's runs`, `triggering the
 * run`, `uploading the PR's diffs`; another operation by its summary in Datafold's API description.
 */
export function describeRequest(method: string | undefined, operation?: string): string {
  if (method === CI_OPERATION_NAMES.listRuns) return "listing the PR's runs";
  if (method === CI_OPERATION_NAMES.trigger) return "triggering the run";
  if (method === CI_OPERATION_NAMES.upload) return "uploading the PR's diffs";
  return operation ?? method ?? "a request to Datafold";
}

/**
 * The client's `onRetry` and `onStartedRunCheck` for a command: each retry on a line of its own naming the
 * request it retries, and the trigger's look at the PR's runs as it went.
 */
export function requestReporter(out: Output, timeoutSeconds: number): RequestReporter {
  const progress = { lookedBeforeTrigger: false, failedTriggerAttempts: 0 };
  const triggerFailed = (attempt: number) => {
    progress.failedTriggerAttempts = Math.max(progress.failedTriggerAttempts, attempt);
  };
  return {
    progress,
    callbacks: {
      onRetry: (event) => {
        if (event.method === CI_OPERATION_NAMES.trigger) triggerFailed(event.attempt - 1);
        out.info(describeRetry(event, timeoutSeconds));
      },
      onStartedRunCheck: (event) => {
        if (event.type === "baseline" || (event.type === "unavailable" && event.when === "before"))
          progress.lookedBeforeTrigger = true;
        if (event.type !== "baseline" && event.attempt !== undefined) triggerFailed(event.attempt);
        reportStartedRunCheck(event, out);
      },
    },
  };
}

/**
 * What the trigger's look at the PR's runs found. Before the first attempt nothing has failed yet: a failed
 * list says only that the runs could not be listed, and what that means if an attempt fails later.
 */
function reportStartedRunCheck(event: StartedRunCheckEvent, out: Output): void {
  switch (event.type) {
    case "found":
      out.info(
        `attempt ${event.attempt} failed, yet it started Datafold CI run ${event.ciRunId}: not triggering again`,
      );
      return;
    case "baseline":
      out.debug(`${event.runs} run(s) already listed for the PR head`);
      return;
    case "none":
      out.debug(`attempt ${event.attempt} started no run: retrying`);
      return;
    case "unavailable":
      if (event.when === "before")
        (event.fallback === "stop" ? out.warn : out.debug)(
          `could not list the PR's runs before triggering (${event.reason}); ` +
            (event.fallback === "stop"
              ? "triggering anyway, but an attempt that fails in a way that may have started a run will not be retried"
              : "a failed attempt will be retried without looking for a run it started"),
        );
      else
        (event.fallback === "stop" ? out.warn : out.debug)(
          `attempt ${event.attempt} failed in a way that may have started a run, and the PR's runs could not be listed to look for it (${event.reason}): ` +
            (event.fallback === "stop"
              ? "not triggering again, so as not to start a second run"
              : "retrying without looking"),
        );
  }
}

/**
 * The progress line for a retry, naming the request:
 * `triggering the run: rate limited by Datafold, retrying in 2 s (attempt 2 of 3)`.
 */
export function describeRetry(event: RetryEvent, timeoutSeconds: number): string {
  const why =
    event.reason === "timeout"
      ? `no answer from Datafold within ${timeoutSeconds} s`
      : event.reason === "connection"
        ? "the connection to Datafold failed"
        : event.status === 429
          ? "rate limited by Datafold"
          : `Datafold answered ${event.status}`;
  return `${describeRequest(event.method, event.operation)}: ${why}, retrying in ${formatDelay(event.delayMs)} (attempt ${event.attempt} of ${event.maxAttempts})`;
}

/** `250 ms`, `1.5 s`, `60 s`, `5 min`, `3 h`: a retry's wait, or the one a `Retry-After` asked for. */
export function formatDelay(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Number((ms / 1000).toFixed(1))} s`;
  return ms < 7_200_000 ? `${Math.ceil(ms / 60_000)} min` : `${Number((ms / 3_600_000).toFixed(1))} h`;
}
