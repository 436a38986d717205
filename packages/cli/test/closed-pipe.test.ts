import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { PR_FLAGS } from "./fixtures/ci-environments.js";
import { IN_PROCESS_ENV } from "./run-in-process.js";
import { BIN } from "./run-bin.js";

/** Runs the built CLI with its stdout's reading end closed before it writes: `datafold-ci … | head -0`. */
function runWithClosedStdout(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? "", ...IN_PROCESS_ENV },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 30_000,
    });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("a reader that closes the pipe early", () => {
  it.each([
    ["--help", ["--help"]],
    ["trigger --dry-run", ["trigger", ...PR_FLAGS, "--dry-run"]],
  ])("gets no stack trace from %s, and the exit code is the command's", async (_, args) => {
    const run = await runWithClosedStdout(args);
    expect(run.stderr).not.toContain("EPIPE");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(ExitCode.Ok);
  });
});
