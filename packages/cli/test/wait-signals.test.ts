import { spawn } from "node:child_process";
import { type MockDatafold, startMockDatafold } from "@datafold-ci/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { PR_FLAGS } from "./fixtures/ci-environments.js";
import { BIN } from "./run-bin.js";

let mock: MockDatafold;
beforeAll(async () => {
  // Real time: the run stays "processing" far longer than the test.
  mock = await startMockDatafold({
    runLifecycle: { waitForDiffsMs: 0, stages: [{ status: "processing", ms: 3_600_000 }] },
  });
});
afterAll(() => mock.close());

/** Starts `trigger --wait` as a real process, sends `signal` once it prints the run's status, and collects the rest. */
function interrupt(signal: "SIGINT" | "SIGTERM", json = false) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [BIN, "trigger", ...PR_FLAGS, "--wait", ...(json ? ["--json"] : [])],
      {
        env: { PATH: process.env.PATH ?? "", DATAFOLD_API_KEY: mock.apiKey, DATAFOLD_HOST: mock.url },
      },
    );
    let stdout = "";
    let stderr = "";
    let sent = false;
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      if (!sent && /: processing \(\d+ s\)\n/.test(stderr)) {
        sent = true;
        child.kill(signal);
      }
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("a signal while waiting", () => {
  it.each([
    ["SIGINT", ExitCode.Interrupted],
    ["SIGTERM", ExitCode.Terminated],
  ] as const)(
    "%s stops the wait, prints the run's id and last status, and exits %i",
    async (signal, code) => {
      const run = await interrupt(signal);
      expect(run.code).toBe(code);
      expect(run.stderr).toMatch(
        new RegExp(
          `error: stopped waiting \\(${signal}\\) after \\d+ s: Datafold CI run (\\d+) was processing at the last check\\. The run goes on in Datafold; wait again with: datafold-ci wait --ci-config-id 12 --ci-run-id \\1 --pr-sha 1a2b3c4\\w+\\n$`,
        ),
      );
      expect(run.stderr).not.toContain(mock.apiKey);
    },
  );

  it("prints the JSON document with the last status under --json", async () => {
    const run = await interrupt("SIGTERM", true);
    expect(run.code).toBe(ExitCode.Terminated);
    expect(JSON.parse(run.stdout)).toMatchObject({ run: { status: "processing", outcome: "stopped" } });
  });
});
