import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import { clientDefaults, DatafoldTimeoutError } from "@datafold-ci/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_FLAGS, DEFAULT_MAX_TIME_SECONDS } from "../src/args/flags.js";
import { explainFailure } from "../src/core/failure-report.js";
import { ExitCode } from "../src/exit-codes.js";
import { PR_FLAGS } from "./fixtures/ci-environments.js";
import { runBin } from "./run-bin.js";
import { IN_PROCESS_ENV, runInProcess, TEST_KEY } from "./run-in-process.js";

/** A server that accepts every connection and never answers: what a stalled gateway looks like. */
let silent: Server;
let silentUrl: string;
const sockets = new Set<Socket>();
/** When each connection arrived, on the test's clock (`performance.now()`). */
const arrivals: number[] = [];
beforeAll(async () => {
  silent = createServer((socket) => {
    arrivals.push(performance.now());
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

/**
 * Runs the built CLI against the silent server. `seconds`: from its first request reaching the server to
 * the process's exit, the span the budget bounds (Node's start-up comes before it, and varies with load).
 */
async function timed(args: string[]) {
  arrivals.length = 0;
  const run = await runBin(args, { DATAFOLD_API_KEY: TEST_KEY, DATAFOLD_HOST: silentUrl });
  const ended = performance.now();
  expect(arrivals.length, "the CLI reached the server").toBeGreaterThan(0);
  return { ...run, seconds: (ended - arrivals[0]!) / 1000 };
}

/** A `fetch` answering by request: `GET …/runs` with `runs()`, anything else with `other()`; counts each. */
function answering(runs: () => Response, other: () => Response) {
  const seen: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const listing = request.method === "GET" && new URL(request.url).pathname.endsWith("/runs");
    seen.push(`${request.method} ${new URL(request.url).pathname}`);
    return listing ? runs() : other();
  };
  return { fetch, seen };
}

/** A retryable answer the client retries at once (`Retry-After: 0`), so tests take no back-off time. */
const failing = (status: number) => () =>
  Response.json({ detail: "down" }, { status, headers: { "retry-after": "0" } });
/** Answers `responses` in turn, then the last one for ever. */
const inTurn = (...responses: (() => Response)[]) => {
  let call = 0;
  return () => responses[Math.min(call++, responses.length - 1)]!();
};
const started = () => Response.json({ ci_run_id: 42, run_id: 17 });
const noRuns = () => Response.json([]);

describe("one deadline per command: --max-time", () => {
  it("defaults to the client's totalTimeoutMs, and is in --help and the README's flag table", async () => {
    expect(DEFAULT_MAX_TIME_SECONDS * 1000).toBe(clientDefaults.totalTimeoutMs);
    const page = await runInProcess(["trigger", "--help"], {});
    expect(page.stdout).toMatch(/^ +--max-time <seconds>\s/m);
    expect(page.stdout).toContain(`default: ${DEFAULT_MAX_TIME_SECONDS}`);
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    for (const flag of CLI_FLAGS)
      expect(readme, `--${flag.name} in the README`).toMatch(
        new RegExp(`^\\| (?:\`-\\w\`, )?\`--${flag.name}[\` ]`, "m"),
      );
  });

  it("ends a trigger within a second of --max-time against a server that never answers, naming what was pending", async () => {
    const run = await timed(["trigger", ...PR_FLAGS, "--max-time", "2"]);
    expect(run.code).toBe(ExitCode.RequestFailed);
    // Timed from the server's first sight of the request, which comes a few milliseconds after the
    // CLI's budget started (its connection is made first): not earlier than the budget, less that margin.
    expect(run.seconds).toBeGreaterThanOrEqual(1.9);
    expect(run.seconds).toBeLessThan(3);
    expect(run.stderr).toBe(
      `error: --max-time 2 s ran out while listing the PR's runs before the trigger (GET ${silentUrl}/api/v1/ci/12/runs), after 1 attempt. ` +
        `The trigger was not sent: no run was started. Raise --max-time, or check the network path to ${silentUrl} (--host (${silentUrl}, from DATAFOLD_HOST)).\n`,
    );
  });

  it("names the trigger as pending when it was sent, and that it may have started a run", async () => {
    const run = await timed(["trigger", ...PR_FLAGS, "--no-run-check", "--max-time", "1.5", "--json"]);
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.seconds).toBeLessThan(2.5);
    expect(run.stderr).toContain(
      `error: --max-time 1.5 s ran out while triggering the run (POST ${silentUrl}/api/v1/ci/12/trigger), after 1 attempt. ` +
        "An attempt without an answer may still have started a run: datafold-ci runs lists the PR's runs.",
    );
    expect(JSON.parse(run.stdout)).toEqual({
      error: {
        kind: "timeout",
        message: expect.stringContaining("--max-time 1.5 s ran out while triggering the run"),
        exitCode: 1,
        request: {
          operation: "triggerPrRun",
          method: "POST",
          url: `${silentUrl}/api/v1/ci/12/trigger`,
          attempts: 1,
        },
      },
    });
  });

  it("says no run was started when the budget ran out before the trigger's first attempt", () => {
    const spent = (attempts: number) =>
      explainFailure(
        new DatafoldTimeoutError("spent", {
          budget: "total",
          timeoutMs: 5_000,
          attempts,
          method: "triggerPrRun",
          request: "POST https://datafold.example/api/v1/ci/12/trigger",
        }),
        {
          baseUrl: "https://datafold.example",
          host: { value: "https://datafold.example", source: { kind: "flag", name: "--host" } },
          ciConfigId: { value: "12", source: { kind: "flag", name: "--ci-config-id" } },
          timeoutSeconds: 30,
          maxTimeSeconds: 5,
          maxRetries: 2,
          progress: { lookedBeforeTrigger: true, failedTriggerAttempts: 0 },
          triggering: true,
        },
      );
    expect(spent(0)).toContain(
      "--max-time 5 s ran out while triggering the run (POST https://datafold.example/api/v1/ci/12/trigger), before its first attempt. The trigger was not sent",
    );
    expect(spent(2)).toContain("after 2 attempts. An attempt without an answer may still have started a run");
  });

  it("bounds runs and submit too", async () => {
    const runs = await timed(["runs", "--ci-config-id", "12", "--pr-num", "7", "--max-time", "1"]);
    expect(runs.code).toBe(ExitCode.RequestFailed);
    expect(runs.seconds).toBeLessThan(2);
    expect(runs.stderr).toMatch(/^error: --max-time 1 s ran out while listing the PR's runs \(GET /);
    const diffs = join(await mkdtemp(join(tmpdir(), "datafold-ci-")), "diffs.json");
    await writeFile(diffs, '[{"prod":"db.a","pr":"db.b"}]');
    const submit = await timed([
      "submit",
      "--ci-config-id",
      "12",
      "--pr-num",
      "7",
      "--diffs",
      diffs,
      "--max-time",
      "1",
    ]);
    expect(submit.code).toBe(ExitCode.RequestFailed);
    expect(submit.seconds).toBeLessThan(2);
    expect(submit.stderr).toMatch(/^error: --max-time 1 s ran out while uploading the PR's diffs \(POST /);
  });

  it("refuses a --max-time that is not a number of seconds above 0, sending nothing", async () => {
    const run = await runInProcess(["trigger", ...PR_FLAGS, "--max-time", "0"], IN_PROCESS_ENV);
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toContain(
      '--max-time "0" (from flag --max-time) is not a number of seconds above 0 and at most 3600, e.g. 120 or 2.5',
    );
    expect(run.requests).toEqual([]);
  });

  it("states the plan's worst case under --debug before the first request", async () => {
    const plain = await runInProcess(["trigger", ...PR_FLAGS, "--debug"], IN_PROCESS_ENV);
    const plan = plain.stderr.split("\n").filter((line) => /^(Plan|Then|Worst)/.test(line));
    expect(plan).toEqual([
      "Plan: each request to Datafold makes at most 3 attempts (--retries 2) of at most 30 s each (--timeout), and ends within 120 s (2 min) in all (--max-time), the waits between attempts and the trigger's looks at the PR's runs included.",
      "Worst case: 120 s (2 min) from the first request.",
    ]);
    expect(plain.stderr.indexOf("Worst case")).toBeLessThan(plain.stderr.indexOf("→ GET"));
    const waiting = await runInProcess(
      ["trigger", ...PR_FLAGS, "--wait", "--timeout", "50", "--max-time", "40", "--retries", "0", "--debug"],
      IN_PROCESS_ENV,
      { answer: () => Response.json({ ci_run_id: null, run_id: null }) },
    );
    expect(waiting.stderr).toContain(
      "Plan: each request to Datafold makes at most 1 attempt (--retries 0) of at most 40 s each (--timeout 50 s, cut to --max-time)",
    );
    expect(waiting.stderr).toContain(
      "Then the wait: at most 3600 s (60 min) (--wait-timeout), each status check a request as above, the one at the deadline given up to 10 s more.",
    );
    expect(waiting.stderr).toContain("Worst case: 3650 s (60 min 50 s) from the first request.");
    const listing = await runInProcess(
      ["runs", "--ci-config-id", "12", "--pr-num", "7", "--debug"],
      IN_PROCESS_ENV,
      {
        fetch: async () => Response.json([]),
      },
    );
    expect(listing.stderr).toContain("(--max-time), the waits between attempts included.\nWorst case: 120 s");
  });
});

describe("messages that say which request", () => {
  it("names the request each retry line retries: the PR's runs, then the trigger", async () => {
    const { fetch } = answering(inTurn(failing(503), noRuns), inTurn(failing(503), started));
    const run = await runInProcess(["trigger", ...PR_FLAGS], IN_PROCESS_ENV, { fetch });
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stderr).toBe(
      "listing the PR's runs: Datafold answered 503, retrying in 0 ms (attempt 2 of 3)\n" +
        "triggering the run: Datafold answered 503, retrying in 0 ms (attempt 2 of 3)\n",
    );
  });

  it("names the upload in submit's retry lines", async () => {
    const { fetch } = answering(noRuns, inTurn(failing(429), started));
    const run = await runInProcess(["submit", "--ci-config-id", "12", "--pr-num", "7"], IN_PROCESS_ENV, {
      fetch,
      stdin: ['[{"prod":"db.a","pr":"db.b"}]'],
    });
    expect(run.stderr).toContain(
      "uploading the PR's diffs: rate limited by Datafold, retrying in 0 ms (attempt 2 of 3)\n",
    );
  });

  it("says the runs could not be listed when the look before the first attempt fails, and triggers", async () => {
    const { fetch, seen } = answering(failing(500), started);
    const run = await runInProcess(["trigger", ...PR_FLAGS], IN_PROCESS_ENV, { fetch });
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stderr).toMatch(
      /^warning: could not list the PR's runs before triggering \(Datafold, or a gateway in front of it, failed on GET .*\); triggering anyway, but an attempt that fails in a way that may have started a run will not be retried\n/m,
    );
    expect(run.stderr).not.toContain("the failed attempt");
    expect(seen.filter((line) => line.startsWith("POST"))).toHaveLength(1);
  });

  it("warns about a failed look only after a trigger attempt failed", async () => {
    const { fetch } = answering(inTurn(noRuns, failing(500)), failing(502));
    const run = await runInProcess(["trigger", ...PR_FLAGS], IN_PROCESS_ENV, { fetch });
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toContain(
      "warning: attempt 1 failed in a way that may have started a run, and the PR's runs could not be listed to look for it (",
    );
    expect(run.stderr).toContain("): not triggering again, so as not to start a second run\n");
    expect(run.stderr).not.toContain("could not list the PR's runs before triggering");
  });

  it("prints the whole cause chain under --debug: ECONNREFUSED under fetch failed", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const run = await runInProcess(
      ["runs", "--ci-config-id", "12", "--pr-num", "7", "--retries", "0", "--debug"],
      { ...IN_PROCESS_ENV, DATAFOLD_HOST: `http://127.0.0.1:${port}` },
      { fetch: globalThis.fetch },
    );
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toMatch(
      /← no response after \d+ ms: TypeError: fetch failed caused by Error: connect ECONNREFUSED 127\.0\.0\.1:\d+/,
    );
    expect(run.stderr).toMatch(
      /\nDatafoldConnectionError: The connection to Datafold failed for GET .*\n {2}caused by TypeError: fetch failed\n {2}caused by Error: connect ECONNREFUSED 127\.0\.0\.1:\d+\n/,
    );
  });

  it("redacts the key and a proxy's password anywhere down the cause chain", async () => {
    const password = "pr0xy-s3cret";
    const run = await runInProcess(
      ["trigger", ...PR_FLAGS, "--retries", "0", "--debug"],
      { ...IN_PROCESS_ENV, HTTPS_PROXY: `http://user:${password}@127.0.0.1:3128` },
      {
        fetch: async () => {
          const inner = new Error(`proxy http://user:${password}@127.0.0.1:3128 refused Key ${TEST_KEY}`);
          throw new TypeError("fetch failed", { cause: Object.assign(inner, { code: "ECONNRESET" }) });
        },
      },
    );
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toContain(
      "caused by Error: proxy http://user:[REDACTED]@127.0.0.1:3128 refused Key [REDACTED] (ECONNRESET)",
    );
    expect(run.stderr).not.toContain(password);
  });
});

describe("--json on failure: one error document on stdout", () => {
  it("for a request that failed (exit 1): kind, message, exit code and the request", async () => {
    const run = await runInProcess(["trigger", ...PR_FLAGS, "--json"], IN_PROCESS_ENV, {
      answer: () => Response.json({ detail: "Not Found" }, { status: 404 }),
    });
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stdout.trim().split("\n")).toHaveLength(1);
    const { error } = JSON.parse(run.stdout);
    expect(error).toEqual({
      kind: "not-found",
      message: expect.stringMatching(/^Datafold answered 404: "Not Found"\. Check that --ci-config-id 12/),
      exitCode: 1,
      request: {
        operation: "triggerPrRun",
        method: "POST",
        url: "http://127.0.0.1:9/api/v1/ci/12/trigger",
        attempts: 1,
        status: 404,
      },
    });
    expect(run.stderr).toContain(`error: ${error.message}\n`);
  });

  it.each([
    ["an unknown flag", ["trigger", "--json", "--bogus"], ["unknown flag --bogus"]],
    [
      "a bad value",
      ["runs", "--json", "--ci-config-id", "12", "--pr-num", "7", "--limit", "0"],
      ['--limit "0"'],
    ],
    ["several missing values", ["trigger", "--json", "--ci-config-id", "12"], ["--pr-num", "--pr-sha"]],
  ])("for a usage error (exit 2): %s", async (_, argv, mentioned) => {
    const run = await runInProcess(argv, IN_PROCESS_ENV);
    expect(run.code).toBe(ExitCode.Usage);
    const { error } = JSON.parse(run.stdout);
    expect(error).toMatchObject({ kind: "usage", exitCode: 2, request: null });
    for (const text of mentioned) expect(error.message).toContain(text);
    expect(error.problems.length).toBeGreaterThan(0);
    expect(run.requests).toEqual([]);
  });

  it("prints nothing on stdout without --json, or when no command was named", async () => {
    const plain = await runInProcess(["trigger", "--bogus"], IN_PROCESS_ENV);
    expect(plain.stdout).toBe("");
    const none = await runInProcess(["--json", "--bogus"], IN_PROCESS_ENV);
    expect(none).toMatchObject({ code: ExitCode.Usage, stdout: "" });
  });

  it("for a bug (exit 70)", async () => {
    const run = await runInProcess(["trigger", ...PR_FLAGS.slice(0, 5), "--json"], IN_PROCESS_ENV, {
      git: () => {
        throw new TypeError("boom");
      },
    });
    expect(run.code).toBe(ExitCode.Internal);
    expect(JSON.parse(run.stdout).error).toMatchObject({ kind: "internal", exitCode: 70, request: null });
  });
});
