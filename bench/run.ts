/**
 * `pnpm bench [-- suite ...]`: runs the benchmark suites (all, or the named ones), prints the table and
 * writes bench/results/latest.{md,json} and the figures of docs/performance.md. A partial run replaces
 * only its own suites in those files.
 * Benchmarks are not tests: nothing here fails on a slow figure; missed goals are reported.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { REPO_ROOT } from "./lib/repo.js";
import type { Results, SuiteResult } from "./lib/report.js";
import { updatePerformanceDoc } from "./lib/readme-performance.js";
import { currentEnvironment, mergeResults, missedGoals, renderMarkdown } from "./lib/report.js";
import type { Suite } from "./lib/suite.js";
import { buildSuite } from "./suites/build.js";
import { bundlePartsSuite } from "./suites/bundle-parts.js";
import { cliStartSuite } from "./suites/cli-start.js";
import { clientOverheadSuite } from "./suites/client-overhead.js";
import { codegenSuite } from "./suites/codegen.js";
import { exactlyOnceSuite } from "./suites/exactly-once.js";
import { footprintSuite } from "./suites/footprint.js";
import { handWrittenLinesSuite } from "./suites/hand-written-lines.js";
import { networkFailuresSuite } from "./suites/network-failures.js";
import { operationsSuite } from "./suites/operations.js";
import { npxColdSuite } from "./suites/npx-cold.js";
import { soakSuite } from "./suites/soak.js";
import { validationSuite } from "./suites/validation.js";
import { waitEconomySuite } from "./suites/wait-economy.js";
import { wholeDocumentSuite } from "./suites/whole-document.js";

const SUITES: Suite[] = [
  codegenSuite,
  buildSuite,
  footprintSuite,
  bundlePartsSuite,
  operationsSuite,
  handWrittenLinesSuite,
  npxColdSuite,
  clientOverheadSuite,
  validationSuite,
  exactlyOnceSuite,
  cliStartSuite,
  soakSuite,
  waitEconomySuite,
  networkFailuresSuite,
  wholeDocumentSuite,
];
const RESULTS_DIR = join(REPO_ROOT, "bench", "results");

// `pnpm bench -- codegen` forwards the `--` on some pnpm versions.
const requested = process.argv.slice(2).filter((arg) => arg !== "--");
const unknown = requested.filter((name) => !SUITES.some((suite) => suite.name === name));
if (unknown.length > 0) {
  process.stderr.write(
    `bench: unknown suite ${unknown.map((n) => `"${n}"`).join(", ")}; expected any of: ${SUITES.map((s) => s.name).join(", ")}\n`,
  );
  process.exit(2);
}
const selected = requested.length ? SUITES.filter((suite) => requested.includes(suite.name)) : SUITES;

const fresh: SuiteResult[] = [];
let failed = false;
for (const suite of selected) {
  process.stderr.write(`▶ ${suite.title} (${suite.name})\n`);
  const start = performance.now();
  const output = await suite.run().catch((error: unknown) => {
    // One broken suite (say, a package not built yet) must not cost the others' figures.
    failed = true;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`  failed: ${message}\n`);
    return { rows: [], notes: [`Did not complete: ${message.split("\n")[0]}`] };
  });
  fresh.push({
    name: suite.name,
    title: suite.title,
    ranAt: new Date().toISOString(),
    environment: currentEnvironment(),
    seconds: Math.round((performance.now() - start) / 1000),
    ...output,
  });
}

const jsonPath = join(RESULTS_DIR, "latest.json");
const previous = await readFile(jsonPath, "utf8").then(
  (text) => JSON.parse(text) as Results,
  () => undefined,
);
const results = mergeResults(
  previous,
  fresh,
  SUITES.map((suite) => suite.name),
);
const markdown = renderMarkdown(results);
await mkdir(RESULTS_DIR, { recursive: true });
await writeFile(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
await writeFile(join(RESULTS_DIR, "latest.md"), markdown);
await updatePerformanceDoc(REPO_ROOT);
process.stdout.write(markdown);
process.stderr.write(
  `\nWrote bench/results/latest.md, latest.json and docs/performance.md's figures; ${missedGoals(results).length} goal(s) missed.\n`,
);
if (failed) process.exitCode = 1;
