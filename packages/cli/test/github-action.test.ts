import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MockDatafold, startMockDatafold } from "@datafold-ci/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ExitCode } from "../src/exit-codes.js";
import { environments, githubPullRequestEvent, PR_BODY } from "./fixtures/ci-environments.js";
import { BIN } from "./run-bin.js";

const REPO_ROOT = join(import.meta.dirname, "..", "..", "..");
const action = parse(readFileSync(join(REPO_ROOT, "action.yml"), "utf8")) as {
  inputs: Record<string, { required?: boolean; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: { id: string; shell: string; env: Record<string, string>; run: string }[] };
};
const step = action.runs.steps[0]!;

let mock: MockDatafold;
/** What reached Datafold besides the trigger's look at the PR's runs before its first attempt (a GET). */
const triggers = () => mock.requests.filter((request) => request.method !== "GET");
let dir: string;
beforeAll(async () => {
  mock = await startMockDatafold({ noRunFor: [99] });
  dir = mkdtempSync(join(tmpdir(), "datafold-ci-action-"));
  // Stands in for npx: records its arguments, then runs the built CLI in place of the published one.
  writeFileSync(
    join(dir, "npx"),
    `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/npx-args"\nshift 2\nexec "${process.execPath}" "${BIN}" "$@"\n`,
  );
  chmodSync(join(dir, "npx"), 0o755);
  writeFileSync(join(dir, "event.json"), JSON.stringify(githubPullRequestEvent));
});
afterAll(async () => {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  mock.requests.length = 0;
  writeFileSync(join(dir, "output"), "");
});

/** Runs the action's step as a GitHub runner would in a pull_request workflow, with `with:` inputs. */
function runAction(
  inputs: Record<string, string>,
  event: Record<string, string> = environments["github-actions"].pr,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const withDefaults: Record<string, string> = {};
  for (const [name, input] of Object.entries(action.inputs))
    withDefaults[name] = inputs[name] ?? input.default ?? "";
  const expression = (value: string) =>
    value.replace(/\$\{\{\s*(?:inputs\.([\w-]+)|github\.action_path)\s*\}\}/g, (_, input?: string) =>
      input === undefined ? REPO_ROOT : (withDefaults[input] ?? ""),
    );
  const env: Record<string, string> = {
    PATH: `${dir}:${process.env.PATH}`,
    ...event,
    GITHUB_EVENT_PATH: join(dir, "event.json"),
    GITHUB_OUTPUT: join(dir, "output"),
  };
  for (const [name, value] of Object.entries(step.env)) env[name] = expression(value);
  return new Promise((resolve) => {
    // GitHub runs `shell: bash` steps as `bash --noprofile --norc -eo pipefail <script file>`.
    writeFileSync(join(dir, "step.sh"), step.run);
    const bash = ["--noprofile", "--norc", "-eo", "pipefail", join(dir, "step.sh")];
    execFile("bash", bash, { env, cwd: dir }, (error, stdout, stderr) => {
      const code = typeof error?.code === "number" ? error.code : 0;
      for (const text of [stdout, stderr, readFileSync(join(dir, "npx-args"), "utf8")])
        expect(text).not.toContain(mock.apiKey);
      resolve({ code, stdout, stderr });
    });
  });
}

const output = () => readFileSync(join(dir, "output"), "utf8");

describe("action.yml", () => {
  it("is a composite action whose script interpolates no input (no script injection)", () => {
    expect(action.runs.using).toBe("composite");
    expect(step.run).not.toContain("${{");
    expect(step.env.DATAFOLD_API_KEY).toMatch(/^\$\{\{ inputs\.api-key \}\}$/);
    expect(Object.keys(action.inputs).sort()).toEqual([
      "api-key",
      "ci-config-id",
      "fail-outside-pr",
      "host",
      "require-run",
      "version",
      "wait",
      "wait-timeout",
    ]);
    expect(action.outputs.status?.value).toBe(`\${{ steps.${step.id}.outputs.status }}`);
    expect(action.outputs["ci-run-id"]?.value).toBe(`\${{ steps.${step.id}.outputs.ci-run-id }}`);
  });

  it("starts the run for the workflow's PR and sets the ci-run-id output, the key only in the environment", async () => {
    const run = await runAction({ "ci-config-id": "12", "api-key": mock.apiKey, host: mock.url });
    expect(run.code).toBe(0);
    expect(triggers().map((request) => request.body)).toEqual([PR_BODY]);
    const runId = /^ci-run-id=(\d+)$/m.exec(output())?.[1];
    expect(runId).toMatch(/^\d+$/);
    const version = JSON.parse(readFileSync(join(REPO_ROOT, "packages/cli/package.json"), "utf8")).version;
    expect(readFileSync(join(dir, "npx-args"), "utf8")).toBe(
      `-y\n@datafold-ci/cli@${version}\ntrigger\n--json\n--skip-outside-pr\n`,
    );
    expect(output()).toBe(`ci-run-id=${runId}\nstatus=started\n`);
  });

  it("runs the CLI version the version input names", async () => {
    await runAction({ "ci-config-id": "12", "api-key": mock.apiKey, host: mock.url, version: "1.4.2" });
    expect(readFileSync(join(dir, "npx-args"), "utf8")).toMatch(/^-y\n@datafold-ci\/cli@1\.4\.2\n/);
  });

  it("sets an empty ci-run-id when Datafold starts no run, and fails with exit 3 under require-run", async () => {
    const lenient = await runAction({ "ci-config-id": "99", "api-key": mock.apiKey, host: mock.url });
    expect(lenient.code).toBe(0);
    expect(output()).toBe("ci-run-id=\nstatus=no-run\n");
    expect(lenient.stderr).toMatch(/^warning: Datafold accepted the call but started no run/);
    const strict = await runAction({
      "ci-config-id": "99",
      "api-key": mock.apiKey,
      host: mock.url,
      "require-run": "true",
    });
    expect(strict.code).toBe(ExitCode.NoRunStarted);
  });

  it("fails the step with the CLI's message and exit code on bad input", async () => {
    const run = await runAction({ "ci-config-id": "twelve", "api-key": mock.apiKey, host: mock.url });
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toMatch(/--ci-config-id \(from DATAFOLD_CI_CONFIG_ID\): .*integer/);
    expect(mock.requests).toEqual([]);
  });

  it("with wait, waits for the run and sets status done", async () => {
    mock.scriptRuns({ waitForDiffsMs: 0, stages: [{ status: "processing", ms: 300 }], outcome: "done" });
    const run = await runAction({
      "ci-config-id": "12",
      "api-key": mock.apiKey,
      host: mock.url,
      wait: "true",
    });
    expect(run.code).toBe(ExitCode.Ok);
    expect(output()).toMatch(/^ci-run-id=\d+\nstatus=done\n$/);
    expect(run.stderr).toMatch(/Datafold CI run \d+: processing \(\d+ s\)/);
    expect(readFileSync(join(dir, "npx-args"), "utf8")).toContain("--wait\n--wait-timeout\n3600\n");
  });

  it.each([
    ["failed", ExitCode.RunFailed],
    ["cancelled", ExitCode.RunCancelled],
  ])("with wait, writes the outputs when the run ends %s, then exits %i", async (outcome, code) => {
    mock.scriptRuns({ waitForDiffsMs: 0, stages: [], outcome });
    const run = await runAction({
      "ci-config-id": "12",
      "api-key": mock.apiKey,
      host: mock.url,
      wait: "true",
    });
    expect(run.code).toBe(code);
    expect(output()).toMatch(new RegExp(`^ci-run-id=\\d+\\nstatus=${outcome}\\n$`));
  });

  it("on an event with no pull request does nothing, with a notice; fail-outside-pr makes it fail", async () => {
    const push = environments["github-actions"].push as Record<string, string>;
    const quiet = await runAction({ "ci-config-id": "12", "api-key": mock.apiKey, host: mock.url }, push);
    expect(quiet.code).toBe(0);
    expect(output()).toBe("ci-run-id=\nstatus=skipped\n");
    writeFileSync(join(dir, "output"), "");
    const strict = await runAction(
      { "ci-config-id": "12", "api-key": mock.apiKey, host: mock.url, "fail-outside-pr": "true" },
      push,
    );
    expect(strict.code).toBe(ExitCode.Usage);
    expect(output()).toBe("ci-run-id=\nstatus=\n");
    expect(mock.requests).toEqual([]);
  });

  it("logs the CLI's line that the run started, once, and nothing of its own", async () => {
    const run = await runAction({ "ci-config-id": "12", "api-key": mock.apiKey, host: mock.url });
    expect(run.code).toBe(0);
    const runId = /^ci-run-id=(\d+)$/m.exec(output())?.[1];
    const log = `${run.stdout}${run.stderr}`;
    expect(log.match(/started/g)).toHaveLength(1);
    expect(log).toBe(
      `Datafold CI run ${runId} started for PR #7 (feature/x → main, ${PR_BODY.pr_sha.slice(0, 7)})\n`,
    );
  });

  it("outside a pull request logs the CLI's notice once, and nothing of its own", async () => {
    const push = environments["github-actions"].push as Record<string, string>;
    const run = await runAction({ "ci-config-id": "12", "api-key": mock.apiKey, host: mock.url }, push);
    expect(run.code).toBe(0);
    const log = `${run.stdout}${run.stderr}`;
    expect(log.match(/GITHUB_EVENT_NAME is "push"/g)).toHaveLength(1);
    expect(log).toMatch(
      /^notice: not a pull request build \(GitHub Actions: GITHUB_EVENT_NAME is "push"\)[^\n]*: no run triggered\.\n$/,
    );
  });

  it("refuses an input that is not true or false", async () => {
    const run = await runAction({
      "ci-config-id": "12",
      "api-key": mock.apiKey,
      host: mock.url,
      wait: "yes",
    });
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stdout).toBe('::error::wait must be true or false (got "yes")\n');
  });
});
