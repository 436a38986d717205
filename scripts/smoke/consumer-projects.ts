import { execFile } from "node:child_process";
import { cp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../packaging/published-packages.js";

const FIXTURES = join(REPO_ROOT, "scripts/smoke/fixtures");

/** The repository's TypeScript, shared by every consumer project instead of installed into each. */
export const TSC = join(REPO_ROOT, "node_modules/typescript/bin/tsc");

// What makes each project the kind of consumer it stands for; everything else is strict and shared.
const PROJECT_OPTIONS = {
  esm: { module: "node16", moduleResolution: "node16", outDir: "dist" },
  bundler: { module: "esnext", moduleResolution: "bundler", noEmit: true },
} as const;

/**
 * Lays out one consumer: `<dir>/package.json` with the tarballs installed by npm (only the npm
 * registry is reached, for third-party dependencies such as openapi-fetch), and the projects in
 * scripts/smoke/fixtures as subdirectories sharing that node_modules — one install for all of them.
 */
export async function createConsumer(dir: string, tarballs: readonly string[]): Promise<void> {
  await cp(FIXTURES, dir, { recursive: true });
  await writeFile(
    join(dir, "package.json"),
    `${JSON.stringify({ name: "smoke-consumer", private: true }, null, 2)}\n`,
  );
  for (const [project, options] of Object.entries(PROJECT_OPTIONS)) {
    const tsconfig = {
      compilerOptions: {
        target: "es2022",
        lib: ["es2022"],
        strict: true,
        skipLibCheck: false,
        // @types/node from this repository rather than a download per project.
        typeRoots: [join(REPO_ROOT, "node_modules/@types")],
        types: ["node"],
        ...options,
      },
      include: ["src"],
    };
    await writeFile(join(dir, project, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);
  }
  await promisify(execFile)(
    "npm",
    ["install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error", ...tarballs],
    { cwd: dir, env: { ...process.env, npm_config_update_notifier: "false" } },
  );
}
