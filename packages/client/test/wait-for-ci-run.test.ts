import { fakeValue } from "@datafold-ci/testing";
import { describe, expect, it } from "vitest";
import {
  DatafoldAuthError,
  DatafoldConnectionError,
  DatafoldInvalidResponseError,
  DatafoldNotFoundError,
  DatafoldRateLimitError,
  DatafoldServerError,
  DatafoldTimeoutError,
} from "../src/index.js";
import { type CiRunLister, type CiRunStatusEvent, waitForCiRun } from "../src/wait-for-ci-run.js";
import { fakeClock, type ScriptedRun, scriptedRuns } from "./helpers/fake-clock.js";

const SHA = "a".repeat(40);
const MINUTE = 60_000;
/** A run that waits 5 s, processes, and ends `outcome` after `ms`. */
const runOf = (id: number, ms: number, outcome = "done", extra: Partial<ScriptedRun> = {}): ScriptedRun => ({
  id,
  statuses: [
    [0, "waiting"],
    [5_000, "processing"],
    [ms, outcome],
  ],
  ...extra,
});

describe("waitForCiRun outcomes", () => {
  it.each(["done", "failed", "cancelled"] as const)("ends %s when the run does", async (status) => {
    const clock = fakeClock();
    const outcome = await waitForCiRun(scriptedRuns(clock, [runOf(41, 90_000, status)]), {
      ciConfigId: 12,
      ciRunId: 41,
      prSha: SHA,
      runtime: clock,
    });
    expect(outcome).toMatchObject({ kind: status, run: { id: 41, status } });
  });

  it("reports each status once when it changes, unknown statuses as they are", async () => {
    const clock = fakeClock();
    const events: CiRunStatusEvent[] = [];
    const run: ScriptedRun = {
      id: 41,
      statuses: [
        [0, "waiting"],
        [10_000, "processing"],
        [40_000, "diffing_tables"],
        [70_000, "done"],
      ],
    };
    await waitForCiRun(scriptedRuns(clock, [run]), {
      ciConfigId: 12,
      ciRunId: 41,
      prSha: SHA,
      runtime: clock,
      onStatus: (event) => events.push(event),
    });
    expect(events.map((event) => [event.previousStatus, event.run.status])).toEqual([
      [undefined, "waiting"],
      ["waiting", "processing"],
      ["processing", "diffing_tables"],
      ["diffing_tables", "done"],
    ]);
  });

  it("waits for its own run, not the PR's newest one", async () => {
    const clock = fakeClock();
    // 43 is newer and already done; 41 is ours and fails later.
    const lister = scriptedRuns(clock, [runOf(41, 60_000, "failed"), runOf(43, 1_000, "done")]);
    const outcome = await waitForCiRun(lister, { ciConfigId: 12, ciRunId: 41, prSha: SHA, runtime: clock });
    expect(outcome).toMatchObject({ kind: "failed", run: { id: 41 } });
    expect(lister.queries[0]).toEqual({ pr_sha: SHA, limit: 100, offset: 0 });
  });

  it("reads further pages until it finds the run", async () => {
    const clock = fakeClock();
    const runs = [runOf(41, 0), runOf(42, 0), runOf(43, 0), runOf(44, 0), runOf(45, 0)];
    const lister = scriptedRuns(clock, runs);
    const outcome = await waitForCiRun(lister, {
      ciConfigId: 12,
      ciRunId: 41,
      prSha: SHA,
      pageSize: 2,
      runtime: clock,
    });
    expect(outcome).toMatchObject({ kind: "done", run: { id: 41 }, listCalls: 3 });
    expect(lister.queries.map((query) => query.offset)).toEqual([0, 2, 4]);
  });

  it("lists by PR number when it has no SHA", async () => {
    const clock = fakeClock();
    const lister = scriptedRuns(clock, [runOf(41, 10_000, "done", { pr_num: "8" })]);
    await waitForCiRun(lister, { ciConfigId: 12, ciRunId: 41, prNum: 8, runtime: clock });
    expect(lister.queries[0]).toEqual({ pr_num: "8", limit: 100, offset: 0 });
  });

  it("waits for a new run to appear in the list", async () => {
    const clock = fakeClock();
    const lister = scriptedRuns(clock, [runOf(41, 50_000, "done", { appearsAt: 45_000 })]);
    const outcome = await waitForCiRun(lister, { ciConfigId: 12, ciRunId: 41, prSha: SHA, runtime: clock });
    expect(outcome.kind).toBe("done");
  });

  it("ends not-found after 60 s naming the ids listed, so an id mismatch is no hang", async () => {
    const clock = fakeClock();
    // Older runs only: 9001 could be a new run Datafold has not listed yet, so the wait gives it 60 s.
    const lister = scriptedRuns(clock, [runOf(7001, 0, "processing"), runOf(7002, 0, "processing")]);
    const outcome = await waitForCiRun(lister, { ciConfigId: 12, ciRunId: 9001, prSha: SHA, runtime: clock });
    expect(outcome).toMatchObject({ kind: "not-found", reason: "appear-timeout", listedIds: [7002, 7001] });
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(60_000);
    expect(outcome.elapsedMs).toBeLessThan(60_000 + 15_000);
  });

  it("ends not-found at the second check that lists a newer run of the PR but not this one", async () => {
    const clock = fakeClock();
    const lister = scriptedRuns(clock, [runOf(7001, 0, "processing"), runOf(7002, 0, "processing")]);
    const outcome = await waitForCiRun(lister, { ciConfigId: 12, ciRunId: 41, prSha: SHA, runtime: clock });
    expect(outcome).toMatchObject({
      kind: "not-found",
      reason: "newer-runs-listed",
      listedIds: [7002, 7001],
      listCalls: 2,
    });
    expect(outcome.elapsedMs).toBeLessThanOrEqual(2_000);
  });

  it("keeps waiting for a run older than every listed one only while checks disagree", async () => {
    const clock = fakeClock();
    // A newer run, listed once, then gone (a list read mid-write): no two checks in a row, so 41 gets its time.
    const lister = scriptedRuns(clock, [runOf(41, 30_000, "done", { appearsAt: 20_000 })]);
    const [newer] = fakeValue("listCiRuns", "result", [{ id: 50, status: "processing", pr_sha: SHA }]);
    let call = 0;
    const flaky: CiRunLister = {
      listCiRuns: async (...args) => {
        const page = await lister.listCiRuns(...args);
        call += 1;
        return call === 1 ? [newer!, ...page] : page;
      },
    };
    const outcome = await waitForCiRun(flaky, {
      ciConfigId: 12,
      ciRunId: 41,
      prSha: SHA,
      runtime: clock,
    });
    expect(outcome).toMatchObject({ kind: "done", run: { id: 41 } });
  });

  it("times out with the run's last status", async () => {
    const clock = fakeClock();
    const lister = scriptedRuns(clock, [runOf(41, 10 * MINUTE)]);
    const outcome = await waitForCiRun(lister, {
      ciConfigId: 12,
      ciRunId: 41,
      prSha: SHA,
      timeoutMs: 2 * MINUTE,
      runtime: clock,
    });
    expect(outcome).toMatchObject({ kind: "timed-out", run: { id: 41, status: "processing" } });
    // The last wait is cut to the deadline, and one last poll made there.
    expect(outcome.elapsedMs).toBe(2 * MINUTE);
  });

  it("rejects with the signal's reason when aborted", async () => {
    const clock = fakeClock();
    const controller = new AbortController();
    const lister = scriptedRuns(clock, [runOf(41, 10 * MINUTE)]);
    const reason = new Error("SIGTERM");
    const waiting = waitForCiRun(lister, {
      ciConfigId: 12,
      ciRunId: 41,
      prSha: SHA,
      runtime: clock,
      signal: controller.signal,
      onStatus: ({ run }) => run.status === "processing" && controller.abort(reason),
    });
    await expect(waiting).rejects.toBe(reason);
  });

  it("refuses to start without a SHA or a PR number", async () => {
    const clock = fakeClock();
    await expect(
      waitForCiRun(scriptedRuns(clock, []), { ciConfigId: 12, ciRunId: 41, runtime: clock }),
    ).rejects.toThrow(/run 41: give prSha or prNum/);
  });
});

describe("waitForCiRun's heartbeat", () => {
  /** The times a wait reported anything (status changes, heartbeats), and the heartbeats' events. */
  async function reports(options: { interval?: number; minutes?: number } = {}) {
    const clock = fakeClock();
    const start = clock.now();
    const minutes = options.minutes ?? 40;
    const times: number[] = [];
    const beats: { elapsedMs: number; clockMs: number; status: string | undefined; heldMs: number }[] = [];
    await waitForCiRun(scriptedRuns(clock, [runOf(41, minutes * MINUTE)]), {
      ciConfigId: 12,
      ciRunId: 41,
      prSha: SHA,
      runtime: clock,
      timeoutMs: 2 * 60 * MINUTE,
      ...(options.interval && { initialIntervalMs: options.interval, maxIntervalMs: options.interval }),
      onStatus: ({ elapsedMs }) => times.push(elapsedMs),
      onHeartbeat: ({ elapsedMs, run, statusHeldMs }) => {
        times.push(elapsedMs);
        beats.push({ elapsedMs, clockMs: clock.now() - start, status: run?.status, heldMs: statusHeldMs });
      },
    });
    const gaps = times.slice(1).map((time, i) => ({ after: times[i]!, gap: time - times[i]! }));
    return { times, beats, gaps };
  }

  it("reports a status that holds at least every minute for 10 minutes, then at least every 5", async () => {
    const { gaps, beats } = await reports();
    for (const { after, gap } of gaps)
      expect(gap).toBeLessThanOrEqual(after < 10 * MINUTE ? MINUTE : 5 * MINUTE);
    // A 40-minute run: a line a minute for 10 minutes, then every 5 minutes, not one line per check.
    expect(beats.length).toBeGreaterThanOrEqual(14);
    expect(beats.length).toBeLessThanOrEqual(18);
  });

  it("beats on time even when checks are 5 minutes apart", async () => {
    const { gaps } = await reports({ interval: 5 * MINUTE, minutes: 12 });
    for (const { after, gap } of gaps)
      expect(gap).toBeLessThanOrEqual(after < 10 * MINUTE ? MINUTE : 5 * MINUTE);
  });

  it("says the status the last check saw and the true time waited and held", async () => {
    const { beats } = await reports({ minutes: 3 });
    // "processing" from 5 s, seen at the check after it: the first beat comes a minute after that check.
    expect(beats[0]).toMatchObject({ status: "processing" });
    expect(beats[0]!.elapsedMs).toBeGreaterThan(MINUTE + 5_000);
    expect(beats[0]!.elapsedMs).toBeLessThan(MINUTE + 15_000);
    for (const beat of beats) {
      expect(beat.elapsedMs).toBe(beat.clockMs);
      expect(beat.heldMs).toBeLessThanOrEqual(beat.elapsedMs - 5_000);
    }
  });

  it("follows heartbeatMs, and is off without onHeartbeat", async () => {
    const clock = fakeClock();
    const beats: number[] = [];
    let seen = 0;
    await waitForCiRun(scriptedRuns(clock, [runOf(41, 2 * MINUTE)]), {
      ciConfigId: 12,
      ciRunId: 41,
      prSha: SHA,
      runtime: clock,
      heartbeatMs: 20_000,
      onStatus: ({ run, elapsedMs }) => {
        if (run.status === "processing") seen = elapsedMs;
      },
      onHeartbeat: ({ elapsedMs }) => beats.push(elapsedMs),
    });
    expect(beats.slice(0, 3)).toEqual([seen + 20_000, seen + 40_000, seen + 60_000]);
    const quiet = fakeClock();
    await waitForCiRun(scriptedRuns(quiet, [runOf(41, 2 * MINUTE)]), {
      ciConfigId: 12,
      ciRunId: 41,
      prSha: SHA,
      runtime: quiet,
    });
    // Without a heartbeat the sleeps are the poll intervals only.
    expect(quiet.sleeps.every((ms) => ms > 1_000 && ms <= 15_000)).toBe(true);
  });
});

describe("waitForCiRun's checks within the wait", () => {
  it("gives each check the client's budget, cut to what remains of the wait but never below 10 s", async () => {
    const clock = fakeClock();
    const lister = scriptedRuns(clock, [runOf(41, 10 * MINUTE)]);
    const outcome = await waitForCiRun(
      { ...lister, config: { totalTimeoutMs: 120_000 } },
      { ciConfigId: 12, ciRunId: 41, prSha: SHA, runtime: clock, timeoutMs: 3 * MINUTE },
    );
    expect(outcome.kind).toBe("timed-out");
    expect(lister.budgets[0]).toBe(120_000);
    expect(Math.min(...(lister.budgets as number[]))).toBe(10_000);
    expect(lister.budgets.every((budget) => budget !== undefined && budget <= 120_000)).toBe(true);
  });

  it("ends timed-out, without a failure report, when the check at the deadline runs out of time", async () => {
    const clock = fakeClock();
    const start = clock.now();
    const failures: unknown[] = [];
    const lister = scriptedRuns(clock, [runOf(41, 10 * MINUTE)]);
    const listCiRuns = lister.listCiRuns;
    const outcome = await waitForCiRun(
      {
        listCiRuns: async (...args: Parameters<typeof listCiRuns>) => {
          if (clock.now() - start >= MINUTE) {
            clock.sleep(10_000, new AbortController().signal);
            throw new DatafoldTimeoutError("budget", { budget: "total", timeoutMs: 10_000 });
          }
          return listCiRuns(...args);
        },
      },
      {
        ciConfigId: 12,
        ciRunId: 41,
        prSha: SHA,
        runtime: clock,
        timeoutMs: MINUTE,
        onPollFailure: ({ error }) => failures.push(error),
      },
    );
    expect(outcome).toMatchObject({ kind: "timed-out", run: { status: "processing" } });
    expect(failures).toEqual([]);
  });
});

describe("waitForCiRun when polling fails", () => {
  const retryable = () => [
    new DatafoldServerError("502", { status: 502 }),
    new DatafoldConnectionError("reset", { kind: "reset" }),
    new DatafoldTimeoutError("slow", { budget: "attempt", timeoutMs: 30_000 }),
    new DatafoldRateLimitError("429", { status: 429 }),
  ];

  it("retries 429, 5xx, connection errors and timeouts, and still reports the outcome", async () => {
    const clock = fakeClock();
    const failures: unknown[] = [];
    const lister = scriptedRuns(clock, [runOf(41, 40_000, "done")], retryable());
    const outcome = await waitForCiRun(lister, {
      ciConfigId: 12,
      ciRunId: 41,
      prSha: SHA,
      runtime: clock,
      onPollFailure: ({ error }) => failures.push(error),
    });
    expect(outcome.kind).toBe("done");
    expect(failures.map((error) => (error as Error).name)).toEqual([
      "DatafoldServerError",
      "DatafoldConnectionError",
      "DatafoldTimeoutError",
      "DatafoldRateLimitError",
    ]);
  });

  it("waits at least as long as Retry-After asks", async () => {
    const clock = fakeClock();
    const lister = scriptedRuns(
      clock,
      [runOf(41, 40_000)],
      [new DatafoldRateLimitError("429", { status: 429, retryAfterMs: 45_000 })],
    );
    await waitForCiRun(lister, { ciConfigId: 12, ciRunId: 41, prSha: SHA, runtime: clock });
    expect(clock.sleeps[0]).toBe(45_000);
  });

  it("keeps failing polls within the wait's timeout", async () => {
    const clock = fakeClock();
    const failures = Array.from({ length: 1000 }, () => new DatafoldServerError("503", { status: 503 }));
    const lister = scriptedRuns(clock, [runOf(41, 0)], failures);
    const outcome = await waitForCiRun(lister, {
      ciConfigId: 12,
      ciRunId: 41,
      prSha: SHA,
      timeoutMs: 5 * MINUTE,
      runtime: clock,
    });
    expect(outcome).toMatchObject({ kind: "timed-out", run: undefined, elapsedMs: 5 * MINUTE });
  });

  it.each([
    new DatafoldAuthError("401", { status: 401 }),
    new DatafoldAuthError("403", { status: 403 }),
    new DatafoldNotFoundError("404", { status: 404 }),
    new DatafoldInvalidResponseError("not JSON", { status: 200 }),
  ])("ends the wait with $name ($status)", async (error) => {
    const clock = fakeClock();
    const lister = scriptedRuns(clock, [runOf(41, 40_000)], [error]);
    await expect(
      waitForCiRun(lister, { ciConfigId: 12, ciRunId: 41, prSha: SHA, runtime: clock }),
    ).rejects.toBe(error);
    expect(lister.queries).toHaveLength(1);
  });
});

describe("waitForCiRun economy (fake clock)", () => {
  // random 1: the most jitter, so the shortest waits and the most calls; random 0: the longest waits.
  // Budgets: 60 calls for a 10-minute run (half the official SDK's 120); elsewhere at most the official SDK's 12 a minute, or half of it.
  it.each([
    [1, 12],
    [10, 60],
    [60, 360],
  ])("a %i-minute run costs at most %i list calls and is reported within 15 s", async (minutes, budget) => {
    for (const random of [0, 1]) {
      const clock = fakeClock({ random });
      const ends = minutes * MINUTE;
      const lister = scriptedRuns(clock, [runOf(41, ends)]);
      const outcome = await waitForCiRun(lister, {
        ciConfigId: 12,
        ciRunId: 41,
        prSha: SHA,
        timeoutMs: 2 * 60 * MINUTE,
        runtime: clock,
      });
      expect(outcome.kind).toBe("done");
      expect(outcome.listCalls).toBeLessThanOrEqual(budget);
      expect(outcome.elapsedMs - ends).toBeLessThanOrEqual(15_000);
    }
  });

  it("grows from the first interval to at most 15 s", async () => {
    const clock = fakeClock({ random: 0 });
    await waitForCiRun(scriptedRuns(clock, [runOf(41, 5 * MINUTE)]), {
      ciConfigId: 12,
      ciRunId: 41,
      prSha: SHA,
      runtime: clock,
    });
    expect(clock.sleeps.slice(0, 6)).toEqual([2_000, 3_000, 4_500, 6_750, 10_125, 15_000]);
    expect(Math.max(...clock.sleeps)).toBe(15_000);
  });
});
