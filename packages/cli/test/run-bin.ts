import { execFile } from "node:child_process";
import { join } from "node:path";
import { expect } from "vitest";

/** The shim users run: `bin/datafold-ci.js`, importing the built `dist/bin.js`. */
export const BIN = join(import.meta.dirname, "..", "bin", "datafold-ci.js");

/** What one run of the built CLI printed. */
export interface BinRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Spawns the built CLI with `env` and nothing else from the test runner's environment (PATH aside),
 * so CI variables of wherever the tests run cannot leak in. Fails the test if any of `secrets` (and
 * the env's API keys) appears in stdout or stderr. `options.node` runs it under another Node binary;
 * a run still going after `options.timeoutMs` (30 s) is killed.
 */
export function runBin(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  options: { cwd?: string; secrets?: readonly string[]; node?: string; timeoutMs?: number } = {},
): Promise<BinRun> {
  return new Promise((resolve, reject) => {
    execFile(
      options.node ?? process.execPath,
      [BIN, ...args],
      {
        cwd: options.cwd,
        env: { PATH: process.env.PATH ?? "", ...env },
        timeout: options.timeoutMs ?? 30_000,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") return reject(error);
        const secrets = [...(options.secrets ?? []), env.DATAFOLD_API_KEY, env.DATAFOLD_APIKEY];
        for (const secret of secrets)
          if (secret?.trim()) {
            expect(stdout, "stdout leaks a key").not.toContain(secret.trim());
            expect(stderr, "stderr leaks a key").not.toContain(secret.trim());
          }
        resolve({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr });
      },
    );
  });
}

/** {@link runBin}, also saying how long the process ran, from spawn to exit. */
export async function timedRunBin(
  ...args: Parameters<typeof runBin>
): Promise<BinRun & { readonly elapsedMs: number }> {
  const started = performance.now();
  const run = await runBin(...args);
  return { ...run, elapsedMs: Math.round(performance.now() - started) };
}
