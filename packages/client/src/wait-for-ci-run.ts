/**
 * `@datafold-ci/client/wait`: {@link waitForCiRun} polls a client's run list until a run ends. A subpath of
 * its own, so a client that only starts runs does not carry it.
 * @packageDocumentation
 */
import { TERMINAL_RUN_STATUSES } from "@datafold-ci/api-description";
import type { ListCiRunsQuery, ListCiRunsResult } from "@datafold-ci/types";
import {
  DatafoldConnectionError,
  DatafoldRateLimitError,
  DatafoldServerError,
  DatafoldTimeoutError,
} from "./errors.js";
import type { DatafoldMethods } from "./generated/datafold-api.js";
import { defaultRuntime, type Runtime } from "./runtime.js";

/**
 * What {@link waitForCiRun} needs of a client: its `listCiRuns` (`GET …/runs`), and, when it has them, its
 * resolved options, so that no check outlasts the wait by more than {@link WAIT_FINAL_CHECK_MS}. Any
 * `DatafoldClient` is one.
 */
export type CiRunLister = Pick<DatafoldMethods, "listCiRuns"> & {
  /** The client's `totalTimeoutMs`: each check's own budget, cut to what remains of the wait. */
  readonly config?: { readonly totalTimeoutMs: number };
};

/** One run as the list shows it: the list's item type, whatever the spec names its schema. */
type ApiCiRun = ListCiRunsResult[number];

/** The statuses after which a run changes no more, as the official SDK (`datafold-sdk`) treats them. */
export const TERMINAL_CI_RUN_STATUSES: readonly ["done", "failed", "cancelled"] = TERMINAL_RUN_STATUSES;

/** A run's status seen for the first time, or changed since the last poll. */
export interface CiRunStatusEvent {
  readonly run: ApiCiRun;
  /** The status before, `undefined` on the first sighting. */
  readonly previousStatus: string | undefined;
  /** Since the wait began. */
  readonly elapsedMs: number;
}

/** The wait is alive while nothing changes: the run's status holds, or it is not listed yet. */
export interface CiRunHeartbeatEvent {
  /** The run as the last check listed it; `undefined` while it is not listed yet. */
  readonly run: ApiCiRun | undefined;
  /** Since the wait began, read from the clock when the heartbeat is told: the true time waited so far. */
  readonly elapsedMs: number;
  /** Since the run was seen with this status (since the wait began, while it is not listed). */
  readonly statusHeldMs: number;
  /** `listCiRuns` calls made so far, pages included. */
  readonly listCalls: number;
}

/** A poll that failed and will be repeated (429, 5xx, a connection error, a timeout). */
export interface CiRunPollFailure {
  readonly error: unknown;
  /** The wait before the next poll (a `Retry-After` is obeyed). */
  readonly retryInMs: number;
}

/** Options of {@link waitForCiRun}. */
export interface WaitForCiRunOptions {
  /** The CI config the run belongs to. */
  readonly ciConfigId: number;
  /**
   * The run to wait for: `SubmitCiJob.ci_run_id` from the trigger. Assumed equal to the
   * `ApiCiRun.id` the list shows for that run (the official SDK and the field names say so; Datafold's
   * document does not). Were it not, the run would never be found: the wait ends `not-found` after
   * `appearTimeoutMs`, naming the ids that were listed, rather than hanging.
   */
  readonly ciRunId: number;
  /** The PR head's full SHA: runs are listed with `pr_sha`. One of `prSha` and `prNum` is required. */
  readonly prSha?: string | undefined;
  /** The PR number: runs are listed with `pr_num` when no `prSha` is given (an abbreviated SHA matches nothing). */
  readonly prNum?: string | number | undefined;
  /** The whole wait. @default 3_600_000 (one hour, the official SDK's limit) */
  readonly timeoutMs?: number;
  /**
   * How long a new run may take to appear in the list. The wait ends `not-found` sooner when two checks
   * in a row list a newer run of the PR (a larger id) but not this one (see `CiRunOutcome`).
   * @default 60_000 (the official SDK's)
   */
  readonly appearTimeoutMs?: number;
  /** The first wait between polls; each next one is 1.5 times longer, up to `maxIntervalMs`. @default 2_000 */
  readonly initialIntervalMs?: number;
  /** The longest wait between polls, so an outcome is seen within this long. @default 15_000 */
  readonly maxIntervalMs?: number;
  /** Runs per list call; further pages are read only while the run is not on the earlier ones. @default 100 */
  readonly pageSize?: number;
  /** Stops the wait: the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called when the run is first seen and whenever its status changes. */
  readonly onStatus?: (event: CiRunStatusEvent) => void;
  /** Called when a poll failed and will be repeated. */
  readonly onPollFailure?: (failure: CiRunPollFailure) => void;
  /**
   * Called when nothing was reported (`onStatus`, `onPollFailure`, or a heartbeat) for `heartbeatMs`, so a
   * log shows the wait is alive while a status holds: CI systems end a step that prints nothing for a while
   * (CircleCI's `no_output_timeout` is 10 minutes by default). Told between checks, on time whatever the
   * poll interval, with the status the last check saw.
   */
  readonly onHeartbeat?: (event: CiRunHeartbeatEvent) => void;
  /**
   * The quiet time after which `onHeartbeat` is called: a number of milliseconds, or a function of the
   * time waited when the last report was made. Never less than 1 s.
   * @default 60 s during the first 10 minutes of the wait, 5 minutes after ({@link defaultHeartbeatMs})
   */
  readonly heartbeatMs?: number | ((elapsedMs: number) => number);
  /** The clock, sleep and dice; replaced in tests. @default real time */
  readonly runtime?: Runtime;
}

/** How a wait ended. `done` means the run finished, not that it found no differences. */
export type CiRunOutcome =
  | {
      readonly kind: "done" | "failed" | "cancelled";
      readonly run: ApiCiRun;
      readonly elapsedMs: number;
      /** `listCiRuns` calls made, pages included. */
      readonly listCalls: number;
    }
  | {
      /** `timeoutMs` passed with the run unfinished; `run` is its last sighting, if any. */
      readonly kind: "timed-out";
      readonly run: ApiCiRun | undefined;
      readonly elapsedMs: number;
      readonly listCalls: number;
    }
  | {
      /** The run was never listed; `listedIds` are the runs that were listed instead, newest first. */
      readonly kind: "not-found";
      /**
       * `appear-timeout`: `appearTimeoutMs` passed. `newer-runs-listed`: two checks in a row listed a run
       * newer than this one (a larger id) but not this one. Datafold numbers runs in the order it starts
       * them and a run is listed from its start, so a run older than one listed would be listed too if it
       * were one of the PR's: the id belongs to another PR or CI config (or was mistyped).
       */
      readonly reason: "appear-timeout" | "newer-runs-listed";
      readonly listedIds: readonly number[];
      readonly elapsedMs: number;
      readonly listCalls: number;
    };

/**
 * The least budget a check is given, even at the wait's deadline: the check made there (the last one)
 * gets time to answer, so the wait ends at most this long after `timeoutMs`.
 */
export const WAIT_FINAL_CHECK_MS = 10_000;

/**
 * The default `heartbeatMs`: 60 s while the wait is under 10 minutes old, then 5 minutes, so a log
 * never goes 10 minutes without a line (CircleCI's default limit) and a long wait stays short to read.
 */
export function defaultHeartbeatMs(elapsedMs: number): number {
  return elapsedMs < 600_000 ? 60_000 : 300_000;
}

// Two checks in a row, so that one list read while Datafold was still writing ends no wait.
const NEWER_RUN_CHECKS = 2;
const MIN_HEARTBEAT_MS = 1_000;
const GROWTH = 1.5;
// Jitter only shortens a wait, so `maxIntervalMs` stays the bound on how late an outcome is seen.
const JITTER = 0.2;

/**
 * Polls `GET …/runs` until the run `ciRunId` ends (`done`, `failed`, `cancelled`), the wait times
 * out, or the run never appears. Any other status is progress, reported as it is: Datafold documents
 * no status enum.
 *
 * Economy: waits 2 s, then 1.5× longer each time up to 15 s, less up to 20 % jitter, where the
 * official SDK polls every 5 s (`pnpm bench` counts both for a 10-minute run). A 429 waits at least its
 * `Retry-After`; 429, 5xx, connection errors and timeouts are retried until `timeoutMs` and never end
 * the wait. Any other error (401/403/404, a 422, an invalid answer) ends it: the promise rejects with it.
 * Each check's own budget (the client's `totalTimeoutMs`) is cut to what remains of `timeoutMs`, but never
 * below {@link WAIT_FINAL_CHECK_MS}, so a check that hangs at the end cannot stretch the wait.
 *
 * Heartbeat: with `onHeartbeat`, a status that holds is reported again after `heartbeatMs` of quiet
 * (60 s for the first 10 minutes, then 5 minutes), so a CI's no-output timer never ends a healthy wait.
 *
 * @throws the client's error that ended the wait, or `signal.reason` on abort.
 * @example
 * const job = await datafold.triggerPrRun(12, details);
 * if (job.ci_run_id != null) {
 *   const outcome = await waitForCiRun(datafold, { ciConfigId: 12, ciRunId: job.ci_run_id, prSha: details.pr_sha,
 *     onStatus: ({ run }) => console.error(`run ${run.id}: ${run.status}`),
 *     onHeartbeat: ({ run, elapsedMs }) => console.error(`run ${run?.id}: still ${run?.status} (${elapsedMs} ms)`) });
 *   if (outcome.kind !== "done") process.exitCode = 1;
 * }
 */
export async function waitForCiRun(client: CiRunLister, options: WaitForCiRunOptions): Promise<CiRunOutcome> {
  const {
    ciConfigId,
    ciRunId,
    timeoutMs = 3_600_000,
    appearTimeoutMs = 60_000,
    initialIntervalMs = 2_000,
    maxIntervalMs = 15_000,
    pageSize = 100,
    runtime = defaultRuntime,
    heartbeatMs = defaultHeartbeatMs,
  } = options;
  const signal = options.signal ?? new AbortController().signal;
  const query = listQuery(options);
  const started = runtime.now();
  const elapsed = () => runtime.now() - started;
  let listCalls = 0;
  let interval = initialIntervalMs;
  let lastSeen: ApiCiRun | undefined;
  let seenSince = 0;
  let listedIds: number[] | undefined;
  let newerListed = 0;
  // When something was last reported: the heartbeat's quiet time counts from there.
  let reportedAt = 0;
  const quietAllowed = (at: number) => {
    const ms = typeof heartbeatMs === "number" ? heartbeatMs : heartbeatMs(at);
    return Number.isFinite(ms) ? Math.max(MIN_HEARTBEAT_MS, ms) : defaultHeartbeatMs(at);
  };
  const checkBudget = () =>
    Math.min(
      client.config?.totalTimeoutMs ?? Number.POSITIVE_INFINITY,
      Math.max(WAIT_FINAL_CHECK_MS, timeoutMs - elapsed()),
    );

  // The sleep between checks, cut where a heartbeat falls due.
  const pause = async (ms: number) => {
    const until = elapsed() + ms;
    for (;;) {
      const now = elapsed();
      if (now >= until) return;
      const due = reportedAt + quietAllowed(reportedAt);
      if (options.onHeartbeat === undefined || due >= until) return runtime.sleep(until - now, signal);
      if (due > now) await runtime.sleep(due - now, signal);
      reportedAt = elapsed();
      options.onHeartbeat({
        run: lastSeen,
        elapsedMs: reportedAt,
        statusHeldMs: reportedAt - seenSince,
        listCalls,
      });
    }
  };

  const timedOut = (): CiRunOutcome => ({
    kind: "timed-out",
    run: lastSeen,
    elapsedMs: elapsed(),
    listCalls,
  });
  const notFound = (
    reason: "appear-timeout" | "newer-runs-listed",
    ids: readonly number[],
  ): CiRunOutcome => ({
    kind: "not-found",
    reason,
    listedIds: ids,
    elapsedMs: elapsed(),
    listCalls,
  });

  for (;;) {
    signal.throwIfAborted();
    let wait: number;
    try {
      // Pages of the PR's runs, until one holds `ciRunId` or a page comes back short.
      const ids: number[] = [];
      let run: ApiCiRun | undefined;
      for (let more = true; more;) {
        listCalls += 1;
        const page = await client.listCiRuns(
          ciConfigId,
          { ...query, limit: pageSize, offset: ids.length },
          { signal, totalTimeoutMs: checkBudget() },
        );
        run = page.find((candidate) => candidate.id === ciRunId);
        ids.push(...page.map((candidate) => candidate.id));
        more = !run && page.length >= pageSize;
      }
      if (run) {
        if (run.status !== lastSeen?.status) {
          seenSince = elapsed();
          reportedAt = seenSince;
          options.onStatus?.({ run, previousStatus: lastSeen?.status, elapsedMs: seenSince });
        }
        lastSeen = run;
        const kind = TERMINAL_CI_RUN_STATUSES.find((status) => status === run.status);
        if (kind) return { kind, run, elapsedMs: elapsed(), listCalls };
      } else {
        listedIds = ids;
        newerListed = ids.some((id) => id > ciRunId) ? newerListed + 1 : 0;
      }
      wait = nextWait(interval, runtime);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (!isRetryable(error)) throw error;
      // A check cut short by the wait's own deadline is the wait timing out, not a failure to report.
      if (elapsed() >= timeoutMs) return timedOut();
      const asked = error instanceof DatafoldRateLimitError ? (error.retryAfterMs ?? 0) : 0;
      wait = Math.max(nextWait(interval, runtime), asked);
      reportedAt = elapsed();
      options.onPollFailure?.({ error, retryInMs: wait });
    }
    interval = Math.min(interval * GROWTH, maxIntervalMs);
    if (!lastSeen && listedIds && newerListed >= NEWER_RUN_CHECKS)
      return notFound("newer-runs-listed", listedIds);
    if (!lastSeen && listedIds && elapsed() >= appearTimeoutMs) return notFound("appear-timeout", listedIds);
    const left = timeoutMs - elapsed();
    if (left <= 0) return timedOut();
    // The last sleep is cut short so the final poll happens at the deadline, not after it.
    await pause(Math.min(wait, left));
  }
}

function listQuery({ prSha, prNum, ciRunId }: WaitForCiRunOptions): ListCiRunsQuery {
  if (prSha) return { pr_sha: prSha };
  if (prNum !== undefined && prNum !== "") return { pr_num: String(prNum) };
  throw new TypeError(`waitForCiRun: run ${ciRunId}: give prSha or prNum, to list the PR's runs`);
}

function nextWait(interval: number, runtime: Runtime): number {
  return Math.round(interval * (1 - JITTER * runtime.random()));
}

function isRetryable(error: unknown): boolean {
  return (
    error instanceof DatafoldRateLimitError ||
    error instanceof DatafoldServerError ||
    error instanceof DatafoldConnectionError ||
    error instanceof DatafoldTimeoutError
  );
}
