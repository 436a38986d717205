import { fileURLToPath } from "node:url";

/** The repository root: every path the benchmarks touch is resolved against it. */
export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** pnpm is not installed globally here; every pnpm call goes through the pinned launcher (TEAM.md). */
export const PNPM = ["npx", "-y", "pnpm@10.20.0"] as const;
