import { spawn } from "node:child_process";

/** What one finished child process did. */
export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, in milliseconds. */
  ms: number;
}

export interface RunProcessOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Resolve with a non-zero exit instead of rejecting (for commands whose failure is the figure). */
  allowFailure?: boolean;
  /** Kill the command (SIGKILL) and reject once it has run this long, so a hung command cannot hang the bench. */
  timeoutMs?: number;
}

/** Runs `command` to completion, capturing output; rejects on a non-zero exit naming the command and its stderr. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: RunProcessOptions = {},
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill("SIGKILL");
          }, options.timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const run = { code, stdout, stderr, ms: performance.now() - start };
      if (timedOut)
        reject(new Error(`\`${[command, ...args].join(" ")}\` did not exit within ${options.timeoutMs} ms`));
      else if (code === 0 || options.allowFailure) resolve(run);
      else {
        const tail = (stderr || stdout).trim().split("\n").slice(-15).join("\n");
        reject(new Error(`\`${[command, ...args].join(" ")}\` exited with ${code}:\n${tail}`));
      }
    });
  });
}
