import { describe, expect, it } from "vitest";
import { retryAfterMs } from "../src/retry-policy.js";
import { details, testClient } from "./helpers/client.js";
import { json, scriptedFetch } from "./helpers/fake-fetch.js";
import { instantRuntime } from "./helpers/runtime.js";

const now = Date.UTC(1994, 10, 6, 8, 49, 30);
const waitFor = (headers: Record<string, string>) => retryAfterMs(new Headers(headers), now);

describe("Retry-After accepts what RFC 9110 §10.2.3 allows", () => {
  it.each([
    ["delay-seconds", "120", 120_000],
    ["delay-seconds of zero", "0", 0],
    ["an IMF-fixdate", "Sun, 06 Nov 1994 08:49:37 GMT", 7000],
    ["an obsolete RFC 850 date", "Sunday, 06-Nov-94 08:49:37 GMT", 7000],
    ["an asctime date", "Sun Nov  6 08:49:37 1994", 7000],
    ["a date already past, as no wait", "Sun, 06 Nov 1994 08:49:00 GMT", 0],
  ])("reads %s", (_, value, ms) => {
    expect(waitFor({ "Retry-After": value })).toBe(ms);
  });

  it.each([
    "-1",
    "1 2",
    "2, 3",
    "1.5",
    "+5",
    "soon",
    "Nov 6 1994",
    "2026-11-25T12:00:00Z",
    "Sun, 06 Nov 1994 08:49:37 UTC",
    "sun, 06 nov 1994 08:49:37 gmt",
    "Sun, 31 Feb 1994 08:49:37 GMT",
    "Sun, 06 Nov 1994 25:49:37 GMT",
    "Sun, 06 Nov 1994 08:49:37 GMT, Sun, 06 Nov 1994 08:49:37 GMT",
  ])("treats %j as unreadable", (value) => {
    expect(waitFor({ "Retry-After": value })).toBeUndefined();
  });

  it("reads a two-digit RFC 850 year as the most recent past year, not one more than 50 years ahead", () => {
    expect(waitFor({ "Retry-After": "Thursday, 01-Jan-70 00:00:00 GMT" })).toBe(0);
    const in2026 = Date.UTC(2026, 0, 1);
    expect(retryAfterMs(new Headers({ "Retry-After": "Friday, 01-Jan-27 00:00:00 GMT" }), in2026)).toBe(
      Date.UTC(2027, 0, 1) - in2026,
    );
  });

  it("prefers retry-after-ms, and reads past it only when it is not a plain non-negative number", () => {
    expect(waitFor({ "retry-after-ms": "250", "Retry-After": "9" })).toBe(250);
    expect(waitFor({ "retry-after-ms": "1.5" })).toBe(1.5);
    for (const bad of ["-1", "1 2", "2, 3", "1e3", "Infinity", ""])
      expect(waitFor({ "retry-after-ms": bad, "Retry-After": "9" })).toBe(9000);
  });
});

describe("a malformed Retry-After", () => {
  it.each(["-1", "1 2", "2, 3"])(
    "%j is not an immediate retry: the client waits its own back-off",
    async (value) => {
      const client = testClient(
        {
          fetch: scriptedFetch(
            json(429, { detail: "slow down" }, { "Retry-After": value }),
            json(200, { ci_run_id: 5, run_id: 5 }),
          ),
        },
        instantRuntime({ now: Date.UTC(2026, 10, 25, 12, 0, 0) }),
      );
      await client.triggerPrRun(7, details);
      expect(client.sleeps).toEqual([500]);
    },
  );
});
