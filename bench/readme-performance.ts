/**
 * `pnpm bench:readme [--check] [--root <dir>]`: writes the figures of docs/performance.md (between its
 * `performance:start` and `performance:end` markers) from bench/results/latest.json. `--check` changes
 * nothing and exits 1 when the page is out of date, as `generate --check` does for generated code.
 * `pnpm bench` runs it after each run.
 */
import { parseArgs } from "node:util";
import { PERFORMANCE_DOC, updatePerformanceDoc } from "./lib/readme-performance.js";
import { REPO_ROOT } from "./lib/repo.js";

const { values } = parseArgs({ options: { check: { type: "boolean" }, root: { type: "string" } } });
const upToDate = await updatePerformanceDoc(values.root ?? REPO_ROOT, values.check === true);
if (!upToDate && values.check) {
  process.stderr.write(
    `${PERFORMANCE_DOC}'s figures are out of date with bench/results/latest.json: run \`npx -y pnpm@10.20.0 bench:readme\` and commit ${PERFORMANCE_DOC}.\n`,
  );
  process.exitCode = 1;
} else if (!upToDate) {
  process.stderr.write(`Wrote the figures of ${PERFORMANCE_DOC} from bench/results/latest.json.\n`);
}
