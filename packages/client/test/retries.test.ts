import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createDatafoldClientWithRuntime } from "../src/create-datafold-client.js";
import {
  DatafoldConnectionError,
  DatafoldRateLimitError,
  DatafoldServerError,
  DatafoldTimeoutError,
  clientDefaults,
  type RetryEvent,
} from "../src/index.js";
import { defaultRuntime } from "../src/runtime.js";
import { details, testClient } from "./helpers/client.js";
import { hang, json, scriptedFetch } from "./helpers/fake-fetch.js";
import { instantRuntime } from "./helpers/runtime.js";
import { rejectionOf, testKey } from "./helpers/secrets.js";

const started = json(200, { ci_run_id: 5, run_id: 5 });
// The retry policy itself, as every operation has it: the trigger's look before an ambiguous retry
// (look-for-started-run.test.ts) is off here, so each scripted answer is one trigger attempt.
const blind = { checkForStartedRun: false } as const;
const status = (code: number, headers: Record<string, string> = {}) =>
  json(code, { detail: `status ${code}` }, headers);

describe("which failures are retried", () => {
  it.each([408, 429, 500, 502, 503, 504])("retries %i and returns the run that then starts", async (code) => {
    const fetch = scriptedFetch(status(code), started);
    const client = testClient({ fetch });
    await expect(client.triggerPrRun(7, details, blind)).resolves.toEqual({ ci_run_id: 5, run_id: 5 });
    expect(fetch.seen).toHaveLength(2);
  });

  it.each([400, 401, 403, 404, 405, 410, 413, 422, 501, 505])("does not retry %i", async (code) => {
    const fetch = scriptedFetch(status(code), started);
    const error = await rejectionOf(testClient({ fetch }).triggerPrRun(7, details, blind));
    expect(error).toMatchObject({ status: code, attempts: 1 });
    expect(fetch.seen).toHaveLength(1);
  });

  it("retries 409 (lock contention) for an operation that is safe to repeat, but never for the trigger", async () => {
    const listed = scriptedFetch(status(409), json(200, []));
    await expect(testClient({ fetch: listed }).listCiRuns(7)).resolves.toEqual([]);
    expect(listed.seen).toHaveLength(2);
    // 409: a conflicting request is in progress; triggering again could start a second run.
    const triggered = scriptedFetch(status(409), started);
    const error = await rejectionOf(testClient({ fetch: triggered }).triggerPrRun(7, details, blind));
    expect(error).toMatchObject({ status: 409, attempts: 1 });
    expect(triggered.seen).toHaveLength(1);
  });

  it("retries exactly the statuses it exports, which tools print as its policy", async () => {
    const retried = async (call: (client: ReturnType<typeof testClient>) => Promise<unknown>) => {
      const statuses: number[] = [];
      for (let code = 400; code <= 599; code++) {
        const fetch = scriptedFetch(status(code), json(200, []));
        await call(testClient({ fetch, maxRetries: 1 })).catch(() => {});
        if (fetch.seen.length > 1) statuses.push(code);
      }
      return statuses;
    };
    expect(await retried((client) => client.listCiRuns(7))).toEqual(clientDefaults.retryableStatuses);
    expect(await retried((client) => client.triggerPrRun(7, details, blind))).toEqual(
      clientDefaults.triggerRetryableStatuses,
    );
    expect(clientDefaults.retryableStatuses).toContain(408);
    expect(clientDefaults.triggerRetryableStatuses).not.toContain(409);
  });

  it("does not retry a 4xx even when it carries Retry-After", async () => {
    const fetch = scriptedFetch(status(400, { "Retry-After": "1" }), started);
    await rejectionOf(testClient({ fetch }).triggerPrRun(7, details, blind));
    expect(fetch.seen).toHaveLength(1);
  });

  it("retries a connection error and keeps what fetch threw as the cause", async () => {
    const failure = new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:9") });
    const fetch = scriptedFetch(failure);
    const error = await rejectionOf(testClient({ fetch }).triggerPrRun(7, details, blind));
    expect(error).toBeInstanceOf(DatafoldConnectionError);
    expect(error.cause).toBe(failure);
    expect(error.message).toMatch(/\(3 attempts\): fetch failed: connect ECONNREFUSED 127\.0\.0\.1:9$/);
    expect(fetch.seen).toHaveLength(3);
  });

  it("does not retry a certificate that failed a check, and says it is a TLS failure", async () => {
    const untrusted = Object.assign(new Error("unable to verify the first certificate"), {
      code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    });
    const fetch = scriptedFetch(new TypeError("fetch failed", { cause: untrusted }), started);
    const error = await rejectionOf(testClient({ fetch }).triggerPrRun(7, details, blind));
    expect(error).toBeInstanceOf(DatafoldConnectionError);
    expect(error).toMatchObject({ kind: "tls", attempts: 1 });
    expect(fetch.seen).toHaveLength(1);
  });

  it("does not retry a proxy's 407, and makes it a proxy failure rather than Datafold's answer", async () => {
    const fetch = scriptedFetch(json(407, {}, { "Proxy-Authenticate": 'Basic realm="corp"' }), started);
    const error = await rejectionOf(testClient({ fetch }).listCiRuns(7));
    expect(error).toBeInstanceOf(DatafoldConnectionError);
    expect(error).toMatchObject({ kind: "proxy", attempts: 1 });
    expect(error.message).toMatch(/407 Proxy Authentication Required/);
    expect(fetch.seen).toHaveLength(1);
  });

  it("retries a tunnel the proxy closed, as a proxy failure, and does not look for a run it cannot have started", async () => {
    const closed = Object.assign(new Error("the proxy closed the connection"), { code: "ERR_PROXY_TUNNEL" });
    const fetch = scriptedFetch(new TypeError("fetch failed", { cause: closed }));
    const error = await rejectionOf(testClient({ fetch }).triggerPrRun(7, details));
    expect(error).toMatchObject({ kind: "proxy", attempts: 3 });
    // The look at the PR's runs before the first attempt (retried too), then the three attempts, and
    // no look between them: a tunnel that failed carried no request.
    const methods = fetch.seen.map((request) => request.method);
    expect(methods.filter((method) => method === "POST")).toHaveLength(3);
    expect(methods.slice(methods.indexOf("POST"))).toEqual(["POST", "POST", "POST"]);
  });

  it("names the kind of every connection failure: dns, connect, reset", async () => {
    const kindOf = async (code: string) => {
      const fetch = scriptedFetch(
        new TypeError("fetch failed", { cause: Object.assign(new Error(code), { code }) }),
      );
      const error = await rejectionOf(testClient({ fetch, maxRetries: 0 }).listCiRuns(7));
      return error instanceof DatafoldConnectionError ? error.kind : undefined;
    };
    expect(await kindOf("ENOTFOUND")).toBe("dns");
    expect(await kindOf("ECONNREFUSED")).toBe("connect");
    expect(await kindOf("ECONNRESET")).toBe("reset");
  });

  it("gives every attempt its own timeout, and reports a timeout distinctly", async () => {
    const fetch = scriptedFetch(hang);
    const seenSignals = fetch.seen;
    const error = await rejectionOf(testClient({ fetch, timeoutMs: 20 }).triggerPrRun(7, details, blind));
    expect(error).toBeInstanceOf(DatafoldTimeoutError);
    expect(error).toMatchObject({ attempts: 3, timeoutMs: 20, kind: "timeout" });
    expect(error.message).toMatch(/did not answer POST \S+ within 20 ms \(3 attempts\)/);
    // Each attempt got a fresh signal, so a timed-out first attempt does not doom the retries (openapi-ts/openapi-typescript#2567).
    expect(new Set(seenSignals.map((r) => r.signal)).size).toBe(3);
  });

  it("times out even when a custom fetch ignores its signal", async () => {
    const fetch = scriptedFetch(() => new Promise<Response>(() => {}));
    const error = await rejectionOf(
      testClient({ fetch, timeoutMs: 20, maxRetries: 0 }).triggerPrRun(7, details, blind),
    );
    expect(error).toBeInstanceOf(DatafoldTimeoutError);
  });

  it("sends the same body on every attempt", async () => {
    const fetch = scriptedFetch(status(503), status(502), started);
    await testClient({ fetch }).triggerPrRun(7, details, blind);
    expect(fetch.seen.map((r) => JSON.parse(r.body))).toEqual([details, details, details]);
    expect(fetch.seen.map((r) => r.headers.get("content-type"))).toEqual(Array(3).fill("application/json"));
  });
});

describe("how many attempts", () => {
  it("makes at most 3 attempts by default, and says so", async () => {
    const fetch = scriptedFetch(status(500));
    const error = await rejectionOf(testClient({ fetch }).triggerPrRun(7, details, blind));
    expect(error).toBeInstanceOf(DatafoldServerError);
    expect(error).toMatchObject({ attempts: 3 });
    expect(error.message).toMatch(/after 3 attempts/);
    expect(fetch.seen).toHaveLength(3);
  });

  it("makes one attempt with maxRetries: 0, set on the client or per call", async () => {
    const onClient = scriptedFetch(status(503));
    await rejectionOf(testClient({ fetch: onClient, maxRetries: 0 }).triggerPrRun(7, details, blind));
    expect(onClient.seen).toHaveLength(1);
    const perCall = scriptedFetch(status(503));
    await rejectionOf(testClient({ fetch: perCall }).triggerPrRun(7, details, { ...blind, maxRetries: 0 }));
    expect(perCall.seen).toHaveLength(1);
  });

  it("never exceeds maxRetries + 1, whatever fails and however often", async () => {
    const failure = fc.oneof(
      fc.constantFrom(408, 409, 429, 500, 502, 503, 504, 400, 404, 422, 200).map((code) => status(code)),
      fc.constant(new TypeError("fetch failed")),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(failure, { minLength: 1, maxLength: 8 }),
        fc.nat(5),
        async (answers, maxRetries) => {
          const fetch = scriptedFetch(...answers);
          // Any operation but the trigger, whose retries leave out 409 (see above).
          await testClient({ fetch, maxRetries })
            .listCiRuns(7)
            .catch(() => {});
          const firstFinal = answers.findIndex(
            (a) => a instanceof Response && ![408, 409, 429, 500, 502, 503, 504].includes(a.status),
          );
          const expected = Math.min(
            maxRetries + 1,
            firstFinal === -1 ? Number.POSITIVE_INFINITY : firstFinal + 1,
          );
          expect(fetch.seen.length).toBe(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("how long it waits", () => {
  it("backs off 0.5 s, 1 s, 2 s, … up to 8 s", async () => {
    const client = testClient({ fetch: scriptedFetch(status(503)), maxRetries: 6 });
    await rejectionOf(client.triggerPrRun(7, details, blind));
    expect(client.sleeps).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  });

  it("takes up to 25 % off each back-off as jitter", async () => {
    const client = testClient({ fetch: scriptedFetch(status(503)) }, instantRuntime({ random: 0.999 }));
    await rejectionOf(client.triggerPrRun(7, details, blind));
    expect(client.sleeps).toEqual([375, 750]);
  });

  it("obeys Retry-After in seconds", async () => {
    const client = testClient({ fetch: scriptedFetch(status(429, { "Retry-After": "3" }), started) });
    await client.triggerPrRun(7, details, blind);
    expect(client.sleeps).toEqual([3000]);
  });

  it("obeys Retry-After as an HTTP date", async () => {
    const now = Date.UTC(2026, 10, 25, 12, 0, 0);
    const later = new Date(now + 7000).toUTCString();
    const client = testClient(
      { fetch: scriptedFetch(status(503, { "Retry-After": later }), started) },
      instantRuntime({ now }),
    );
    await client.triggerPrRun(7, details, blind);
    expect(client.sleeps).toEqual([7000]);
  });

  it("prefers retry-after-ms, and falls back to back-off when Retry-After is unreadable", async () => {
    const client = testClient({
      fetch: scriptedFetch(
        status(429, { "retry-after-ms": "250", "Retry-After": "9" }),
        status(429, { "Retry-After": "soon" }),
        started,
      ),
    });
    await client.triggerPrRun(7, details, blind);
    expect(client.sleeps).toEqual([250, 1000]);
  });

  it("does not wait more than 60 s: it fails at once, telling the wait Datafold asked for", async () => {
    const fetch = scriptedFetch(status(429, { "Retry-After": "120" }), started);
    const client = testClient({ fetch });
    const error = await rejectionOf(client.triggerPrRun(7, details, blind));
    expect(error).toBeInstanceOf(DatafoldRateLimitError);
    expect(error).toMatchObject({ retryAfterMs: 120_000, attempts: 1 });
    expect(error.message).toMatch(
      /asked to wait 120 s before retrying, longer than the 60 s this client waits/,
    );
    expect(client.sleeps).toEqual([]);
    expect(fetch.seen).toHaveLength(1);
  });

  it("does not wait out a 503's Retry-After beyond 60 s either, and says how long was asked", async () => {
    const fetch = scriptedFetch(status(503, { "Retry-After": "90" }), started);
    const error = await rejectionOf(testClient({ fetch }).triggerPrRun(7, details, blind));
    expect(error).toBeInstanceOf(DatafoldServerError);
    expect(error.message).toMatch(/asked to wait 90 s before retrying/);
    expect(fetch.seen).toHaveLength(1);
  });

  it("uses a per-call timeoutMs over the client's", async () => {
    const fetch = scriptedFetch(hang);
    const error = await rejectionOf(
      testClient({ fetch, timeoutMs: 60_000, maxRetries: 0 }).triggerPrRun(7, details, {
        ...blind,
        timeoutMs: 15,
      }),
    );
    expect(error).toMatchObject({ name: "DatafoldTimeoutError", timeoutMs: 15 });
  });

  it("tells onRetry about each retry before waiting", async () => {
    const events: RetryEvent[] = [];
    const fetch = scriptedFetch(status(429, { "Retry-After": "2" }), new TypeError("fetch failed"), started);
    await testClient({ fetch, onRetry: (event) => events.push(event) }).triggerPrRun(7, details, blind);
    expect(events).toEqual([
      {
        method: "triggerPrRun",
        operation: "Trigger a PR/MR run",
        attempt: 2,
        maxAttempts: 3,
        delayMs: 2000,
        reason: "status",
        status: 429,
      },
      {
        method: "triggerPrRun",
        operation: "Trigger a PR/MR run",
        attempt: 3,
        maxAttempts: 3,
        delayMs: 1000,
        reason: "connection",
      },
    ]);
  });

  it("reports a timeout to onRetry as such", async () => {
    const events: RetryEvent[] = [];
    const fetch = scriptedFetch(hang, started);
    await testClient({ fetch, timeoutMs: 20, onRetry: (event) => events.push(event) }).triggerPrRun(
      7,
      details,
    );
    expect(events.map((event) => event.reason)).toEqual(["timeout"]);
  });
});

describe("a caller's abort", () => {
  it("rejects with the signal's reason before any request when already aborted", async () => {
    const fetch = scriptedFetch(started);
    const reason = new Error("job cancelled");
    const error = await rejectionOf(
      testClient({ fetch }).triggerPrRun(7, details, { ...blind, signal: AbortSignal.abort(reason) }),
    );
    expect(error).toBe(reason);
    expect(fetch.seen).toHaveLength(0);
  });

  it("rejects with the signal's reason during an attempt, without retrying or calling it a timeout", async () => {
    const controller = new AbortController();
    const reason = new Error("job cancelled");
    const fetch = scriptedFetch((request) => {
      setTimeout(() => controller.abort(reason), 5);
      return hang(request);
    });
    const error = await rejectionOf(
      testClient({ fetch, timeoutMs: 10_000 }).triggerPrRun(7, details, {
        ...blind,
        signal: controller.signal,
      }),
    );
    expect(error).toBe(reason);
    expect(fetch.seen).toHaveLength(1);
  });

  it("stops a back-off wait at once", async () => {
    const controller = new AbortController();
    const fetch = scriptedFetch(() => {
      setTimeout(() => controller.abort(), 5);
      return status(503, { "Retry-After": "59" });
    });
    // The real clock: the call must end long before the 59 s wait would.
    const client = createDatafoldClientWithRuntime({ apiKey: testKey(), env: {}, fetch }, defaultRuntime);
    const error = await rejectionOf(client.triggerPrRun(7, details, { ...blind, signal: controller.signal }));
    expect(error).toBe(controller.signal.reason);
    expect(error.name).toBe("AbortError");
    expect(fetch.seen).toHaveLength(1);
  });
});

describe("failures retrying cannot mend", () => {
  it("does not retry a 407 from a proxy, and says it is the proxy's", async () => {
    const fetch = scriptedFetch(json(407, {}, { "Proxy-Authenticate": 'Basic realm="proxy"' }), started);
    const error = await rejectionOf(testClient({ fetch }).listCiRuns(7));
    expect(error).toBeInstanceOf(DatafoldConnectionError);
    expect(error).toMatchObject({ kind: "proxy", attempts: 1 });
    expect(error.message).toMatch(/proxy .* answered 407 Proxy Authentication Required/);
    expect(fetch.seen).toHaveLength(1);
  });

  it("does not retry a certificate the machine does not trust", async () => {
    const untrusted = new TypeError("fetch failed", {
      cause: Object.assign(new Error("unable to verify the first certificate"), {
        code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
      }),
    });
    const fetch = scriptedFetch(untrusted, started);
    const error = await rejectionOf(testClient({ fetch }).listCiRuns(7));
    expect(error).toMatchObject({ kind: "tls", attempts: 1 });
    expect(fetch.seen).toHaveLength(1);
  });

  it.each([
    ["ENOTFOUND", "dns"],
    ["ECONNREFUSED", "connect"],
    ["ECONNRESET", "reset"],
  ])("retries %s and names it as a %s failure", async (code, kind) => {
    const failure = new TypeError("fetch failed", { cause: Object.assign(new Error(code), { code }) });
    const fetch = scriptedFetch(failure);
    const error = await rejectionOf(testClient({ fetch, maxRetries: 1 }).listCiRuns(7));
    expect(error).toMatchObject({ kind, attempts: 2 });
  });
});
