import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Fault, type MockDatafold, startMockDatafold } from "../src/index.js";
import { send, trigger, triggerPath, validDetails } from "./helpers.js";

let mock: MockDatafold;
beforeEach(async () => {
  mock = await startMockDatafold();
});
afterEach(() => mock.close());

const post = (signal?: AbortSignal) =>
  send(mock, triggerPath(1), { body: validDetails, ...(signal && { signal }) });

describe("respond faults", () => {
  it("answer with the scripted status, headers and JSON body, then the next request is normal", async () => {
    mock.enqueue({
      kind: "respond",
      status: 429,
      headers: { "Retry-After": "2" },
      body: { detail: "Too Many Requests" },
    });
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("2");
    expect(limited.headers.get("content-type")).toBe("application/json");
    expect(await limited.json()).toEqual({ detail: "Too Many Requests" });
    expect((await post()).status).toBe(200);
  });

  it("send a string body as it is, such as a proxy's HTML 502 page", async () => {
    const page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    mock.enqueue({ kind: "respond", status: 502, headers: { "content-type": "text/html" }, body: page });
    const response = await post();
    expect(response.status).toBe(502);
    expect(response.headers.get("content-type")).toBe("text/html");
    expect(await response.text()).toBe(page);
  });

  it("can answer 200 with a body that is not JSON", async () => {
    mock.enqueue({ kind: "respond", status: 200, body: "OK" });
    const response = await post();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });

  it("send no body when none is given", async () => {
    mock.enqueue({ kind: "respond", status: 503 });
    const response = await post();
    expect(response.status).toBe(503);
    expect(await response.text()).toBe("");
  });

  it("do not start a run", async () => {
    mock.enqueue({ kind: "respond", status: 500 });
    await post();
    expect(await trigger(mock)).toEqual({ ci_run_id: 1, run_id: 1 });
  });
});

describe("delay faults", () => {
  it("answer normally once the delay is over, after a request that came later", async () => {
    mock.enqueue({ kind: "delay", ms: 300 });
    const finished: string[] = [];
    const slow = post().then(async (response) => {
      finished.push("delayed");
      return response;
    });
    await expect.poll(() => mock.requests.length).toBe(1);
    await trigger(mock);
    finished.push("later");
    const response = await slow;
    expect(finished).toEqual(["later", "delayed"]);
    expect(response.status).toBe(200);
    expect(mock.requests.map((r) => r.status)).toEqual([200, 200]);
  });
});

describe("hang faults", () => {
  it("never answer, so the client's own timeout is what ends the request", async () => {
    mock.enqueue({ kind: "hang" });
    await expect(post(AbortSignal.timeout(200))).rejects.toMatchObject({ name: "TimeoutError" });
    expect(mock.requests[0]?.status).toBe(0);
    expect((await post()).status).toBe(200);
  });
});

describe("reset faults", () => {
  it("drop the connection before any response, as a network failure", async () => {
    mock.enqueue({ kind: "reset" });
    const failure = await post().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TypeError);
    expect(mock.requests[0]?.status).toBe(0);
  });

  it("do not start a run: the request never reached Datafold", async () => {
    mock.enqueue({ kind: "reset" });
    await post().catch(() => undefined);
    expect(await trigger(mock)).toEqual({ ci_run_id: 1, run_id: 1 });
  });
});

describe("reset-mid-body faults", () => {
  it("send the status and headers, then cut the body short", async () => {
    mock.enqueue({ kind: "reset-mid-body" });
    const response = await post();
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow(TypeError);
    expect(mock.requests[0]?.status).toBe(200);
  });

  it("use the scripted status when given", async () => {
    mock.enqueue({ kind: "reset-mid-body", status: 503 });
    const response = await post();
    expect(response.status).toBe(503);
    await expect(response.arrayBuffer()).rejects.toThrow(TypeError);
  });

  it("start the run anyway, so a retry starts a second one", async () => {
    mock.enqueue({ kind: "reset-mid-body" });
    const cut = await post();
    await cut.text().catch(() => undefined);
    expect(await trigger(mock)).toEqual({ ci_run_id: 2, run_id: 2 });
  });
});

describe("faults after Datafold handled the request (reachesDatafold)", () => {
  const runIds = () => mock.runs(1).map((run) => run.id);

  it("start the run, then answer 502: the run is listed though the client saw a failure", async () => {
    mock.enqueue({ kind: "respond", status: 502, body: "<h1>502 Bad Gateway</h1>", reachesDatafold: true });
    const response = await post();
    expect([response.status, await response.text()]).toEqual([502, "<h1>502 Bad Gateway</h1>"]);
    expect(runIds()).toEqual([1]);
    const listed = await send(mock, "/api/v1/ci/1/runs?pr_sha=0f3c2a9", { method: "GET" });
    expect(await listed.json()).toEqual([expect.objectContaining({ id: 1, pr_sha: "0f3c2a9" })]);
    expect(await trigger(mock)).toEqual({ ci_run_id: 2, run_id: 2 });
  });

  it("start the run, then never answer, until the client gives up", async () => {
    mock.enqueue({ kind: "hang", reachesDatafold: true });
    await expect(post(AbortSignal.timeout(200))).rejects.toMatchObject({ name: "TimeoutError" });
    expect(runIds()).toEqual([1]);
    expect(mock.requests[0]?.status).toBe(0);
  });

  it("start the run, then reset the connection", async () => {
    mock.enqueue({ kind: "reset", reachesDatafold: true });
    await expect(post()).rejects.toThrow(TypeError);
    expect(runIds()).toEqual([1]);
  });

  it("start nothing when the request itself is invalid: Datafold refused it", async () => {
    mock.enqueue({ kind: "respond", status: 502, reachesDatafold: true });
    const response = await send(mock, triggerPath(1), { body: {} });
    expect(response.status).toBe(502);
    expect(runIds()).toEqual([]);
  });
});

describe("the fault queue", () => {
  it("is consumed one fault per request, in order, whatever the route", async () => {
    mock.enqueue({ kind: "respond", status: 502 }, { kind: "respond", status: 503 });
    const first = await send(mock, "/not/a/route", { method: "GET" });
    const second = await post();
    const third = await post();
    expect([first.status, second.status, third.status]).toEqual([502, 503, 200]);
  });

  it.each<[string, unknown, RegExp]>([
    [
      "an unknown kind",
      { kind: "explode" },
      /`kind` must be one of respond, delay, hang, reset, reset-mid-body/,
    ],
    [
      "a respond fault without a status",
      { kind: "respond" },
      /`status` of a "respond" fault must be an integer from 200 to 599/,
    ],
    ["a 1xx status", { kind: "respond", status: 101 }, /from 200 to 599/],
    ["a negative delay", { kind: "delay", ms: -1 }, /`ms` of a delay must be a finite number/],
    [
      "reachesDatafold on a delay",
      { kind: "delay", ms: 1, reachesDatafold: true },
      /`reachesDatafold` applies to "respond", "hang" and "reset" faults/,
    ],
    [
      "reachesDatafold that is not a boolean",
      { kind: "hang", reachesDatafold: "yes" },
      /must be true or false/,
    ],
    [
      "a header that is not a string",
      { kind: "respond", status: 500, headers: { "retry-after": 2 } },
      /`headers` must map/,
    ],
  ])("rejects %s at enqueue and queues nothing", async (_what, fault, message) => {
    expect(() => mock.enqueue({ kind: "respond", status: 500 }, fault as Fault)).toThrow(message);
    expect((await post()).status).toBe(200);
  });
});
