import { describe, expect, it } from "vitest";
import { createDatafoldClientWithRuntime } from "../src/create-datafold-client.js";
import { DatafoldInputError, DatafoldTimeoutError, type DatafoldClientOptions } from "../src/index.js";
import { defaultRuntime } from "../src/runtime.js";
import { details } from "./helpers/client.js";
import { hang, json, scriptedFetch } from "./helpers/fake-fetch.js";
import { rejectionOf, testKey } from "./helpers/secrets.js";

// One budget per call, in real time: every attempt, every wait between them and the trigger's looks
// at the PR's runs share it, as curl's --max-time bounds a whole transfer.
const client = (options: DatafoldClientOptions) =>
  createDatafoldClientWithRuntime({ apiKey: testKey(), env: {}, ...options }, defaultRuntime);

async function timed<T>(promise: Promise<T>): Promise<{ result: T; ms: number }> {
  const start = performance.now();
  const result = await promise;
  return { result, ms: performance.now() - start };
}

describe("totalTimeoutMs", () => {
  it("ends a call against a server that never answers when the budget runs out, not after every attempt's timeout", async () => {
    const fetch = scriptedFetch(hang);
    const { result: error, ms } = await timed(
      rejectionOf(client({ fetch, timeoutMs: 60_000, totalTimeoutMs: 300 }).listCiRuns(7)),
    );
    expect(error).toBeInstanceOf(DatafoldTimeoutError);
    expect(error).toMatchObject({ budget: "total", timeoutMs: 300, kind: "timeout", method: "listCiRuns" });
    expect(error.message).toMatch(
      /List CI runs \(GET \S+\/api\/v1\/ci\/7\/runs\) did not finish within its total budget of 300 ms/,
    );
    expect(ms).toBeLessThan(1_000);
    expect(fetch.seen).toHaveLength(1);
  });

  it("clamps each attempt to what remains, so later attempts get less", async () => {
    const fetch = scriptedFetch(hang);
    const { ms } = await timed(
      rejectionOf(client({ fetch, timeoutMs: 200, totalTimeoutMs: 450, maxRetries: 5 }).listCiRuns(7)),
    );
    // 200 ms, a back-off of up to 500 ms would pass the budget: the call ends rather than sleep past it.
    expect(ms).toBeLessThan(800);
    expect(fetch.seen.length).toBeLessThanOrEqual(2);
  });

  it("does not start a wait it cannot finish within the budget: it ends with the last failure at once", async () => {
    const fetch = scriptedFetch(json(503, { detail: "busy" }, { "Retry-After": "5" }));
    const { result: error, ms } = await timed(
      rejectionOf(client({ fetch, totalTimeoutMs: 1_000 }).listCiRuns(7)),
    );
    expect(error).toMatchObject({ status: 503, attempts: 1 });
    expect(error.message).toMatch(/; its total budget of 1 s left no time to retry$/);
    expect(ms).toBeLessThan(500);
  });

  it("covers the trigger's look at the PR's runs: a list that never answers leaves no time to trigger", async () => {
    const fetch = scriptedFetch(hang);
    const { result: error, ms } = await timed(
      rejectionOf(client({ fetch, timeoutMs: 60_000, totalTimeoutMs: 300 }).triggerPrRun(7, details)),
    );
    expect(error).toBeInstanceOf(DatafoldTimeoutError);
    expect(error).toMatchObject({ budget: "total" });
    expect(ms).toBeLessThan(1_000);
    expect(fetch.seen.map((r) => r.method)).toEqual(["GET"]);
  });

  it("can be set per call, and is checked like the other options", async () => {
    const fetch = scriptedFetch(hang);
    const error = await rejectionOf(
      client({ fetch, timeoutMs: 60_000 }).listCiRuns(7, {}, { totalTimeoutMs: 100 }),
    );
    expect(error).toMatchObject({ budget: "total", timeoutMs: 100 });
    const bad = await rejectionOf(client({ fetch }).listCiRuns(7, {}, { totalTimeoutMs: 0 }));
    expect(bad).toBeInstanceOf(DatafoldInputError);
    expect(bad.message).toMatch(/totalTimeoutMs: must be a number of milliseconds from 1/);
  });

  it("defaults to two minutes, which the resolved configuration reports", () => {
    expect(client({ fetch: scriptedFetch(hang) }).config.totalTimeoutMs).toBe(120_000);
  });
});
