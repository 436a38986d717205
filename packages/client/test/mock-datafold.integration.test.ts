import { type MockDatafold, startMockDatafold } from "@datafold-ci/testing";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createDatafoldClientWithRuntime } from "../src/create-datafold-client.js";
import {
  checkInput,
  createDatafoldClient,
  type DatafoldClientOptions,
  DatafoldAuthError,
  DatafoldConnectionError,
  DatafoldInvalidResponseError,
  DatafoldNotFoundError,
  DatafoldRateLimitError,
  DatafoldServerError,
  DatafoldTimeoutError,
  DatafoldValidationError,
} from "../src/index.js";
import { details } from "./helpers/client.js";
import { instantRuntime } from "./helpers/runtime.js";
import { rejectionOf, rememberSecret } from "./helpers/secrets.js";

// Each error kind as the trigger request meets it: its look at the PR's runs, which would meet
// the scripted fault first, is off here (look-for-started-run.test.ts covers it against this server).
const blind = { checkForStartedRun: false } as const;

// Against a real HTTP server on loopback: @datafold-ci/testing's spec-driven Datafold.
let mock: MockDatafold;

beforeEach(async () => {
  mock = await startMockDatafold();
  rememberSecret(mock.apiKey);
});

afterEach(async () => {
  await mock.close();
});

/** A client for the mock, with instant back-off waits (recorded) unless `realClock`. */
function clientFor(options: DatafoldClientOptions = {}, runtime = instantRuntime()) {
  const client = createDatafoldClientWithRuntime(
    { apiKey: mock.apiKey, baseUrl: mock.url, env: {}, ...options },
    runtime,
  );
  return Object.assign(client, { sleeps: runtime.sleeps });
}

const trigger = (options: DatafoldClientOptions = {}) => clientFor(options).triggerPrRun(7, details, blind);

describe("against a Datafold-compatible server", () => {
  it("starts a run, sending the key, the body and the User-Agent", async () => {
    await expect(trigger()).resolves.toEqual({ ci_run_id: 1, run_id: 1 });
    await expect(trigger()).resolves.toEqual({ ci_run_id: 2, run_id: 2 });
    const [first] = mock.requests;
    expect(first).toMatchObject({
      method: "POST",
      path: "/api/v1/ci/7/trigger",
      body: details,
      status: 200,
      operationId: "trigger_ci_api_v1_ci__ci_config_id__trigger_post",
    });
    expect(first!.headers["content-type"]).toBe("application/json");
    expect(first!.headers["user-agent"]).toBe(`@datafold-ci/client/${__PACKAGE_VERSION__}`);
    expect(first!.headers.authorization).toBe("[REDACTED]");
  });

  it("returns null ids as success when Datafold starts no run", async () => {
    mock.noRunFor(7);
    await expect(trigger()).resolves.toEqual({ ci_run_id: null, run_id: null });
  });

  it("works with the key read from DATAFOLD_API_KEY and the host from DATAFOLD_HOST", async () => {
    const client = createDatafoldClient({
      env: { DATAFOLD_API_KEY: mock.apiKey, DATAFOLD_HOST: `${mock.url}/` },
    });
    await expect(client.triggerPrRun(7, details, blind)).resolves.toMatchObject({ ci_run_id: 1 });
  });

  it("is refused with DatafoldAuthError for a wrong key", async () => {
    const error = await rejectionOf(trigger({ apiKey: rememberSecret("not-the-mock-key-0123456789") }));
    expect(error).toBeInstanceOf(DatafoldAuthError);
    expect(error).toMatchObject({ status: 403, attempts: 1 });
    expect(mock.requests).toHaveLength(1);
  });
});

describe("the client's validation agrees with the server's", () => {
  it("sends nothing the server would refuse with 422", async () => {
    const odd = fc.constantFrom<unknown>(-1, 0, 1.5, "12", "", " ", null);
    const field = <T>(good: fc.Arbitrary<T>) =>
      fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: odd });
    const text = fc.string({ minLength: 1, maxLength: 20 });
    const maybeDetails = fc.record(
      {
        pr_number: field(fc.integer({ min: 1, max: 10_000 })),
        pr_branch: field(text),
        base_branch: field(text),
        pr_sha: field(text),
        base_sha: field(text),
      },
      { requiredKeys: ["pr_number", "pr_branch", "base_branch", "pr_sha"] },
    );
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(maybeDetails, async (candidate) => {
        if (checkInput("triggerPrRun", 7, candidate).length > 0) return;
        sent++;
        // Straight to the server, past the client's own check, as the client would send it.
        const response = await fetch(`${mock.url}/api/v1/ci/7/trigger`, {
          method: "POST",
          headers: { authorization: `Key ${mock.apiKey}`, "content-type": "application/json" },
          body: JSON.stringify(candidate),
        });
        expect(response.status).toBe(200);
      }),
      { numRuns: 200 },
    );
    expect(sent).toBeGreaterThan(20);
  });
});

describe("each error kind, from a real server", () => {
  it("422 in FastAPI's shape", async () => {
    mock.enqueue({
      kind: "respond",
      status: 422,
      body: {
        detail: [
          {
            type: "int_parsing",
            loc: ["body", "pr_number"],
            msg: "Input should be a valid integer",
            input: "x",
          },
        ],
      },
    });
    const error = await rejectionOf(trigger());
    expect(error).toBeInstanceOf(DatafoldValidationError);
    expect(error.message).toMatch(/body\.pr_number: Input should be a valid integer$/);
  });

  it("404", async () => {
    mock.enqueue({ kind: "respond", status: 404, body: { detail: "Not Found" } });
    const error = await rejectionOf(trigger());
    expect(error).toBeInstanceOf(DatafoldNotFoundError);
    expect(error.message).toMatch(/CI config id 7 may be wrong.*404 to unrecognised API keys/);
  });

  it("429 with Retry-After in seconds, obeyed, then the run starts", async () => {
    mock.enqueue({
      kind: "respond",
      status: 429,
      headers: { "Retry-After": "2" },
      body: { detail: "slow down" },
    });
    const client = clientFor();
    await expect(client.triggerPrRun(7, details, blind)).resolves.toMatchObject({ ci_run_id: 1 });
    expect(client.sleeps).toEqual([2000]);
    expect(mock.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it("503 with Retry-After as an HTTP date, obeyed", async () => {
    const now = Date.now();
    mock.enqueue({
      kind: "respond",
      status: 503,
      headers: { "Retry-After": new Date(now + 5000).toUTCString() },
      body: { detail: "maintenance" },
    });
    const client = clientFor({}, instantRuntime({ now }));
    await client.triggerPrRun(7, details, blind);
    // An HTTP date has whole seconds, so the wait is 4–5 s.
    expect(client.sleeps[0]).toBeGreaterThan(4000);
    expect(client.sleeps[0]).toBeLessThanOrEqual(5000);
  });

  it("429 asking for more than 60 s: DatafoldRateLimitError at once", async () => {
    mock.enqueue({
      kind: "respond",
      status: 429,
      headers: { "Retry-After": "600" },
      body: { detail: "later" },
    });
    const error = await rejectionOf(trigger());
    expect(error).toBeInstanceOf(DatafoldRateLimitError);
    expect(error.message).toMatch(/asked to wait 600 s/);
    expect(mock.requests).toHaveLength(1);
  });

  it("an HTML 502 page from a gateway, retried and then reported by excerpt", async () => {
    const page = `<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>${"<!-- pad -->".repeat(500)}</body></html>`;
    const bad = {
      kind: "respond",
      status: 502,
      headers: { "content-type": "text/html" },
      body: page,
    } as const;
    mock.enqueue(bad, bad, bad);
    const error = await rejectionOf(trigger());
    expect(error).toBeInstanceOf(DatafoldServerError);
    expect(error).toMatchObject({ status: 502, attempts: 3, bodyExcerpt: "502 Bad Gateway 502 Bad Gateway" });
    expect(mock.requests).toHaveLength(3);
  });

  it("a non-JSON 200", async () => {
    mock.enqueue({ kind: "respond", status: 200, headers: { "content-type": "text/plain" }, body: "OK" });
    const error = await rejectionOf(trigger());
    expect(error).toBeInstanceOf(DatafoldInvalidResponseError);
    expect(error).toMatchObject({ status: 200, bodyExcerpt: "OK" });
  });

  it("a server that hangs past the timeout, on every attempt", async () => {
    mock.enqueue({ kind: "hang" }, { kind: "hang" });
    const error = await rejectionOf(trigger({ timeoutMs: 100, maxRetries: 1 }));
    expect(error).toBeInstanceOf(DatafoldTimeoutError);
    expect(error).toMatchObject({ attempts: 2, timeoutMs: 100 });
  });

  it("a slow answer within the timeout is not a timeout", async () => {
    mock.enqueue({ kind: "delay", ms: 50 });
    await expect(trigger({ timeoutMs: 2000 })).resolves.toMatchObject({ ci_run_id: 1 });
  });

  it("a hang, then an answer: the retry gets a fresh timeout and succeeds", async () => {
    mock.enqueue({ kind: "hang" });
    await expect(trigger({ timeoutMs: 100 })).resolves.toMatchObject({ ci_run_id: 1 });
    expect(mock.requests).toHaveLength(2);
  });

  it("connection refused", async () => {
    const { url } = mock;
    await mock.close();
    const error = await rejectionOf(trigger({ baseUrl: url, maxRetries: 1 }));
    expect(error).toBeInstanceOf(DatafoldConnectionError);
    expect(error).toMatchObject({ attempts: 2 });
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it("a connection reset before the answer, retried", async () => {
    mock.enqueue({ kind: "reset" });
    await expect(trigger()).resolves.toMatchObject({ ci_run_id: 1 });
    expect(mock.requests).toHaveLength(2);
  });

  it("a connection reset mid-body, retried, and reported as a connection error when it persists", async () => {
    mock.enqueue({ kind: "reset-mid-body" });
    // The first attempt did start run 1; only its answer was lost. The retry starts run 2: the
    // duplicate the README warns about.
    await expect(trigger()).resolves.toMatchObject({ ci_run_id: 2 });
    expect(mock.requests).toHaveLength(2);
    mock.enqueue({ kind: "reset-mid-body" }, { kind: "reset-mid-body" }, { kind: "reset-mid-body" });
    const error = await rejectionOf(trigger());
    expect(error).toBeInstanceOf(DatafoldConnectionError);
    expect(error).toMatchObject({ attempts: 3 });
  });

  it("a caller's abort while the server hangs rejects with the signal's reason", async () => {
    mock.enqueue({ kind: "hang" });
    const reason = new Error("cancelled by the CI job");
    const controller = new AbortController();
    const pending = clientFor().triggerPrRun(7, details, { ...blind, signal: controller.signal });
    // Abort once the server holds the request, however slow the machine is.
    await vi.waitFor(() => expect(mock.requests).toHaveLength(1), { timeout: 10_000 });
    controller.abort(reason);
    expect(await rejectionOf(pending)).toBe(reason);
    expect(mock.requests.map((r) => r.status)).toEqual([0]); // sent once, never answered, not retried
  });
});
