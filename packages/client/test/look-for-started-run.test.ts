import { type MockDatafold, startMockDatafold } from "@datafold-ci/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDatafoldClientWithRuntime } from "../src/create-datafold-client.js";
import { DatafoldServerError, type DatafoldClientOptions, type StartedRunCheckEvent } from "../src/index.js";
import { details } from "./helpers/client.js";
import { json, scriptedFetch } from "./helpers/fake-fetch.js";
import { instantRuntime } from "./helpers/runtime.js";
import { rejectionOf, rememberSecret } from "./helpers/secrets.js";

// A retried trigger must never start a second run. Against the testing kit on loopback, whose faults
// can let a trigger reach Datafold (the run starts) and then lose its answer.

let mock: MockDatafold;
let events: StartedRunCheckEvent[];

beforeEach(async () => {
  mock = await startMockDatafold();
  rememberSecret(mock.apiKey);
  events = [];
});

afterEach(async () => {
  await mock.close();
});

const client = (options: DatafoldClientOptions = {}) =>
  createDatafoldClientWithRuntime(
    {
      apiKey: mock.apiKey,
      baseUrl: mock.url,
      env: {},
      // Long enough that a loaded machine never times out a request no fault holds.
      timeoutMs: 5_000,
      onStartedRunCheck: (event) => events.push(event),
      ...options,
    },
    instantRuntime(),
  );
// Faults are consumed one per request, whatever its route; this one lets a request through untouched.
const passes = { kind: "delay", ms: 0 } as const;
const runIds = () => mock.runs(7).map((run) => run.id);

describe("triggerPrRun after a failure that may have started a run", () => {
  it("returns the run a 502'd attempt started, and triggers nothing more", async () => {
    mock.enqueue(passes, { kind: "respond", status: 502, body: "Bad Gateway", reachesDatafold: true });
    await expect(client().triggerPrRun(7, details)).resolves.toEqual({ ci_run_id: 1 });
    expect(runIds()).toEqual([1]);
    expect(events).toEqual([
      { type: "baseline", runs: 0 },
      { type: "found", ciRunId: 1, attempt: 1 },
    ]);
    expect(mock.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /api/v1/ci/7/runs",
      "POST /api/v1/ci/7/trigger",
      "GET /api/v1/ci/7/runs",
    ]);
  });

  it("returns the run an attempt started before it hung past the timeout", async () => {
    mock.enqueue(passes, { kind: "hang", reachesDatafold: true });
    await expect(client({ timeoutMs: 1_000 }).triggerPrRun(7, details)).resolves.toEqual({ ci_run_id: 1 });
    expect(runIds()).toEqual([1]);
  });

  it("returns the run a reset connection started", async () => {
    mock.enqueue(passes, { kind: "reset", reachesDatafold: true });
    await expect(client().triggerPrRun(7, details)).resolves.toEqual({ ci_run_id: 1 });
    expect(runIds()).toEqual([1]);
  });

  it("does not take a run that existed before the call (a re-run pipeline, same SHA) for the attempt's", async () => {
    await client().triggerPrRun(7, details); // run 1, for the same PR head
    events = [];
    mock.enqueue(passes, { kind: "respond", status: 502, reachesDatafold: true });
    await expect(client().triggerPrRun(7, details)).resolves.toEqual({ ci_run_id: 2 });
    expect(runIds()).toEqual([2, 1]);
    expect(events).toEqual([
      { type: "baseline", runs: 1 },
      { type: "found", ciRunId: 2, attempt: 1 },
    ]);
  });

  it("retries when the failed attempt started nothing (a gateway failed in front of Datafold)", async () => {
    mock.enqueue(passes, { kind: "respond", status: 502, body: "Bad Gateway" });
    await expect(client().triggerPrRun(7, details)).resolves.toMatchObject({ ci_run_id: 1, run_id: 1 });
    expect(runIds()).toEqual([1]);
    expect(events).toEqual([
      { type: "baseline", runs: 0 },
      { type: "none", attempt: 1 },
    ]);
  });

  it("keeps exactly one run over many calls with ambiguous failures", async () => {
    const datafold = client({ timeoutMs: 1_000 });
    for (let call = 0; call < 12; call++) {
      const lost = [
        { kind: "respond", status: [500, 502, 504][call % 3]!, reachesDatafold: true },
        { kind: "hang", reachesDatafold: true },
        { kind: "reset", reachesDatafold: true },
        { kind: "respond", status: 502 },
      ] as const;
      mock.enqueue(passes, lost[call % lost.length]!);
      await datafold.triggerPrRun(7, { ...details, pr_sha: `sha-${call}` });
    }
    expect(mock.runs(7)).toHaveLength(12);
  });

  it("does not look after a 503 or a 429, which say the request was not handled", async () => {
    mock.enqueue(passes, { kind: "respond", status: 503 }, { kind: "respond", status: 429 });
    await expect(client().triggerPrRun(7, details)).resolves.toMatchObject({ ci_run_id: 1 });
    expect(mock.requests.map((r) => r.method)).toEqual(["GET", "POST", "POST", "POST"]);
  });

  it("retries a failure to connect without looking: the request never left", async () => {
    const refused = new TypeError("fetch failed", {
      cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }),
    });
    const fetch = scriptedFetch(json(200, []), refused, json(200, { ci_run_id: 3, run_id: 3 }));
    const datafold = createDatafoldClientWithRuntime(
      { apiKey: "k-123456789", env: {}, fetch },
      instantRuntime(),
    );
    await expect(datafold.triggerPrRun(7, details)).resolves.toEqual({ ci_run_id: 3, run_id: 3 });
    expect(fetch.seen.map((r) => r.method)).toEqual(["GET", "POST", "POST"]);
  });

  it("never triggers again blind: when the runs cannot be listed after a 502, the call ends with the 502", async () => {
    mock.enqueue(
      passes,
      { kind: "respond", status: 502, reachesDatafold: true },
      ...Array.from({ length: 3 }, () => ({ kind: "respond", status: 503 }) as const),
    );
    const error = await rejectionOf(client().triggerPrRun(7, details));
    expect(error).toBeInstanceOf(DatafoldServerError);
    expect(error).toMatchObject({ status: 502, attempts: 1 });
    expect(runIds()).toEqual([1]);
    // After the trigger's attempt failed, not before it: the warning names the attempt.
    expect(events.at(-1)).toMatchObject({ type: "unavailable", when: "after", attempt: 1, fallback: "stop" });
  });

  it("retries without the look, and says so, when Datafold refuses to list runs", async () => {
    mock.enqueue(
      { kind: "respond", status: 403, body: { detail: "Forbidden" } },
      {
        kind: "respond",
        status: 502,
        reachesDatafold: true,
      },
    );
    await expect(client().triggerPrRun(7, details)).resolves.toMatchObject({ ci_run_id: 2 });
    expect(runIds()).toEqual([2, 1]); // what the look prevents, when it can look
    expect(events).toEqual([
      expect.objectContaining({
        type: "unavailable",
        when: "before",
        fallback: "retry",
        reason: expect.stringContaining("HTTP 403"),
      }),
    ]);
  });

  it("can be turned off, for one list call less per trigger", async () => {
    mock.enqueue({ kind: "respond", status: 502, reachesDatafold: true });
    await expect(client().triggerPrRun(7, details, { checkForStartedRun: false })).resolves.toMatchObject({
      ci_run_id: 2,
    });
    expect(runIds()).toEqual([2, 1]);
    expect(events).toEqual([]);
    expect(mock.requests.map((r) => r.method)).toEqual(["POST", "POST"]);
  });
});
