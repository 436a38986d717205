import type { ApiCiRun } from "@datafold-ci/types";
import type { Runtime } from "../../src/runtime.js";
import type { CiRunListQuery, CiRunLister } from "../../src/wait-for-ci-run.js";

/** A clock that moves only when the code under test sleeps: an hour-long wait runs in milliseconds. */
export function fakeClock(options: { random?: number } = {}): Runtime & { sleeps: number[] } {
  let now = Date.UTC(2026, 10, 29, 12, 0, 0);
  const sleeps: number[] = [];
  return {
    sleeps,
    sleep: async (ms, signal) => {
      signal.throwIfAborted();
      sleeps.push(ms);
      now += ms;
    },
    random: () => options.random ?? 0.5,
    now: () => now,
  };
}

/** One scripted run: its statuses by the virtual time they begin, e.g. `[[0, "waiting"], [5_000, "processing"], [60_000, "done"]]`. */
export interface ScriptedRun {
  readonly id: number;
  readonly pr_sha?: string;
  readonly pr_num?: string;
  /** From when the run is listed, in ms after the clock's start. @default 0 */
  readonly appearsAt?: number;
  readonly statuses: readonly (readonly [number, string])[];
}

/**
 * A `listCiRuns` over scripted runs on `clock`, newest (last given) first, honouring `pr_sha`,
 * `pr_num`, `limit` and `offset`; `failures` are thrown by the first calls, in order. Records each query.
 */
export function scriptedRuns(
  clock: Runtime,
  runs: readonly ScriptedRun[],
  failures: unknown[] = [],
): CiRunLister & { queries: CiRunListQuery[] } {
  const start = clock.now();
  const queries: CiRunListQuery[] = [];
  return {
    queries,
    listCiRuns: async (_ciConfigId, query = {}, options = {}) => {
      options.signal?.throwIfAborted();
      queries.push(query);
      if (failures.length > 0) throw failures.shift();
      const at = clock.now() - start;
      const listed = runs
        .filter((run) => (run.appearsAt ?? 0) <= at)
        .filter((run) => !query.pr_sha || (run.pr_sha ?? "a".repeat(40)) === query.pr_sha)
        .filter((run) => !query.pr_num || (run.pr_num ?? "7") === query.pr_num)
        .map((run): ApiCiRun => toApiRun(run, at))
        .reverse();
      const offset = query.offset ?? 0;
      return listed.slice(offset, offset + (query.limit ?? 100));
    },
  };
}

function toApiRun(run: ScriptedRun, at: number): ApiCiRun {
  const status = run.statuses.filter(([from]) => from <= at).at(-1)?.[1] ?? "waiting";
  return {
    id: run.id,
    status,
    source: "api",
    pr_num: run.pr_num ?? "7",
    base_branch: "main",
    base_sha: "b".repeat(40),
    pr_branch: "feature/x",
    pr_sha: run.pr_sha ?? "a".repeat(40),
  };
}
