import { access } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT } from "./repo.js";

type ClientModule = typeof import("../../packages/client/dist/index.js");
type WaitModule = typeof import("../../packages/client/dist/wait.js");
type TestingModule = typeof import("../../packages/testing/dist/index.js");

/** The CLI's committed bin shim, as users run it. */
export const CLI_BIN = join(REPO_ROOT, "packages", "cli", "bin", "datafold-ci.js");

/** `@datafold-ci/client` as built (dist/), the code users install. */
export function loadClient(): Promise<ClientModule> {
  return loadBuilt<ClientModule>("client", ["createDatafoldClient", "DatafoldError"]);
}

/** `@datafold-ci/client/wait` as built (dist/). */
export function loadClientWait(): Promise<WaitModule> {
  return loadBuilt<WaitModule>("client", ["waitForCiRun"], "wait.js");
}

/** `@datafold-ci/testing` as built (dist/). */
export function loadTesting(): Promise<TestingModule> {
  return loadBuilt<TestingModule>("testing", ["startMockDatafold"]);
}

/** Fails early, naming the package, when the CLI is not built. */
export async function assertCliBuilt(): Promise<void> {
  await access(join(REPO_ROOT, "packages", "cli", "dist", "bin.js")).catch(() => {
    throw new Error("packages/cli/dist/bin.js is missing: build it first (`pnpm build`).");
  });
}

async function loadBuilt<T>(name: string, exports: string[], entry = "index.js"): Promise<T> {
  const file = join(REPO_ROOT, "packages", name, "dist", entry);
  const module = (await import(pathToFileURL(file).href).catch(() => ({}))) as Record<string, unknown>;
  const missing = exports.filter((key) => typeof module[key] !== "function");
  if (missing.length > 0) {
    throw new Error(
      `packages/${name}/dist/${entry} does not export ${missing.join(", ")}: build it first (\`pnpm build\`).`,
    );
  }
  return module as T;
}
