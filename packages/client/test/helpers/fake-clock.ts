import { fakeValue, fakeClock as kitClock } from "@datafold-ci/testing";
import type { ApiCiRun } from "@datafold-ci/types";
import type { Runtime } from "../../src/runtime.js";
import type { CiRunLister } from "../../src/wait-for-ci-run.js";

type CiRunListQuery = NonNullable<Parameters<CiRunLister["listCiRuns"]>[1]>;

/** The testing kit's fake clock as the client's runtime, its sleeps recorded: an hour-long wait runs in milliseconds. */
export function fakeClock(options: { random?: number } = {}): Runtime & { sleeps: number[] } {
  const clock = kitClock(Date.UTC(2026, 10, 29, 12, 0, 0));
  const sleeps: number[] = [];
  return {
    sleeps,
    sleep: (ms, signal) => {
      sleeps.push(ms);
      return clock.sleep(ms, signal);
    },
    random: () => options.random ?? 0.5,
    now: clock.now,
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
 * `pr_num`, `limit` and `offset`; `failures` are thrown by the first calls, in order. Records each query,
 * and the `totalTimeoutMs` each call was given.
 */
export function scriptedRuns(
  clock: Runtime,
  runs: readonly ScriptedRun[],
  failures: unknown[] = [],
): CiRunLister & { queries: CiRunListQuery[]; budgets: (number | undefined)[] } {
  const start = clock.now();
  const queries: CiRunListQuery[] = [];
  const budgets: (number | undefined)[] = [];
  return {
    queries,
    budgets,
    listCiRuns: async (_ciConfigId, query = {}, options = {}) => {
      options.signal?.throwIfAborted();
      queries.push(query);
      budgets.push(options.totalTimeoutMs);
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
  // The rest of the run from the spec, so a field Datafold adds needs no edit here.
  const [listed] = fakeValue("listCiRuns", "result", [
    { id: run.id, status, pr_num: run.pr_num ?? "7", pr_sha: run.pr_sha ?? "a".repeat(40) },
  ]);
  return listed!;
}
