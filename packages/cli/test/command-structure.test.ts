import { describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { environments, PR_FLAGS } from "./fixtures/ci-environments.js";
import { IN_PROCESS_ENV, runInProcess } from "./run-in-process.js";

const push = { ...IN_PROCESS_ENV, ...environments["github-actions"].push } as Record<string, string>;

describe("trigger --skip-outside-pr", () => {
  it("exits 0 with a notice on a push build, and sends nothing", async () => {
    const run = await runInProcess(["trigger", "--ci-config-id", "12", "--skip-outside-pr"], push);
    expect(run).toMatchObject({ code: ExitCode.Ok, stdout: "", requests: [] });
    expect(run.stderr).toMatch(
      /^notice: not a pull request build \(GitHub Actions: GITHUB_EVENT_NAME is "push"[^)]*\); --skip-outside-pr: no run triggered\.\n$/,
    );
  });

  it("prints a JSON document saying why with --json", async () => {
    const run = await runInProcess(["trigger", "--ci-config-id", "12", "--skip-outside-pr", "--json"], push);
    expect(run.code).toBe(ExitCode.Ok);
    expect(JSON.parse(run.stdout)).toEqual({
      ci_run_id: null,
      run_id: null,
      skipped: expect.stringMatching(/^GitHub Actions: GITHUB_EVENT_NAME is "push"/),
    });
  });

  it("still exits 2 on a push build without the flag", async () => {
    const run = await runInProcess(["trigger", "--ci-config-id", "12"], push);
    expect(run).toMatchObject({ code: ExitCode.Usage, requests: [] });
  });

  it("triggers anyway when the flags give every PR fact", async () => {
    const run = await runInProcess(["trigger", ...PR_FLAGS, "--skip-outside-pr"], push);
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.requests).toHaveLength(1);
  });
});

describe("commands and their flags", () => {
  it("refuses a flag the command does not take, pointing at its --help", async () => {
    const run = await runInProcess(["trigger", ...PR_FLAGS, "--diffs", "x.json"], IN_PROCESS_ENV);
    expect(run).toMatchObject({ code: ExitCode.Usage, requests: [] });
    expect(run.stderr).toBe(
      'error: --diffs is not a flag of trigger\nRun "datafold-ci trigger --help" for usage.\n',
    );
  });

  it("answers `help trigger` like `trigger --help`", async () => {
    const a = await runInProcess(["help", "trigger"], {});
    const b = await runInProcess(["trigger", "--help"], {});
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain("Usage: datafold-ci trigger [--wait] [flags]");
  });
});
