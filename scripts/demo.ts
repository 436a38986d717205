/**
 * The Quick start's main job (`pnpm start`, after `turbo run build`): starts the testing kit's local
 * Datafold, then runs the built `datafold-ci` against it as a user would — first `--dry-run`, to show
 * where each value comes from, then the real trigger, whose output names the run id. Exits non-zero
 * when the trigger fails.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { startMockDatafold } from "../packages/testing/dist/index.js";

const root = join(import.meta.dirname, "..");
const bin = join(root, "packages/cli/bin/datafold-ci.js");
const prFlags = [
  ["--ci-config-id", "42"],
  ["--pr-num", "7"],
  ["--pr-branch", "feature/orders-dedup"],
  ["--base-branch", "main"],
  ["--pr-sha", "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"],
  ["--base-sha", "9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c"],
].flat();

/** Runs the CLI with the terminal as its stdout and stderr; resolves to its exit code. */
function datafoldCi(args: string[], env: Record<string, string>): Promise<number> {
  console.log(`\n$ datafold-ci ${args.join(" ")}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env, stdio: "inherit" });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const datafold = await startMockDatafold();
try {
  console.log(`A local Datafold (the testing kit) listens on ${datafold.url}.`);
  // Only what the CLI needs: the demo must not pick up CI variables from wherever it runs.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    DATAFOLD_API_KEY: datafold.apiKey,
    DATAFOLD_HOST: datafold.url,
    ...(process.env.NO_COLOR === undefined ? {} : { NO_COLOR: process.env.NO_COLOR }),
  };
  const dryRun = await datafoldCi(["trigger", ...prFlags, "--dry-run"], env);
  const trigger = dryRun === 0 ? await datafoldCi(["trigger", ...prFlags], env) : dryRun;
  console.log(`\nThe local Datafold received ${datafold.requests.length} request(s):`);
  for (const request of datafold.requests)
    console.log(`  ${request.method} ${request.path} → ${request.status}`);
  if (trigger !== 0) console.error(`\ndatafold-ci trigger failed with exit code ${trigger}.`);
  process.exitCode = trigger;
} finally {
  await datafold.close();
}
