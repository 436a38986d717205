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

/** What {@link waitForCiRun} needs of a client: its `listCiRuns` (`GET …/runs`). Any `DatafoldClient` is one. */
export type CiRunLister = Pick<DatafoldMethods, "listCiRuns">;

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
  /** How long a new run may take to appear in the list. @default 60_000 (the official SDK's) */
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
      /** The run did not appear within `appearTimeoutMs`; `listedIds` are the runs that were listed instead. */
      readonly kind: "not-found";
      readonly listedIds: readonly number[];
      readonly elapsedMs: number;
      readonly listCalls: number;
    };

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
 *
 * @throws the client's error that ended the wait, or `signal.reason` on abort.
 * @example
 * const job = await datafold.triggerPrRun(12, details);
 * if (job.ci_run_id != null) {
 *   const outcome = await waitForCiRun(datafold, { ciConfigId: 12, ciRunId: job.ci_run_id, prSha: details.pr_sha,
 *     onStatus: ({ run }) => console.error(`run ${run.id}: ${run.status}`) });
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
  } = options;
  const signal = options.signal ?? new AbortController().signal;
  const query = listQuery(options);
  const started = runtime.now();
  const elapsed = () => runtime.now() - started;
  let listCalls = 0;
  let interval = initialIntervalMs;
  let lastSeen: ApiCiRun | undefined;
  let listedIds: number[] | undefined;

  for (;;) {
    signal.throwIfAborted();
    let wait: number;
    try {
      const { run, ids } = await findRun(client, ciConfigId, ciRunId, query, pageSize, signal, () => {
        listCalls += 1;
      });
      if (run) {
        if (run.status !== lastSeen?.status)
          options.onStatus?.({ run, previousStatus: lastSeen?.status, elapsedMs: elapsed() });
        lastSeen = run;
        const kind = TERMINAL_CI_RUN_STATUSES.find((status) => status === run.status);
        if (kind) return { kind, run, elapsedMs: elapsed(), listCalls };
      } else listedIds = ids;
      wait = nextWait(interval, runtime);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (!isRetryable(error)) throw error;
      const asked = error instanceof DatafoldRateLimitError ? (error.retryAfterMs ?? 0) : 0;
      wait = Math.max(nextWait(interval, runtime), asked);
      options.onPollFailure?.({ error, retryInMs: wait });
    }
    interval = Math.min(interval * GROWTH, maxIntervalMs);
    if (!lastSeen && listedIds && elapsed() >= appearTimeoutMs)
      return { kind: "not-found", listedIds, elapsedMs: elapsed(), listCalls };
    const left = timeoutMs - elapsed();
    if (left <= 0) return { kind: "timed-out", run: lastSeen, elapsedMs: elapsed(), listCalls };
    // The last sleep is cut short so the final poll happens at the deadline, not after it.
    await runtime.sleep(Math.min(wait, left), signal);
  }
}

function listQuery({ prSha, prNum, ciRunId }: WaitForCiRunOptions): ListCiRunsQuery {
  if (prSha) return { pr_sha: prSha };
  if (prNum !== undefined && prNum !== "") return { pr_num: String(prNum) };
  throw new TypeError(`waitForCiRun: run ${ciRunId}: give prSha or prNum, to list the PR's runs`);
}

/** Reads pages of the PR's runs until one holds `ciRunId` or a page comes back short. */
async function findRun(
  client: CiRunLister,
  ciConfigId: number,
  ciRunId: number,
  query: ListCiRunsQuery,
  limit: number,
  signal: AbortSignal,
  counted: () => void,
): Promise<{ run: ApiCiRun | undefined; ids: number[] }> {
  const ids: number[] = [];
  for (;;) {
    counted();
    const page = await client.listCiRuns(ciConfigId, { ...query, limit, offset: ids.length }, { signal });
    const run = page.find((candidate) => candidate.id === ciRunId);
    ids.push(...page.map((candidate) => candidate.id));
    if (run || page.length < limit) return { run, ids };
  }
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
