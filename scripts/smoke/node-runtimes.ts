import { execFile } from "node:child_process";
import { promisify } from "node:util";

/** A Node.js binary the consumer projects run under. */
export interface NodeRuntime {
  readonly major: number;
  /** Absolute path of the `node` executable. */
  readonly execPath: string;
}

/** The major of the Node running this process: tests that need not run on every major run on this one. */
export const CURRENT_MAJOR = Number(process.versions.node.split(".")[0]);

/**
 * The majors to run under here, the supported ones of December 2026: 20 (past its end of life in
 * April 2026, still supported), 22 and 24 (maintenance LTS) and 26 (active LTS). The current Node is
 * used as it is; the others are fetched as the `node` package from the npm registry (the only network
 * this machine and CI reach).
 */
export const RUNTIME_MAJORS: readonly number[] = [...new Set([CURRENT_MAJOR, 20, 22, 24, 26])].sort(
  (a, b) => a - b,
);

/** Resolves each major to a binary: this process's for the current major, `npx -y node@<major>` for the others. */
export async function resolveRuntimes(majors: readonly number[]): Promise<Map<number, NodeRuntime>> {
  const entries = await Promise.all(
    majors.map(async (major): Promise<[number, NodeRuntime]> => {
      if (major === CURRENT_MAJOR) return [major, { major, execPath: process.execPath }];
      const { stdout } = await promisify(execFile)("npx", ["-y", `node@${major}`, "-p", "process.execPath"]);
      return [major, { major, execPath: stdout.trim() }];
    }),
  );
  return new Map(entries);
}
