import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fakeClock, type MockDatafold, startMockDatafold } from "../src/index.js";
import { datafoldHandlers } from "../src/msw.js";
import { runStatuses, type SendOptions, send, trigger, triggerPath, validDetails } from "./helpers.js";

// Requests to the real mock on 127.0.0.1 pass through; the handlers answer for app.datafold.com.
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "bypass" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const use = (options?: Parameters<typeof datafoldHandlers>[0]) => {
  const datafold = datafoldHandlers(options);
  server.use(...datafold.handlers);
  return datafold;
};

describe("datafoldHandlers answer exactly as the server does", () => {
  let mock: MockDatafold;
  beforeAll(async () => {
    mock = await startMockDatafold({ apiKey: "shared-key" });
  });
  afterAll(() => mock.close());

  it.each<[string, string, SendOptions]>([
    ["a valid trigger", triggerPath(3), { body: validDetails }],
    ["a body missing a field", triggerPath(3), { body: { pr_number: "x" } }],
    ["a body that is not JSON", triggerPath(3), { body: '{"pr_number": }' }],
    ["a JSON array body", triggerPath(3), { body: "[]" }],
    ["JSON sent as text/plain", triggerPath(3), { body: validDetails, contentType: "text/plain" }],
    ["no body", triggerPath(3), {}],
    ["a bad config id", triggerPath("x"), { body: validDetails }],
    ["no key", triggerPath(3), { body: validDetails, authorization: null }],
    ["a malformed key", triggerPath(3), { body: validDetails, authorization: "Bearer shared-key" }],
    ["the wrong key", triggerPath(3), { body: validDetails, authorization: "Key other" }],
    ["an unknown route", "/api/v2/anything", { method: "GET" }],
    ["the wrong method", triggerPath(3), { method: "DELETE" }],
    ["listing runs with a bad limit", "/api/v1/ci/3/runs?limit=x", { method: "GET" }],
    ["an upload whose body is not a list", "/api/v1/ci/3/7", { body: { prod: "a", pr: "b" } }],
    ["an upload to the literal runs path", "/api/v1/ci/3/runs", { body: [] }],
  ])("for %s", async (_what, path, request) => {
    const datafold = use({ apiKey: "shared-key" });
    const seenByServer = mock.requests.length;
    const viaServer = await send(mock, path, request);
    expect(mock.requests).toHaveLength(seenByServer + 1);
    const viaMsw = await send(datafold, path, request);
    expect(viaMsw.status).toBe(viaServer.status);
    expect(viaMsw.headers.get("allow")).toBe(viaServer.headers.get("allow"));
    expect(viaMsw.headers.get("www-authenticate")).toBe(viaServer.headers.get("www-authenticate"));
    expect(await viaMsw.text()).toBe(await viaServer.text());
  });
});

describe("datafoldHandlers", () => {
  it("intercept the spec's default server unless told otherwise", async () => {
    const datafold = use();
    expect(datafold.baseUrl).toBe("https://app.datafold.com");
    expect(await trigger({ url: datafold.baseUrl, apiKey: datafold.apiKey })).toEqual({
      ci_run_id: 1,
      run_id: 1,
    });
  });

  it("intercept a dedicated deployment's origin", async () => {
    const datafold = use({ baseUrl: "https://datafold.internal.example/" });
    expect(datafold.baseUrl).toBe("https://datafold.internal.example");
    expect(await trigger({ url: datafold.baseUrl, apiKey: datafold.apiKey }, 9)).toEqual({
      ci_run_id: 1,
      run_id: 1,
    });
  });

  it("refuse a base URL with a path, which they could not serve", () => {
    expect(() => datafoldHandlers({ baseUrl: "https://example.com/datafold" })).toThrow(
      'datafoldHandlers: options.baseUrl must be an http(s) origin such as "https://app.datafold.com", got "https://example.com/datafold".',
    );
  });

  it("honour noRunFor and count run ids", async () => {
    const datafold = use({ noRunFor: [4], firstRunId: 10 });
    const target = { url: datafold.baseUrl, apiKey: datafold.apiKey };
    expect(await trigger(target, 4)).toEqual({ ci_run_id: null, run_id: null });
    expect(await trigger(target, 5)).toEqual({ ci_run_id: 10, run_id: 10 });
  });

  it("record requests with the key redacted", async () => {
    const datafold = use({ apiKey: "msw-secret-key" });
    await trigger({ url: datafold.baseUrl, apiKey: datafold.apiKey });
    expect(datafold.requests).toMatchObject([
      {
        method: "POST",
        path: triggerPath(1),
        body: validDetails,
        status: 200,
        headers: { authorization: "[REDACTED]" },
      },
    ]);
    expect(JSON.stringify(datafold.requests)).not.toContain("msw-secret-key");
  });

  it("play a respond fault", async () => {
    const datafold = use();
    datafold.enqueue({
      kind: "respond",
      status: 429,
      headers: { "retry-after": "1" },
      body: { detail: "slow down" },
    });
    const response = await send(datafold, triggerPath(1), { body: validDetails });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("1");
    expect(await response.json()).toEqual({ detail: "slow down" });
  });

  it("turn a reset fault into a network error", async () => {
    const datafold = use();
    datafold.enqueue({ kind: "reset" });
    await expect(send(datafold, triggerPath(1), { body: validDetails })).rejects.toThrow(TypeError);
  });

  it("turn a reset-mid-body fault into a body that fails half way", async () => {
    const datafold = use();
    datafold.enqueue({ kind: "reset-mid-body" });
    const response = await send(datafold, triggerPath(1), { body: validDetails });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow(TypeError);
  });

  it("hang until the client gives up", async () => {
    const datafold = use();
    datafold.enqueue({ kind: "hang" });
    const request = send(datafold, triggerPath(1), { body: validDetails, signal: AbortSignal.timeout(100) });
    await expect(request).rejects.toMatchObject({ name: "TimeoutError" });
    expect(datafold.requests[0]?.status).toBe(0);
  });

  it("answer after a delay fault", async () => {
    const datafold = use();
    datafold.enqueue({ kind: "delay", ms: 20 });
    expect(await trigger({ url: datafold.baseUrl, apiKey: datafold.apiKey })).toEqual({
      ci_run_id: 1,
      run_id: 1,
    });
  });
});

describe("datafoldHandlers run the same CI run lifecycle", () => {
  it("take clock, runLifecycle and supersede as startMockDatafold does", async () => {
    const clock = fakeClock();
    const datafold = use({
      clock,
      supersede: true,
      runLifecycle: { waitForDiffsMs: 0, stages: [{ status: "processing", ms: 1000 }] },
    });
    await trigger(datafold, 2);
    await trigger(datafold, 2);
    const statuses = () => runStatuses(datafold, 2, "?pr_num=7");
    expect(await statuses()).toEqual([
      [2, "processing"],
      [1, "cancelled"],
    ]);
    const uploaded = await send(datafold, "/api/v1/ci/2/7", { body: [{ prod: "a", pr: "b" }] });
    expect(await uploaded.json()).toEqual({ ci_run_id: 2, run_id: 2 });
    clock.advance(1000);
    expect(await statuses()).toEqual([
      [2, "done"],
      [1, "cancelled"],
    ]);
    datafold.setRunStatus(2, "failed");
    expect(datafold.runs(2).map((run) => run.status)).toEqual(["failed", "cancelled"]);
  });

  it("start the run, then hang, until the request is aborted", async () => {
    const datafold = use();
    datafold.enqueue({ kind: "hang", reachesDatafold: true });
    await expect(
      send(datafold, triggerPath(1), { body: validDetails, signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
    expect(datafold.runs().map((run) => run.id)).toEqual([1]);
  });
});
