import { fakeClock, type MockDatafold, startMockDatafold } from "@datafold-ci/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { PR, PR_FLAGS, prFlagsWithout } from "./fixtures/ci-environments.js";
import { runInProcess } from "./run-in-process.js";

// The kit's runs and the CLI's polling share one fake clock: an hour of Datafold runs in milliseconds.
const clock = fakeClock();
const sleeps: number[] = [];
const runtime = {
  now: () => clock.now(),
  random: () => 0.5,
  sleep: (ms: number, signal: AbortSignal) => {
    sleeps.push(ms);
    return clock.sleep(ms, signal);
  },
};
let mock: MockDatafold;
let env: Record<string, string>;
beforeAll(async () => {
  // Runs nobody scripts do not wait for diffs: these tests are about waiting for a run, not about submitting.
  mock = await startMockDatafold({ clock, noRunFor: [99], runLifecycle: { waitForDiffsMs: 0 } });
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.requests.length = 0;
  sleeps.length = 0;
  env = { DATAFOLD_API_KEY: mock.apiKey, DATAFOLD_HOST: mock.url };
});

const MINUTE = 60_000;
const cli = (argv: string[], stdin?: string) =>
  runInProcess(argv, env, {
    fetch: globalThis.fetch,
    runtime,
    ...(stdin === undefined ? {} : { stdin: [stdin] }),
  });
// --no-run-check: the trigger's own look at the PR's runs (tested with the client) stays out of the poll counts.
const triggerWait = (...extra: string[]) =>
  cli(["trigger", ...PR_FLAGS, "--wait", "--retries", "0", "--no-run-check", ...extra]);
const lists = () => mock.requests.filter((request) => request.method === "GET");

describe("trigger --wait", () => {
  it("prints each status change on stderr and a summary, and exits 0 when the run is done", async () => {
    mock.scriptRuns({
      waitForDiffsMs: 0,
      stages: [
        { status: "waiting", ms: 10_000 },
        { status: "processing", ms: 50_000 },
      ],
    });
    const run = await triggerWait();
    expect(run.code).toBe(ExitCode.Ok);
    const id = /^Datafold CI run (\d+) started for PR #7/.exec(run.stdout)?.[1];
    expect(run.stderr).toMatch(
      new RegExp(
        `Datafold CI run ${id}: waiting \\(0 s\\)\\nDatafold CI run ${id}: processing \\(\\d+ s\\)\\nDatafold CI run ${id}: done \\(\\d+ s\\)\\n` +
          `Datafold CI run ${id} done after \\d+ s \\(\\d+ status checks\\)\\. "done" means the run finished`,
      ),
    );
    expect(lists()[0]).toMatchObject({ path: "/api/v1/ci/12/runs", query: { pr_sha: PR.headSha } });
  });

  it('says "1 status check" when the first check finds the run done', async () => {
    mock.scriptRuns({ waitForDiffsMs: 0, stages: [] });
    const run = await triggerWait();
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stderr).toMatch(/ done after 0 s \(1 status check\)\. /);
  });

  it.each([
    ["failed", ExitCode.RunFailed, /Datafold CI run \d+ failed after/],
    [
      "cancelled",
      ExitCode.RunCancelled,
      /was cancelled after .*: usually a newer commit of the PR superseded it/,
    ],
  ])("exits with the code for a run that ended %s", async (outcome, code, message) => {
    mock.scriptRuns({ waitForDiffsMs: 0, stages: [{ status: "processing", ms: 30_000 }], outcome });
    const run = await triggerWait();
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
  });

  it("shows a status Datafold has not documented as it is, and keeps waiting", async () => {
    mock.scriptRuns({ waitForDiffsMs: 0, stages: [{ status: "diffing_tables", ms: 20_000 }] });
    const run = await triggerWait();
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stderr).toMatch(/: diffing_tables \(0 s\)\n/);
  });

  it("exits 6 at --wait-timeout, naming the run, its last status and how to look at it", async () => {
    mock.scriptRuns({ waitForDiffsMs: 0, stages: [{ status: "processing", ms: 60 * MINUTE }] });
    const run = await triggerWait("--wait-timeout", "90");
    expect(run.code).toBe(ExitCode.WaitTimedOut);
    expect(run.stderr).toMatch(
      /error: Datafold CI run (\d+) is still processing after 90 s \(\d+ status checks\): --wait-timeout 90 s passed\. Look at it in Datafold \(http:\/\/127\.0\.0\.1:\d+\), or list the PR's runs: datafold-ci runs --ci-config-id 12 --pr-sha 1a2b3c4\w+, or wait longer with: datafold-ci wait --ci-config-id 12 --ci-run-id \1 --pr-sha 1a2b3c4\w+\n/,
    );
  });

  it.each([
    ["done", ExitCode.Ok],
    ["failed", ExitCode.RunFailed],
    ["cancelled", ExitCode.RunCancelled],
  ])("with --json prints one document with the run as it ended (%s)", async (outcome, code) => {
    mock.scriptRuns({ waitForDiffsMs: 0, stages: [{ status: "processing", ms: 20_000 }], outcome });
    const run = await triggerWait("--json");
    expect(run.code).toBe(code);
    const document = JSON.parse(run.stdout);
    expect(document).toEqual({
      ci_run_id: expect.any(Number),
      run_id: expect.any(Number),
      run: expect.objectContaining({ status: outcome, outcome, pr_sha: PR.headSha, pr_num: "7" }),
    });
    expect(document.run.id).toBe(document.ci_run_id);
    expect(run.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("with --json prints the run's last status on a timeout (exit 6)", async () => {
    mock.scriptRuns({ waitForDiffsMs: 0, stages: [{ status: "processing", ms: 60 * MINUTE }] });
    const run = await triggerWait("--json", "--wait-timeout", "30");
    expect(run.code).toBe(ExitCode.WaitTimedOut);
    expect(JSON.parse(run.stdout).run).toMatchObject({ status: "processing", outcome: "timed-out" });
  });

  it("warns and exits 0 when Datafold starts no run, or 3 with --require-run", async () => {
    const lenient = await cli(["trigger", ...PR_FLAGS, "--ci-config-id=99", "--wait", "--no-run-check"]);
    expect(lenient.code).toBe(ExitCode.Ok);
    expect(lenient.stderr).toMatch(
      /^warning: Datafold accepted the call but started no run .* Nothing to wait for\.\n$/,
    );
    const strict = await cli([
      "trigger",
      ...PR_FLAGS,
      "--ci-config-id=99",
      "--wait",
      "--require-run",
      "--json",
      "--no-run-check",
    ]);
    expect(strict.code).toBe(ExitCode.NoRunStarted);
    expect(JSON.parse(strict.stdout)).toEqual({ ci_run_id: null, run_id: null, run: null });
    expect(lists()).toEqual([]);
  });

  it("retries 5xx, 429 and resets while polling, obeys Retry-After, and still reports the outcome", async () => {
    mock.scriptRuns({ waitForDiffsMs: 0, stages: [{ status: "processing", ms: 20_000 }] });
    mock.enqueue(
      { kind: "delay", ms: 0 }, // the trigger, answered normally
      { kind: "respond", status: 502, body: "<h1>502 Bad Gateway</h1>" },
      {
        kind: "respond",
        status: 429,
        headers: { "retry-after": "40" },
        body: { detail: "Too Many Requests" },
      },
      { kind: "reset" },
    );
    const run = await triggerWait();
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stderr).toMatch(/checking run \d+ failed \(.*502.*\); checking again in/);
    expect(sleeps).toContain(40_000);
  });

  it.each([401, 403, 404])("ends the wait with exit 1 when listing runs answers %i", async (status) => {
    mock.enqueue({ kind: "delay", ms: 0 }, { kind: "respond", status, body: { detail: "Not allowed" } });
    const run = await triggerWait();
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toMatch(
      new RegExp(`error: while waiting for Datafold CI run \\d+: Datafold answered ${status}`),
    );
    expect(lists()).toHaveLength(1);
  });

  it("lists by PR number when an abbreviated --pr-sha cannot be expanded with git", async () => {
    const flags = PR_FLAGS.map((flag) =>
      flag.startsWith("--pr-sha=") ? `--pr-sha=${PR.headSha.slice(0, 7)}` : flag,
    );
    mock.scriptRuns({ waitForDiffsMs: 0, stages: [] });
    const run = await cli(["trigger", ...flags, "--wait", "--no-run-check"]);
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stderr).toMatch(
      /is "1a2b3c4", not a full SHA, and git could not expand it .*: listing runs by PR number 7 instead/,
    );
    expect(lists()[0]?.query).toMatchObject({ pr_num: "7" });
  });
});

describe("a wait that talks (fake clock)", () => {
  /** The time waited each progress line of the wait states, in seconds, in order. */
  const stated = (stderr: string) =>
    [...stderr.matchAll(/^Datafold CI run \d+: .*\((?:(\d+) min )?(\d+) s\)$/gm)].map(
      ([, min, sec]) => Number(min ?? 0) * 60 + Number(sec),
    );

  it("prints a line at least every minute for 10 minutes, then every 5, while a 40-minute run is processing", async () => {
    mock.scriptRuns({ waitForDiffsMs: 0, stages: [{ status: "processing", ms: 40 * MINUTE }] });
    const run = await triggerWait();
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stderr).toMatch(/^Datafold CI run \d+: still processing \(6\d s\)$/m);
    const times = stated(run.stderr);
    const gaps = times.slice(1).map((time, i) => [times[i]!, time - times[i]!] as const);
    for (const [after, gap] of gaps) expect(gap).toBeLessThanOrEqual(after < 600 ? 60 : 300);
    expect(times.at(-1)).toBeGreaterThanOrEqual(40 * 60);
    // A line a minute, then every 5 minutes: not one per status check.
    expect(times.length).toBeLessThan(25);
  });

  it("states the true time waited when stopped by SIGINT after 20 s of one status", async () => {
    mock.scriptRuns({ waitForDiffsMs: 0, stages: [{ status: "processing", ms: 60 * MINUTE }] });
    const listeners = new Map<string, () => void>();
    const signals = {
      on: (event: string, listener: () => void) => listeners.set(event, listener),
      off: (event: string) => listeners.delete(event),
    };
    let waitStarted: number | undefined;
    const run = await runInProcess(["trigger", ...PR_FLAGS, "--wait", "--no-run-check"], env, {
      fetch: globalThis.fetch,
      signals,
      runtime: {
        ...runtime,
        sleep: async (ms, signal) => {
          waitStarted ??= clock.now();
          await clock.sleep(ms, signal);
          // Ctrl-C once 20 s have passed since the wait's first sleep.
          if (clock.now() - waitStarted >= 20_000) listeners.get("SIGINT")?.();
        },
      },
    });
    expect(run.code).toBe(ExitCode.Interrupted);
    expect(run.stderr).toMatch(
      /error: stopped waiting \(SIGINT\) after 2\d s: Datafold CI run \d+ was processing at the last check\./,
    );
  });
});

describe("poll economy (fake clock)", () => {
  it.each([
    [1, 12],
    [10, 60],
    [60, 360],
  ])("a %i-minute run costs at most %i list calls and is reported within 15 s", async (minutes, budget) => {
    mock.scriptRuns({ waitForDiffsMs: 0, stages: [{ status: "processing", ms: minutes * MINUTE }] });
    const started = clock.now();
    const run = await triggerWait("--quiet", "--wait-timeout", "7200");
    expect(run.code).toBe(ExitCode.Ok);
    expect(lists().length).toBeLessThanOrEqual(budget);
    expect(clock.now() - started - minutes * MINUTE).toBeLessThanOrEqual(15_000);
  });
});

describe("wait", () => {
  const start = async (outcome = "done", ms = 30_000) => {
    mock.scriptRuns({ waitForDiffsMs: 0, stages: [{ status: "processing", ms }], outcome });
    const run = await cli(["trigger", ...PR_FLAGS, "--json", "--no-run-check"]);
    return JSON.parse(run.stdout).ci_run_id as number;
  };

  it("waits for --ci-run-id, an earlier job's run, and exits with its outcome", async () => {
    const id = await start("failed");
    await start("done", 1000); // a newer run of the same PR, which must not be taken instead
    const run = await cli([
      "wait",
      "--ci-config-id",
      "12",
      "--ci-run-id",
      String(id),
      "--pr-sha",
      PR.headSha,
      "--json",
    ]);
    expect(run.code).toBe(ExitCode.RunFailed);
    expect(JSON.parse(run.stdout)).toMatchObject({ ci_run_id: id, run: { id, status: "failed" } });
  });

  it("takes the PR's newest run without --ci-run-id", async () => {
    await start("failed");
    const newest = await start("done");
    const run = await cli(["wait", "--ci-config-id", "12", "--pr-num", "7"]);
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stderr).toContain(`The PR's newest run is ${newest} (processing).`);
  });

  it("names the id, the config and the PR when a --ci-run-id newer than the PR's runs never appears (60 s)", async () => {
    const other = await start("done", 5 * MINUTE);
    const run = await cli(["wait", "--ci-config-id", "12", "--ci-run-id", "987654", "--pr-sha", PR.headSha]);
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toMatch(
      new RegExp(
        `error: Datafold CI run 987654 is not among the runs of CI config 12 for pr_sha ${PR.headSha.slice(0, 12)} \\(listed: ${other}, .*; not listed within \\d+ s\\)\\. ` +
          "The likely cause is the id: check that --ci-run-id 987654 \\(from flag --ci-run-id\\) is a run of CI config 12 " +
          `\\(--ci-config-id, from flag --ci-config-id\\) and of this PR \\(pr_sha ${PR.headSha.slice(0, 12)}\\)\\. ` +
          `The PR's runs: datafold-ci runs --ci-config-id 12 --pr-sha ${PR.headSha}\\n`,
      ),
    );
    expect(run.stderr).not.toContain("please report it");
  });

  it("gives up on a --ci-run-id at once when the PR's list holds newer runs but never this one", async () => {
    // Another PR's run, then one of this PR: the list of this PR holds a run newer than the other PR's.
    const elsewhere = JSON.parse(
      (
        await cli([
          "trigger",
          ...prFlagsWithout("--pr-sha"),
          `--pr-sha=${"b".repeat(40)}`,
          "--json",
          "--no-run-check",
        ])
      ).stdout,
    ).ci_run_id as number;
    const newer = await start("done", 10 * MINUTE);
    const started = clock.now();
    const run = await cli([
      "wait",
      "--ci-config-id",
      "12",
      "--pr-sha",
      PR.headSha,
      "--json",
      "--ci-run-id",
      String(elsewhere),
    ]);
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(clock.now() - started).toBeLessThan(10_000);
    expect(run.stderr).toContain(
      `run ${newer} is newer, so run ${elsewhere} would be listed too if it were one of them). The likely cause is the id`,
    );
    const document = JSON.parse(run.stdout);
    expect(document).toMatchObject({
      run: { id: elsewhere, status: null, outcome: "not-found" },
      error: { kind: "run-not-listed", exitCode: 1, request: null },
    });
    expect(document.error.message).toContain(`Datafold CI run ${elsewhere} is not among the runs`);
  });

  it("exits 2 without a PR to list, sending nothing", async () => {
    const run = await cli(["wait", "--ci-config-id", "12", "--ci-run-id", "5"]);
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toMatch(
      /the PR is unknown \(no CI system was detected\): pass --pr-sha <full sha> or --pr-num <n>/,
    );
    expect(mock.requests).toEqual([]);
  });
});

describe("runs", () => {
  it("prints the PR's runs as a table, newest first", async () => {
    mock.scriptRuns(
      { waitForDiffsMs: 0, stages: [], outcome: "failed" },
      { waitForDiffsMs: 0, stages: [{ status: "processing", ms: MINUTE }] },
    );
    await cli(["trigger", ...PR_FLAGS, "--no-run-check"]);
    await cli(["trigger", ...PR_FLAGS, "--no-run-check"]);
    mock.requests.length = 0;
    const run = await cli(["runs", "--ci-config-id", "12", "--pr-sha", PR.headSha, "--limit", "2"]);
    expect(run.code).toBe(ExitCode.Ok);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID +STATUS +PR +BRANCHES +SHAS$/);
    expect(lines[1]).toMatch(/^\d+ +processing +#7 +feature\/x → main +1a2b3c4 → 9f8e7d6$/);
    expect(lines[2]).toMatch(/^\d+ +failed +#7 /);
    expect(lines).toHaveLength(3);
    expect(lists()[0]?.query).toEqual({ pr_sha: PR.headSha, limit: "2" });
  });

  it("prints Datafold's array with --json", async () => {
    const run = await cli(["runs", "--ci-config-id", "12", "--pr-num", "7", "--json"]);
    expect(run.code).toBe(ExitCode.Ok);
    const runs = JSON.parse(run.stdout);
    expect(runs.length).toBeGreaterThan(0);
    expect(runs[0]).toEqual(
      expect.objectContaining({ id: expect.any(Number), status: expect.any(String), pr_num: "7" }),
    );
  });

  it("exits 2 on a bad --limit, and 1 when Datafold refuses", async () => {
    const bad = await cli(["runs", "--ci-config-id", "12", "--pr-num", "7", "--limit", "0"]);
    expect(bad.code).toBe(ExitCode.Usage);
    expect(bad.stderr).toContain('--limit "0" (from flag --limit) is not a whole number from 1 to 1000');
    mock.enqueue({ kind: "respond", status: 404, body: { detail: "Not Found" } });
    const refused = await cli(["runs", "--ci-config-id", "12", "--pr-num", "7"]);
    expect(refused.code).toBe(ExitCode.RequestFailed);
    expect(refused.stderr).toMatch(/^error: Datafold answered 404/);
  });
});

describe("submit", () => {
  const diffs = [{ prod: "db.analytics.orders", pr: "db.pr_7.orders", pk: ["id"] }];

  it("attaches the diffs from stdin to the PR's waiting run", async () => {
    // Datafold's own lifecycle: the run waits for its diffs (the kit's default grace period).
    mock.scriptRuns({ stages: [{ status: "processing", ms: 10 * MINUTE }] });
    await cli(["trigger", ...PR_FLAGS]);
    const run = await cli(
      ["submit", "--ci-config-id", "12", "--pr-num", "7", "--json"],
      JSON.stringify(diffs),
    );
    expect(run.code).toBe(ExitCode.Ok);
    const answer = JSON.parse(run.stdout);
    expect(answer.ci_run_id).toEqual(expect.any(Number));
    expect(mock.runs(12).find((r) => r.id === answer.ci_run_id)?.uploads).toEqual([
      [{ ...diffs[0], include_columns: [], exclude_columns: [] }].map((d) =>
        expect.objectContaining({ prod: d.prod, pr: d.pr }),
      ),
    ]);
  });

  it("attaches the diffs of a pipeline that builds for a minute between trigger and submit", async () => {
    mock.scriptRuns({}); // the kit's default lifecycle: the run waits for its diffs
    const trigger = await cli(["trigger", ...PR_FLAGS, "--json", "--no-run-check"]);
    const started = JSON.parse(trigger.stdout).ci_run_id;
    clock.advance(MINUTE);
    const run = await cli(
      ["submit", "--ci-config-id", "12", "--pr-num", "7", "--json"],
      JSON.stringify(diffs),
    );
    expect(run.code).toBe(ExitCode.Ok);
    expect(JSON.parse(run.stdout)).toMatchObject({ ci_run_id: started });
    expect(mock.runs(12).find((r) => r.id === started)?.uploads).toHaveLength(1);
  });

  it("reads --diffs from a file", async () => {
    const run = await runInProcess(
      ["submit", "--ci-config-id", "12", "--pr-num", "7", "--diffs", "diffs.json"],
      env,
      {
        fetch: globalThis.fetch,
        readFile: async (path) => {
          expect(path).toBe("diffs.json");
          return JSON.stringify(diffs);
        },
      },
    );
    expect(run.code).toBe(ExitCode.Ok);
    expect(mock.requests.at(-1)).toMatchObject({ method: "POST", path: "/api/v1/ci/12/7", body: diffs });
  });

  it("exits 2 naming the item and field of an invalid diff, sending nothing", async () => {
    const run = await cli(["submit", "--ci-config-id", "12", "--pr-num", "7"], JSON.stringify([{ pr: "x" }]));
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toMatch(/^error: diffs\[0\]\.prod \(from stdin\): /);
    expect(mock.requests).toEqual([]);
  });

  it("exits 2 when the input is not a JSON array", async () => {
    const run = await cli(["submit", "--ci-config-id", "12", "--pr-num", "7"], '{"prod": "a"}');
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toContain("stdin holds object: expected a JSON array of diffs");
    expect(mock.requests).toEqual([]);
  });

  it("warns to trigger first when no run is waiting (exit 0), exits 3 with --require-run", async () => {
    const lenient = await cli(["submit", "--ci-config-id", "12", "--pr-num", "4242"], JSON.stringify(diffs));
    expect(lenient.code).toBe(ExitCode.Ok);
    expect(lenient.stderr).toMatch(
      /^warning: Datafold has no run waiting for PR #4242 .* Trigger a run first/,
    );
    const strict = await cli(
      ["submit", "--ci-config-id", "12", "--pr-num", "4242", "--require-run"],
      JSON.stringify(diffs),
    );
    expect(strict.code).toBe(ExitCode.NoRunStarted);
  });
});
