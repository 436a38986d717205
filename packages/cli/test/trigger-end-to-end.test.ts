import { createServer } from "node:net";
import { clientDefaults } from "@datafold-ci/client";
import { type MockDatafold, startMockDatafold } from "@datafold-ci/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { PR_BODY, PR_FLAGS, prFlagsWithout } from "./fixtures/ci-environments.js";
import { runBin } from "./run-bin.js";

let mock: MockDatafold;
/** What reached Datafold besides the trigger's look at the PR's runs before its first attempt (a GET). */
const triggers = () => mock.requests.filter((request) => request.method !== "GET");
let env: Record<string, string>;
beforeAll(async () => {
  mock = await startMockDatafold();
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.requests.length = 0;
  mock.noRunFor(12, false);
  env = { DATAFOLD_API_KEY: mock.apiKey, DATAFOLD_HOST: mock.url };
});

// Scripted faults below aim at the trigger: --no-run-check keeps the look at the PR's runs from taking the first.
const trigger = (...extra: string[]) =>
  runBin(["trigger", ...PR_FLAGS, "--no-run-check", ...extra], env, { secrets: [mock.apiKey] });
const NO_STACK = /^\s+at /m;

describe("the built bin", () => {
  it("answers --version and --help without a request", async () => {
    expect(await runBin(["--version"], {})).toEqual({
      code: 0,
      stdout: `${__PACKAGE_VERSION__}\n`,
      stderr: "",
    });
    const help = await runBin(["trigger", "--help"], {});
    expect(help.stdout).toMatch(/^datafold-ci \S+: start a Datafold CI run/);
    expect(mock.requests).toEqual([]);
  });
});

describe("a started run", () => {
  it("prints one line with the run id and the PR, and sends the five facts", async () => {
    const run = await trigger();
    expect(run).toEqual({
      code: ExitCode.Ok,
      stdout: expect.stringMatching(
        /^Datafold CI run \d+ started for PR #7 \(feature\/x → main, 1a2b3c4\)\n$/,
      ),
      stderr: "",
    });
    expect(triggers()).toMatchObject([
      {
        method: "POST",
        path: "/api/v1/ci/12/trigger",
        headers: { authorization: "[REDACTED]", "content-type": "application/json" },
        body: PR_BODY,
        status: 200,
      },
    ]);
  });

  it("prints only Datafold's response on stdout with --json, and the run's line on stderr", async () => {
    const run = await trigger("--json");
    expect(run.code).toBe(ExitCode.Ok);
    const response = JSON.parse(run.stdout);
    expect(response).toEqual({ ci_run_id: expect.any(Number), run_id: expect.any(Number) });
    expect(run.stdout.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toBe(
      `Datafold CI run ${response.ci_run_id} started for PR #7 (feature/x → main, ${PR_BODY.pr_sha.slice(0, 7)})\n`,
    );
  });

  it("prints only Datafold's response with --json --quiet", async () => {
    const run = await trigger("--json", "--quiet");
    expect(run.code).toBe(ExitCode.Ok);
    expect(JSON.parse(run.stdout)).toEqual({ ci_run_id: expect.any(Number), run_id: expect.any(Number) });
    expect(run.stderr).toBe("");
  });

  it("prints nothing with --quiet", async () => {
    expect(await trigger("--quiet")).toEqual({ code: ExitCode.Ok, stdout: "", stderr: "" });
    expect(triggers()).toHaveLength(1);
  });

  it("takes the official CLI's --pr-number spelling", async () => {
    const run = await runBin(["trigger", ...prFlagsWithout("--pr-num"), "--pr-number", "8"], env);
    expect(run.code).toBe(ExitCode.Ok);
    expect(triggers()[0]?.body).toMatchObject({ pr_number: 8 });
  });
});

describe("Datafold accepts the call but starts no run", () => {
  beforeEach(() => mock.noRunFor(12));

  it("warns with the usual reasons, and exits 0", async () => {
    const run = await trigger();
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      /^warning: Datafold accepted the call but started no run for PR #7 .*requires a PR label.*file filters.*paused or disabled/,
    );
  });

  it("exits 3 with --require-run", async () => {
    const run = await trigger("--require-run");
    expect(run.code).toBe(ExitCode.NoRunStarted);
    expect(run.stderr).toMatch(
      /^error: Datafold accepted the call but started no run .*\(--require-run: exit 3\)\n$/,
    );
  });

  it("still prints the response with --json, and the warning on stderr", async () => {
    const run = await trigger("--json");
    expect(JSON.parse(run.stdout)).toEqual({ ci_run_id: null, run_id: null });
    expect(run.stderr).toMatch(/^warning: Datafold accepted the call but started no run/);
  });
});

describe("failures: exit 1, what Datafold said, what to check, no stack trace", () => {
  it("a key Datafold refuses", async () => {
    env.DATAFOLD_API_KEY = "not-the-mock-key-0000";
    const run = await trigger();
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toMatch(
      /^error: Datafold answered 40[13]: .*Check DATAFOLD_API_KEY: it must be a current API key of http:\/\/127\.0\.0\.1:\d+ with access to CI config 12\.\n$/,
    );
    expect(run.stderr).not.toMatch(NO_STACK);
  });

  it("a 404", async () => {
    mock.enqueue({ kind: "respond", status: 404, body: { detail: "Not Found" } });
    const run = await trigger();
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toBe(
      `error: Datafold answered 404: "Not Found". Check that --ci-config-id 12 (from flag --ci-config-id) is a CI config of ${mock.url}, and that DATAFOLD_API_KEY belongs to that host: Datafold also answers 404 to an API key it does not recognise.\n`,
    );
  });

  it("a 422", async () => {
    mock.enqueue({
      kind: "respond",
      status: 422,
      body: { detail: [{ loc: ["body", "pr_sha"], msg: "Field required", type: "missing" }] },
    });
    const run = await trigger();
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toMatch(
      /^error: Datafold rejected the request \(422\): body\.pr_sha: Field required\. .*--dry-run/,
    );
  });

  it("rate limiting that passes: progress on stderr, then the run", async () => {
    mock.enqueue({
      kind: "respond",
      status: 429,
      headers: { "retry-after": "0" },
      body: { detail: "Too Many Requests" },
    });
    const run = await trigger();
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stderr).toMatch(
      /^triggering the run: rate limited by Datafold, retrying in \d+ m?s \(attempt 2 of 3\)\n$/,
    );
    expect(run.stdout).toMatch(/^Datafold CI run \d+ started/);
    expect(triggers().map((request) => request.status)).toEqual([429, 200]);
  });

  it("rate limiting that lasts", async () => {
    const limited = {
      kind: "respond",
      status: 429,
      headers: { "retry-after": "0" },
      body: { detail: "slow down" },
    } as const;
    mock.enqueue(limited, limited);
    const run = await trigger("--retries", "1");
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toMatch(
      /error: Datafold answered 429: "slow down" \(2 attempts\): Datafold is rate limiting these calls\. .*raise --retries \(now 1\)/,
    );
  });

  it("rate limiting that lasts at the most retries: no advice to raise them", async () => {
    const limited = { kind: "respond", status: 429, headers: { "retry-after": "0" } } as const;
    mock.enqueue(...Array.from({ length: 11 }, () => limited));
    const run = await trigger("--retries", "10");
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toMatch(/error: Datafold answered 429 \(11 attempts\): Datafold is rate limiting/);
    expect(run.stderr).not.toContain("--retries");
  });

  it("rate limiting with a Retry-After longer than datafold-ci waits: names the wait, no advice to retry more", async () => {
    mock.enqueue({
      kind: "respond",
      status: 429,
      headers: { "retry-after": "3600" },
      body: { detail: "slow down" },
    });
    const run = await trigger();
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(triggers()).toHaveLength(1);
    expect(run.stderr).toBe(
      `error: Datafold answered 429: "slow down": Datafold is rate limiting these calls and asked to wait 60 min, longer than datafold-ci waits (${clientDefaults.maxRetryAfterMs / 1000} s). Wait that long, then run again.\n`,
    );
    expect(run.stderr).not.toContain("--retries");
  });

  it("server errors on every attempt", async () => {
    const down = {
      kind: "respond",
      status: 503,
      headers: { "retry-after": "0" },
      body: "<h1>Service Unavailable</h1>",
    } as const;
    mock.enqueue(down, down, down);
    const run = await trigger();
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toMatch(
      /Datafold answered 503, retrying in .* \(attempt 2 of 3\)\n.*\(attempt 3 of 3\)\n/,
    );
    expect(run.stderr).toMatch(
      /error: Datafold answered 503: ".*Service Unavailable.*" \(3 attempts\): a server error at Datafold/,
    );
    expect(run.stderr).not.toMatch(NO_STACK);
  });

  it("--retries 0 makes one attempt only", async () => {
    mock.enqueue({ kind: "respond", status: 502, body: "bad gateway" });
    const run = await trigger("--retries", "0");
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(triggers()).toHaveLength(1);
  });

  it("a connection reset", async () => {
    mock.enqueue({ kind: "reset" });
    const run = await trigger("--retries", "0");
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toMatch(
      new RegExp(
        `^error: the connection to ${mock.url} failed.*Check --host \\(${mock.url}, from DATAFOLD_HOST\\) and the network`,
      ),
    );
  });

  it("a connection cut in the middle of the answer", async () => {
    mock.enqueue({ kind: "reset-mid-body" });
    const run = await trigger("--retries", "0");
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toMatch(/^error: /);
    expect(run.stderr).not.toMatch(NO_STACK);
  });

  it("no answer within --timeout", async () => {
    mock.enqueue({ kind: "hang" });
    const run = await trigger("--timeout", "0.3", "--retries", "0");
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toMatch(/^error: Datafold did not answer within 0\.3 s\. Raise --timeout/);
  });

  it("a timeout that passes on retry", async () => {
    mock.enqueue({ kind: "hang" });
    const run = await trigger("--timeout", "1");
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stderr).toMatch(
      /^triggering the run: no answer from Datafold within 1 s, retrying in .* \(attempt 2 of 3\)\n$/,
    );
  });

  it("nothing listening at --host", async () => {
    const port = await closedPort();
    const run = await trigger("--host", `http://127.0.0.1:${port}`, "--retries", "0");
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toBe(
      `error: the connection to http://127.0.0.1:${port} failed (ECONNREFUSED). Check --host (http://127.0.0.1:${port}, from flag --host) and the network (DNS, proxy, VPN, firewall).\n`,
    );
  });

  it("a host that answers with something other than Datafold's API", async () => {
    mock.enqueue({
      kind: "respond",
      status: 200,
      headers: { "content-type": "text/html" },
      body: "<html>Sign in</html>",
    });
    const run = await trigger();
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toMatch(
      /^error: http:\/\/127\.0\.0\.1:\d+ answered 200 with something that is not Datafold's API response \(".*Sign in.*"\)\. Check that --host/,
    );
  });
});

describe("bad input never reaches the server", () => {
  const cases: [string, string[], Record<string, string>][] = [
    ["an unknown flag", ["trigger", ...PR_FLAGS, "--prnum", "7"], {}],
    ["--api-key", ["trigger", ...PR_FLAGS, "--api-key", "whatever-key-1234"], {}],
    ["a PR number that is not a number", ["trigger", ...PR_FLAGS, "--pr-num", "seven"], {}],
    ["a missing value", ["trigger", ...PR_FLAGS.slice(2)], {}],
    ["no API key", ["trigger", ...PR_FLAGS], { DATAFOLD_API_KEY: "" }],
    ["a push build", ["trigger", "--ci-config-id", "12"], { GITLAB_CI: "true", CI_PIPELINE_SOURCE: "push" }],
  ];
  it.each(cases)("%s: exit 2", async (_, args, extraEnv) => {
    const run = await runBin(args, { ...env, ...extraEnv }, { secrets: [mock.apiKey] });
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^error: /);
    expect(run.stderr).not.toMatch(NO_STACK);
    expect(mock.requests).toEqual([]);
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

describe("a retry never starts a second run", () => {
  it("looks at the PR's runs before triggering, unless --no-run-check", async () => {
    const run = await runBin(["trigger", ...PR_FLAGS], env, { secrets: [mock.apiKey] });
    expect(run.code).toBe(ExitCode.Ok);
    expect(mock.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      "GET /api/v1/ci/12/runs",
      "POST /api/v1/ci/12/trigger",
    ]);
    mock.requests.length = 0;
    await trigger();
    expect(mock.requests.map((request) => request.method)).toEqual(["POST"]);
  });

  it("reports the run a failed attempt started, and does not trigger again", async () => {
    const before = mock.runs(12).length;
    mock.enqueue(
      { kind: "delay", ms: 0 },
      { kind: "respond", status: 502, reachesDatafold: true, body: "Bad Gateway" },
    );
    const run = await runBin(["trigger", ...PR_FLAGS], env, { secrets: [mock.apiKey] });
    expect(run.code).toBe(ExitCode.Ok);
    const started = mock.runs(12)[0]!.id;
    expect(mock.runs(12)).toHaveLength(before + 1);
    expect(run.stderr).toContain(
      `attempt 1 failed, yet it started Datafold CI run ${started}: not triggering again`,
    );
    expect(run.stdout).toMatch(new RegExp(`^Datafold CI run ${started} started for PR #7`));
  });
});
