import { execFile } from "node:child_process";
import type { GitRunner } from "../types.js";

/** Options of {@link createGitRunner}. */
export interface GitRunnerOptions {
  /** The repository's working directory. @default process.cwd() */
  readonly cwd?: string;
  /** Per command; a CLI must not hang on a wedged git. @default 5000 */
  readonly timeoutMs?: number;
}

/** A {@link GitRunner} that spawns the real `git` (no shell, never prompting for credentials). */
export function createGitRunner({ cwd, timeoutMs = 5000 }: GitRunnerOptions = {}): GitRunner {
  return (args) =>
    new Promise((resolve) => {
      execFile(
        "git",
        [...args],
        {
          cwd,
          timeout: timeoutMs,
          windowsHide: true,
          env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
        },
        (error, stdout, stderr) => {
          if (!error) return resolve({ ok: true, stdout: stdout.trim() });
          const code = (error as NodeJS.ErrnoException).code;
          const reason = code === "ENOENT" ? "missing" : error.killed ? "timeout" : "failed";
          resolve({ ok: false, reason, stderr: stderr.trim() });
        },
      );
    });
}
