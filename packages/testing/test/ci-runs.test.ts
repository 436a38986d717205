import { CI_OPERATION_NAMES, datafoldApi, findOperation } from "@datafold-ci/api-description";
import { afterEach, describe, expect, it } from "vitest";
import { createDatafoldSimulator } from "../src/datafold-simulator.js";
import {
  type FakeClock,
  fakeClock,
  type MockDatafold,
  type MockDatafoldOptions,
  startMockDatafold,
} from "../src/index.js";
import { serveSimulator } from "../src/mock-datafold.js";
import { listRuns, runsPath, runStatuses as statuses, send, trigger, validDetails } from "./helpers.js";

let mock: MockDatafold | undefined;
let clock: FakeClock;
const start = async (options: MockDatafoldOptions = {}) => {
  clock = fakeClock();
  mock = await startMockDatafold({ clock, ...options });
  return mock;
};
afterEach(() => mock?.close());

const diff = { prod: "analytics.orders", pr: "pr_123.orders", pk: ["id"] };
const upload = (datafold: MockDatafold, ciConfigId: number, prNum: number | string, body: unknown = [diff]) =>
  send(datafold, `/api/v1/ci/${ciConfigId}/${prNum}`, { body });

describe("a trigger records a run that GET …/runs lists", () => {
  it("lists the run as Datafold's ApiCiRun, pr_num as a string, waiting at first", async () => {
    const datafold = await start();
    expect(await trigger(datafold, 4)).toEqual({ ci_run_id: 1, run_id: 1 });
    expect(await listRuns(datafold, 4)).toEqual([
      {
        id: 1,
        base_branch: "main",
        base_sha: "9b1d4e7",
        pr_branch: "feature/login",
        pr_num: "7",
        pr_sha: "0f3c2a9",
        source: "api",
        status: "waiting",
      },
    ]);
  });

  it("lists a config's runs only, newest first", async () => {
    const datafold = await start();
    await trigger(datafold, 1);
    await trigger(datafold, 2);
    await trigger(datafold, 1);
    expect((await listRuns(datafold, 1)).map((run) => run.id)).toEqual([3, 1]);
    expect((await listRuns(datafold, 2)).map((run) => run.id)).toEqual([2]);
    expect(await listRuns(datafold, 9)).toEqual([]);
  });

  it("starts no run for a noRunFor config, so nothing is listed", async () => {
    const datafold = await start({ noRunFor: [5] });
    expect(await trigger(datafold, 5)).toEqual({ ci_run_id: null, run_id: null });
    expect(await listRuns(datafold, 5)).toEqual([]);
  });

  it("filters by pr_sha and by pr_num, which is a string query parameter", async () => {
    const datafold = await start();
    await trigger(datafold, 1, { pr_number: 7, pr_sha: "aaa" });
    await trigger(datafold, 1, { pr_number: 8, pr_sha: "bbb" });
    await trigger(datafold, 1, { pr_number: 7, pr_sha: "ccc" });
    const ids = async (query: string) => (await listRuns(datafold, 1, query)).map((run) => run.id);
    expect(await ids("?pr_sha=aaa")).toEqual([1]);
    expect(await ids("?pr_num=7")).toEqual([3, 1]);
    expect(await ids("?pr_num=7&pr_sha=ccc")).toEqual([3]);
    expect(await ids("?pr_sha=aa")).toEqual([]); // no prefix matching: the whole SHA
    expect(await ids("?pr_num=007")).toEqual([]); // a string, compared as one
  });

  it("pages with limit and offset, newest first", async () => {
    const datafold = await start();
    for (let i = 0; i < 5; i++) await trigger(datafold, 1);
    const ids = async (query: string) => (await listRuns(datafold, 1, query)).map((run) => run.id);
    expect(await ids("?limit=2")).toEqual([5, 4]);
    expect(await ids("?limit=2&offset=2")).toEqual([3, 2]);
    expect(await ids("?offset=4")).toEqual([1]);
    expect(await ids("?offset=9")).toEqual([]);
  });

  it("lists at most 100 runs when no limit is given (the spec's default)", async () => {
    const datafold = await start();
    for (let i = 0; i < 101; i++) await trigger(datafold, 1);
    const runs = await listRuns(datafold, 1);
    expect([runs.length, runs[0]?.id, runs.at(-1)?.id]).toEqual([100, 101, 2]);
  });
});

describe("a run waits for its diffs, as Datafold's runs started through the API do", () => {
  it("keeps a run waiting while the pipeline builds, attaches the diffs it submits, then moves on", async () => {
    const datafold = await start();
    await trigger(datafold, 1, { pr_number: 7 });
    clock.advance(90_000); // the pipeline installs dbt, builds the changed models, computes the diffs
    expect(await statuses(datafold)).toEqual([[1, "waiting"]]);
    expect(await (await upload(datafold, 1, 7)).json()).toEqual({ ci_run_id: 1, run_id: 1 });
    expect(datafold.runs()[0]?.uploads).toEqual([[diff]]);
    // then the default stages, counted from the upload: waiting 1 s, processing 4 s, done
    clock.advance(999);
    expect(await statuses(datafold)).toEqual([[1, "waiting"]]);
    clock.advance(1);
    expect(await statuses(datafold)).toEqual([[1, "processing"]]);
    clock.advance(4000);
    expect(await statuses(datafold)).toEqual([[1, "done"]]);
  });

  it("moves on without diffs after a ten-minute grace period", async () => {
    const datafold = await start();
    await trigger(datafold);
    clock.advance(10 * 60_000 - 1);
    expect(await statuses(datafold)).toEqual([[1, "waiting"]]);
    clock.advance(1 + 1000);
    expect(await statuses(datafold)).toEqual([[1, "processing"]]);
    clock.advance(4000);
    expect(await statuses(datafold)).toEqual([[1, "done"]]);
  });

  it("starts the stages at the first upload: a second one changes nothing", async () => {
    const datafold = await start({ runLifecycle: { stages: [{ status: "processing", ms: 60_000 }] } });
    await trigger(datafold, 1, { pr_number: 7 });
    clock.advance(5000);
    await upload(datafold, 1, 7);
    clock.advance(30_000);
    expect(await (await upload(datafold, 1, 7)).json()).toEqual({ ci_run_id: 1, run_id: 1 });
    expect(await statuses(datafold)).toEqual([[1, "processing"]]);
    clock.advance(30_000);
    expect(await statuses(datafold)).toEqual([[1, "done"]]);
    expect(datafold.runs()[0]?.uploads).toHaveLength(2);
  });

  it("takes the grace period from the lifecycle: scripted, Infinity, or 0 for a run that moves on at once", async () => {
    const datafold = await start({ runLifecycle: { waitForDiffsMs: 30_000, stages: [] } });
    datafold.scriptRuns({ waitForDiffsMs: Number.POSITIVE_INFINITY, stages: [] }, { stages: [] });
    await trigger(datafold); // waits for ever
    await trigger(datafold); // scripted without waitForDiffsMs: the default ten minutes
    await trigger(datafold); // the runLifecycle option: 30 s
    clock.advance(30_000);
    expect(await statuses(datafold)).toEqual([
      [3, "done"],
      [2, "waiting"],
      [1, "waiting"],
    ]);
    clock.advance(24 * 3_600_000);
    expect(await statuses(datafold)).toEqual([
      [3, "done"],
      [2, "done"],
      [1, "waiting"],
    ]);
  });

  it("with waitForDiffsMs: 0 (the quick lifecycle) is done 5 s after the trigger, diffs or not", async () => {
    const datafold = await start({ runLifecycle: { waitForDiffsMs: 0 } });
    await trigger(datafold, 1, { pr_number: 7 });
    clock.advance(5000);
    expect(await statuses(datafold)).toEqual([[1, "done"]]);
    expect(await (await upload(datafold, 1, 7)).json()).toEqual({ ci_run_id: null, run_id: null });
  });
});

describe("the run lifecycle, on the kit's clock", () => {
  it("moves waiting → processing → done by the default stages, read lazily from the clock", async () => {
    const datafold = await start({ runLifecycle: { waitForDiffsMs: 0 } });
    await trigger(datafold);
    expect(await statuses(datafold)).toEqual([[1, "waiting"]]);
    clock.advance(999);
    expect(await statuses(datafold)).toEqual([[1, "waiting"]]);
    clock.advance(1);
    expect(await statuses(datafold)).toEqual([[1, "processing"]]);
    clock.advance(3999);
    expect(await statuses(datafold)).toEqual([[1, "processing"]]);
    clock.advance(1);
    expect(await statuses(datafold)).toEqual([[1, "done"]]);
    clock.advance(86_400_000);
    expect(await statuses(datafold)).toEqual([[1, "done"]]);
  });

  it("gives every run the runLifecycle option's timings and outcome", async () => {
    const datafold = await start({
      runLifecycle: { waitForDiffsMs: 0, stages: [{ status: "processing", ms: 60_000 }], outcome: "failed" },
    });
    await trigger(datafold);
    expect(await statuses(datafold)).toEqual([[1, "processing"]]);
    clock.advance(60_000);
    expect(await statuses(datafold)).toEqual([[1, "failed"]]);
  });

  it("decides each run's lifecycle by a rule that sees the trigger's details", async () => {
    const datafold = await start({
      runLifecycle: (run) => ({
        waitForDiffsMs: 0,
        stages: [],
        outcome: run.details.pr_branch === "broken" ? "failed" : `done-for-${run.ciConfigId}-${run.runId}`,
      }),
    });
    await trigger(datafold, 3, { pr_branch: "broken" });
    await trigger(datafold, 3, { pr_branch: "fine" });
    expect(await statuses(datafold, 3)).toEqual([
      [2, "done-for-3-2"],
      [1, "failed"],
    ]);
  });

  it("plays scriptRuns lifecycles for the next runs, one each, before the rule", async () => {
    const datafold = await start({ runLifecycle: { waitForDiffsMs: 0, stages: [], outcome: "done" } });
    datafold.scriptRuns(
      { waitForDiffsMs: 0, stages: [{ status: "queued_for_warehouse", ms: 10 }], outcome: "cancelled" },
      { waitForDiffsMs: 0, outcome: "failed" },
    );
    await trigger(datafold);
    await trigger(datafold);
    await trigger(datafold);
    // unknown statuses are listed as they are; an omitted stages list keeps the default stages
    expect(await statuses(datafold)).toEqual([
      [3, "done"],
      [2, "waiting"],
      [1, "queued_for_warehouse"],
    ]);
    clock.advance(5000);
    expect(await statuses(datafold)).toEqual([
      [3, "done"],
      [2, "failed"],
      [1, "cancelled"],
    ]);
  });

  it("lets a test set a run's status directly, to any string, for good", async () => {
    const datafold = await start();
    await trigger(datafold);
    datafold.setRunStatus(1, "blocked_on_label");
    expect(await statuses(datafold)).toEqual([[1, "blocked_on_label"]]);
    clock.advance(3_600_000);
    expect(await statuses(datafold)).toEqual([[1, "blocked_on_label"]]);
    expect(() => datafold.setRunStatus(2, "done")).toThrow("setRunStatus(): no run 2; started so far: 1.");
  });

  it("shows runs, their status and uploads through runs()", async () => {
    const datafold = await start();
    await trigger(datafold, 1);
    await trigger(datafold, 2);
    await upload(datafold, 1, 7);
    expect(datafold.runs().map((run) => [run.ciConfigId, run.id, run.status])).toEqual([
      [2, 2, "waiting"],
      [1, 1, "waiting"],
    ]);
    expect(datafold.runs(1)).toEqual([expect.objectContaining({ id: 1, uploads: [[diff]] })]);
  });

  it("shares one fake clock with a polling client: an hour-long run is waited for at once", async () => {
    const datafold = await start({
      runLifecycle: { waitForDiffsMs: 0, stages: [{ status: "processing", ms: 3_600_000 }] },
    });
    // The client package's Runtime shape, built from the same clock.
    const runtime = { now: clock.now, sleep: clock.sleep, random: () => 0.5 };
    await trigger(datafold);
    const began = runtime.now();
    let polls = 0;
    let status: unknown;
    for (;;) {
      polls++;
      [{ status }] = (await listRuns(datafold, 1, "?pr_sha=0f3c2a9&limit=1")) as [{ status: unknown }];
      if (status === "done") break;
      await runtime.sleep(60_000, new AbortController().signal);
    }
    expect({ status, polls, waited: runtime.now() - began }).toEqual({
      status: "done",
      polls: 61,
      waited: 3_600_000,
    });
  });

  it("runs on the real clock by default", async () => {
    mock = await startMockDatafold({
      runLifecycle: { waitForDiffsMs: 0, stages: [{ status: "processing", ms: 150 }] },
    });
    await trigger(mock);
    expect(mock.runs()[0]?.status).toBe("processing");
    await expect.poll(() => mock?.runs()[0]?.status, { timeout: 3000 }).toBe("done");
  });

  it("refuses a malformed lifecycle where it is given, naming the field", async () => {
    await expect(
      startMockDatafold({ runLifecycle: { stages: [{ status: "waiting", ms: -1 }] } }),
    ).rejects.toThrow(
      "startMockDatafold: options.runLifecycle: `stages[0].ms` must be a finite number of milliseconds, 0 or more",
    );
    await expect(startMockDatafold({ clock: {} as never })).rejects.toThrow(
      "startMockDatafold: options.clock must be an object with a now() method",
    );
    const datafold = await start();
    expect(() => datafold.scriptRuns({ outcome: "" })).toThrow(
      "scriptRuns(): lifecycle 1: `outcome` must be a non-empty status string",
    );
  });

  it("refuses a negative grace period and a misspelt field, which would otherwise wait ten minutes", async () => {
    await expect(startMockDatafold({ runLifecycle: { waitForDiffsMs: -1 } })).rejects.toThrow(
      "startMockDatafold: options.runLifecycle: `waitForDiffsMs` must be a number of milliseconds, 0 or more (or Infinity)",
    );
    const datafold = await start();
    expect(() => datafold.scriptRuns({ waitForDiffMs: 0 } as never)).toThrow(
      "scriptRuns(): lifecycle 1: unknown field `waitForDiffMs` (a run lifecycle has `waitForDiffsMs`, `stages`, `outcome`)",
    );
  });
});

describe("uploads (POST …/{pr_num}) attach to the PR's newest unfinished run", () => {
  it("answers the ids of the newest unfinished run of that PR number", async () => {
    const datafold = await start({ runLifecycle: { stages: [{ status: "waiting", ms: 10_000 }] } });
    await trigger(datafold, 1, { pr_number: 7 });
    await trigger(datafold, 1, { pr_number: 8 });
    await trigger(datafold, 1, { pr_number: 7 });
    const response = await upload(datafold, 1, 7);
    expect([response.status, await response.json()]).toEqual([200, { ci_run_id: 3, run_id: 3 }]);
    expect(datafold.runs(1).map((run) => [run.id, run.uploads.length])).toEqual([
      [3, 1],
      [2, 0],
      [1, 0],
    ]);
  });

  it("skips finished runs, and answers null ids when none is unfinished", async () => {
    const datafold = await start({ runLifecycle: { stages: [{ status: "waiting", ms: 10_000 }] } });
    await trigger(datafold, 1, { pr_number: 7 });
    await trigger(datafold, 1, { pr_number: 7 });
    datafold.setRunStatus(2, "failed");
    expect(await (await upload(datafold, 1, 7)).json()).toEqual({ ci_run_id: 1, run_id: 1 });
    clock.advance(10_000);
    expect(await (await upload(datafold, 1, 7)).json()).toEqual({ ci_run_id: null, run_id: null });
  });

  it("answers null ids for a PR or config with no run", async () => {
    const datafold = await start();
    await trigger(datafold, 1, { pr_number: 7 });
    expect(await (await upload(datafold, 1, 8)).json()).toEqual({ ci_run_id: null, run_id: null });
    expect(await (await upload(datafold, 2, 7)).json()).toEqual({ ci_run_id: null, run_id: null });
  });

  it("accepts duplicate pk columns: pydantic's set[str] removes them rather than refusing", async () => {
    const datafold = await start();
    await trigger(datafold);
    const response = await upload(datafold, 1, 7, [{ ...diff, pk: ["id", "id"] }]);
    expect([response.status, await response.json()]).toEqual([200, { ci_run_id: 1, run_id: 1 }]);
  });
});

describe("supersede: a newer trigger for the same PR cancels the older unfinished run", () => {
  it("leaves older runs alone by default", async () => {
    const datafold = await start();
    await trigger(datafold, 1, { pr_number: 7 });
    await trigger(datafold, 1, { pr_number: 7 });
    expect(await statuses(datafold)).toEqual([
      [2, "waiting"],
      [1, "waiting"],
    ]);
  });

  it("cancels the older unfinished runs of the same config and PR when turned on", async () => {
    const datafold = await start({ supersede: true, runLifecycle: { waitForDiffsMs: 0 } });
    await trigger(datafold, 1, { pr_number: 7 });
    await trigger(datafold, 1, { pr_number: 8 });
    await trigger(datafold, 2, { pr_number: 7 });
    await trigger(datafold, 1, { pr_number: 7 });
    expect(await statuses(datafold, 1)).toEqual([
      [4, "waiting"],
      [2, "waiting"],
      [1, "cancelled"],
    ]);
    expect(await statuses(datafold, 2)).toEqual([[3, "waiting"]]);
    clock.advance(60_000);
    expect((await statuses(datafold, 1)).map(([, status]) => status)).toEqual(["done", "done", "cancelled"]);
  });

  it("does not touch a run that had already finished", async () => {
    const datafold = await start({ supersede: true, runLifecycle: { waitForDiffsMs: 0 } });
    await trigger(datafold, 1, { pr_number: 7 });
    clock.advance(5000);
    await trigger(datafold, 1, { pr_number: 7 });
    expect(await statuses(datafold)).toEqual([
      [2, "waiting"],
      [1, "done"],
    ]);
  });
});

describe("routing as Datafold's FastAPI app routes (literal routes first)", () => {
  it("takes POST …/5/trigger as the trigger, not as an upload for PR 'trigger'", async () => {
    const datafold = await start();
    const response = await send(datafold, "/api/v1/ci/5/trigger", { body: validDetails });
    expect([response.status, await response.json()]).toEqual([200, { ci_run_id: 1, run_id: 1 }]);
  });

  it("takes POST …/5/runs as an upload whose pr_num fails to parse: 422 at path.pr_num", async () => {
    const datafold = await start();
    const response = await send(datafold, "/api/v1/ci/5/runs", { body: [diff] });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      detail: [
        {
          type: "int_parsing",
          loc: ["path", "pr_num"],
          msg: "Input should be a valid integer, unable to parse string as an integer",
          input: "runs",
        },
      ],
    });
  });

  it("answers GET …/5/7 with 405, allowing POST", async () => {
    const datafold = await start();
    const response = await send(datafold, "/api/v1/ci/5/7", { method: "GET" });
    expect([response.status, response.headers.get("allow"), await response.json()]).toEqual([
      405,
      "POST",
      { detail: "Method Not Allowed" },
    ]);
  });
});

describe("FastAPI's 422 locations for the new parameters and bodies", () => {
  const locsOf = async (response: Response) =>
    ((await response.json()) as { detail: { type: string; loc: unknown[] }[] }).detail.map((d) => [
      d.type,
      d.loc,
    ]);

  it("reports a limit that is not an integer at query.limit", async () => {
    const datafold = await start();
    const response = await send(datafold, runsPath(1, "?limit=ten&offset=1.5"), { method: "GET" });
    expect(response.status).toBe(422);
    expect(await locsOf(response)).toEqual([
      ["int_parsing", ["query", "limit"]],
      ["int_parsing", ["query", "offset"]],
    ]);
  });

  it("reports a missing field of the second diff at body.1.prod", async () => {
    const datafold = await start();
    const response = await upload(datafold, 1, 7, [diff, { pr: "x" }]);
    expect(await locsOf(response)).toEqual([["missing", ["body", 1, "prod"]]]);
  });

  it("reports a body that is not a list at body", async () => {
    const datafold = await start();
    const response = await upload(datafold, 1, 7, diff);
    expect(await locsOf(response)).toEqual([["list_type", ["body"]]]);
  });

  it("reports a bad pr_num and a bad body field together, path first", async () => {
    const datafold = await start();
    const response = await upload(datafold, 1, "seven", [{ ...diff, include_columns: "id" }]);
    expect(await locsOf(response)).toEqual([
      ["int_parsing", ["path", "pr_num"]],
      ["list_type", ["body", 0, "include_columns"]],
    ]);
  });
});

describe("the CI operations are found in the spec table by rule, not by position", () => {
  it("keeps state and routing when spec/ lists the upload first", async () => {
    const reordered = { ...datafoldApi, operations: [...datafoldApi.operations].reverse() };
    const datafold = await serveSimulator(createDatafoldSimulator(reordered, {}, "test"), {}, "test");
    mock = datafold;
    expect(await trigger(datafold, 1)).toEqual({ ci_run_id: 1, run_id: 1 });
    expect((await listRuns(datafold, 1)).map((run) => [run.id, run.status])).toEqual([[1, "waiting"]]);
    expect(await (await upload(datafold, 1, 7)).json()).toEqual({ ci_run_id: 1, run_id: 1 });
  });

  it("filters by a query parameter spec/ adds when it is named like a run field, status included", async () => {
    const withStatusFilter = {
      ...datafoldApi,
      operations: datafoldApi.operations.map((op) =>
        op.method === "GET" && op.path.endsWith("/runs")
          ? {
              ...op,
              parameters: [
                ...op.parameters,
                {
                  name: "status",
                  in: "query" as const,
                  required: false,
                  schema: { type: "string" as const },
                },
              ],
            }
          : op,
      ),
    };
    clock = fakeClock();
    const datafold = await serveSimulator(
      createDatafoldSimulator(withStatusFilter, { clock, runLifecycle: { waitForDiffsMs: 0 } }, "test"),
      {},
      "test",
    );
    mock = datafold;
    await trigger(datafold, 1);
    clock.advance(5000);
    await trigger(datafold, 1);
    expect(await statuses(datafold, 1, "?status=done")).toEqual([[1, "done"]]);
    expect(await statuses(datafold, 1, "?status=waiting")).toEqual([[2, "waiting"]]);
  });

  it("still starts runs when spec/ has the trigger alone", async () => {
    const triggerOnly = {
      ...datafoldApi,
      operations: [findOperation(datafoldApi, CI_OPERATION_NAMES.trigger)!],
    };
    const datafold = await serveSimulator(createDatafoldSimulator(triggerOnly, {}, "test"), {}, "test");
    mock = datafold;
    expect(await trigger(datafold, 1)).toEqual({ ci_run_id: 1, run_id: 1 });
    expect(datafold.runs().map((run) => run.status)).toEqual(["waiting"]);
    expect((await send(datafold, "/api/v1/ci/1/runs", { method: "GET" })).status).toBe(404);
  });
});
