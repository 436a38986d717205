import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, runtimeOnly } from "../../scripts/codegen/emit-operations.js";
import { parseSpecDocument } from "../../scripts/codegen/spec-documents.js";
import { syntheticSpec } from "../codegen/synthetic-spec.js";
import { REPO_ROOT } from "../lib/repo.js";
import { row } from "../lib/report.js";
import type { Suite } from "../lib/suite.js";
import { progress } from "../lib/suite.js";

const SIZES = [10, 50] as const;

/**
 * What one more operation in spec/ costs the client, whose bundle has a size budget: its entry in the runtime table, the
 * only part of the bundle that grows with the spec; and the hand-written client code, which must not.
 */
export const operationsSuite: Suite = {
  name: "operations",
  title: "Per-operation cost",
  async run() {
    const specPath = join(REPO_ROOT, "spec", "datafold-api.yaml");
    const tables = new Map<number, { minified: number; gzipped: number }>();
    for (const count of [3, ...SIZES]) {
      progress(`runtime table of ${count} operations`);
      const yaml = count === 3 ? await readFile(specPath, "utf8") : await syntheticSpec(specPath, count);
      const spec = parseSpecDocument("synthetic.yaml", Buffer.from(yaml));
      // The table as the bundle carries it: JSON text, which is what esbuild's minified object literal is.
      const text = JSON.stringify(runtimeOnly(describe(spec, { file: "none", operations: new Map() })));
      tables.set(count, {
        minified: Buffer.byteLength(text),
        gzipped: gzipSync(text, { level: 9 }).byteLength,
      });
    }
    const [small, large] = SIZES.map((count) => tables.get(count)!);
    const perOperation = (key: "minified" | "gzipped") => (large![key] - small![key]) / (SIZES[1] - SIZES[0]);
    const handWritten = await codeLines(join(REPO_ROOT, "packages", "client", "src"));
    return {
      rows: [
        row("runtime table, shipped spec (3 operations), min+gzip", {
          value: tables.get(3)!.gzipped / 1000,
          unit: "kB",
        }),
        row("each further operation, min+gzip", { value: perOperation("gzipped"), unit: "B" }),
        row("each further operation, minified", { value: perOperation("minified"), unit: "B" }),
        row("hand-written client code (packages/client/src), any number of operations", {
          value: handWritten.lines,
          unit: "lines",
        }),
      ],
      notes: [
        `Per operation: (table of ${SIZES[1]} − table of ${SIZES[0]}) / ${SIZES[1] - SIZES[0]}, synthetic operations shaped like \`listCiRuns\`, each with its own copy of the schemas it reaches (bench/codegen/synthetic-spec.ts); the client's code does not grow with the spec. The copies differ only in names, so gzip finds them alike: a real operation costs between the gzipped and the minified figure.`,
        `Hand-written lines: non-blank, non-comment lines of packages/client/src; every method comes from the generated table, so they do not depend on the number of operations. Files that name an operation's method (the trigger's retry guard, which looks for a run a failed attempt started, and the \`checkTriggerInput\` shorthand): ${handWritten.naming.map((f) => `\`${f}\``).join(", ") || "none"}.`,
      ],
    };
  },
};

async function codeLines(dir: string): Promise<{ lines: number; naming: string[] }> {
  let lines = 0;
  const naming: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const path = join(entry.parentPath, entry.name);
    const text = await readFile(path, "utf8");
    lines += text.split("\n").filter((line) => {
      const trimmed = line.trim();
      return trimmed !== "" && !/^(\/\/|\/\*|\*)/.test(trimmed);
    }).length;
    // A call or key by method name, outside doc comments and examples.
    const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    if (/\b(listCiRuns|uploadPrChanges|triggerPrRun)\s*[:(]/.test(code)) naming.push(entry.name);
  }
  return { lines, naming };
}
