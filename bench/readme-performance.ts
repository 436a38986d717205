/**
 * `pnpm bench:readme [--check] [--root <dir>]`: writes README.md's Performance figures (between its
 * `performance:start` and `performance:end` markers) from bench/results/latest.json. `--check` changes
 * nothing and exits 1 when the README is out of date, as `generate --check` does for generated code.
 * `pnpm bench` runs it after each run.
 */
import { parseArgs } from "node:util";
import { updateReadmePerformance } from "./lib/readme-performance.js";
import { REPO_ROOT } from "./lib/repo.js";

const { values } = parseArgs({ options: { check: { type: "boolean" }, root: { type: "string" } } });
const upToDate = await updateReadmePerformance(values.root ?? REPO_ROOT, values.check === true);
if (!upToDate && values.check) {
  process.stderr.write(
    "README.md's Performance section is out of date with bench/results/latest.json: run `npx -y pnpm@10.20.0 bench:readme` and commit README.md.\n",
  );
  process.exitCode = 1;
} else if (!upToDate) {
  process.stderr.write("Wrote README.md's Performance section from bench/results/latest.json.\n");
}
