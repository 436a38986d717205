import { describe, expect, it } from "vitest";
import { createDatafoldClient } from "../src/index.js";
import { details, testClient } from "./helpers/client.js";
import { hang, json, type Script, scriptedFetch } from "./helpers/fake-fetch.js";
import {
  leaks,
  rejectionOf,
  rememberedErrorCount,
  serialisations,
  testKey,
  thrownBy,
} from "./helpers/secrets.js";

// Every test file also runs this check on the errors it caught (test/setup/no-key-leaks.ts); this
// file provokes each kind of error with one key, including servers and fetches that echo it back.
describe("the API key never appears in an error", () => {
  const apiKey = testKey("leak");
  const echoingServer =
    (status: number): Script =>
    (request) =>
      json(status, { detail: `bad header ${request.headers.get("authorization")}`, seen: [apiKey] });

  const scenarios: [string, Script[], object?][] = [
    ["422 echoing the header", [echoingServer(422)]],
    ["401 echoing the header", [echoingServer(401)]],
    ["403", [json(403, { detail: "Forbidden" })]],
    ["404", [json(404, { detail: "Not Found" })]],
    ["429 beyond 60 s", [json(429, {}, { "Retry-After": "3600" })]],
    [
      "500 HTML page echoing the header",
      [(r) => new Response(`<h1>Error</h1><pre>${r.headers.get("authorization")}</pre>`, { status: 500 })],
    ],
    ["418", [json(418, { detail: apiKey })]],
    ["connection refused", [new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED") })]],
    [
      "a custom fetch that puts the headers in its error",
      [
        (r) =>
          Promise.reject(
            Object.assign(new Error(`request failed: ${r.headers.get("authorization")}`), {
              config: { headers: Object.fromEntries(r.headers) },
            }),
          ),
      ],
    ],
    [
      "a custom fetch whose error's cause holds the key",
      [() => Promise.reject(new Error("outer", { cause: new Error(`inner Key ${apiKey}`) }))],
    ],
    ["timeout", [hang], { timeoutMs: 10 }],
    ["non-JSON 200 echoing the key", [new Response(`ok ${apiKey}`, { status: 200 })]],
    ["wrong-shape 200 echoing the key", [json(200, { ci_run_id: apiKey })]],
  ];

  it.each(scenarios)("%s", async (_, answers, options = {}) => {
    const error = await rejectionOf(
      testClient({ apiKey, fetch: scriptedFetch(...answers), maxRetries: 0, ...options }).triggerPrRun(
        7,
        details,
      ),
    );
    for (const text of serialisations(error)) expect(text).not.toContain(apiKey);
  });

  it("shows [REDACTED] where a server echoed the key", async () => {
    const error = await rejectionOf(
      testClient({ apiKey, fetch: scriptedFetch(echoingServer(422)) }).triggerPrRun(7, details),
    );
    expect(error.message).toContain("bad header Key [REDACTED]");
  });

  it("is not in input errors about the key itself", () => {
    for (const bad of [`${apiKey}\u0000`, `${apiKey} extra`, `${apiKey}é`]) {
      const error = thrownBy(() => createDatafoldClient({ apiKey: bad, env: {} }));
      for (const text of serialisations(error)) expect(text).not.toContain(apiKey);
    }
    const fromEnv = thrownBy(() =>
      createDatafoldClient({ env: { DATAFOLD_API_KEY: `${apiKey}\n${apiKey}` } }),
    );
    expect(fromEnv.message).toMatch(/the API key from DATAFOLD_API_KEY contains/);
  });

  it("is searched for in every error this file caught", () => {
    expect(rememberedErrorCount()).toBeGreaterThan(scenarios.length);
    expect(leaks()).toEqual([]);
  });
});
