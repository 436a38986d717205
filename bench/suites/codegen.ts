import { cp, mkdir, readFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shippedSpecPath, syntheticSpec } from "../codegen/synthetic-spec.js";
import { REPO_ROOT } from "../lib/repo.js";
import type { Figure } from "../lib/report.js";
import { row } from "../lib/report.js";
import { runProcess } from "../lib/run-process.js";
import { treeBytes } from "../lib/tree-bytes.js";
import { median } from "../lib/stats.js";
import type { Suite } from "../lib/suite.js";
import { progress } from "../lib/suite.js";
import { listOperations } from "../../scripts/codegen/operations.js";
import { parseSpecDocument } from "../../scripts/codegen/spec-documents.js";

const SIZES = [10, 100, 1000] as const;
const RUNS = 3;
const GOAL_MS_AT_1000 = 10_000;

/** `pnpm generate` on the shipped spec and on synthetic specs of 10, 100 and 1000 operations. */
export const codegenSuite: Suite = {
  name: "codegen",
  title: "Codegen scaling",
  async run() {
    const node = (...args: string[]) => runProcess(process.execPath, args, { cwd: REPO_ROOT });
    const startup = median(await repeat(() => node("--import", "tsx", "-e", "0")));
    const startupFigure = { value: startup, unit: "ms" };

    const shippedSpec = parseSpecDocument("datafold-api.yaml", await readFile(shippedSpecPath(REPO_ROOT)));
    const count = listOperations(shippedSpec.document).size;
    const shipped = await measureGenerate(
      `shipped spec (${count} operation${count === 1 ? "" : "s"})`,
      async (specDir) => {
        await cp(join(REPO_ROOT, "spec"), specDir, { recursive: true });
      },
    );
    const rows = [
      row(`generate, ${shipped.label}`, shipped.time, {
        baseline: { what: "`node --import tsx -e 0`", figure: startupFigure },
      }),
    ];
    const sizeRows = [row(`generated output, ${shipped.label}`, shipped.bytes)];
    for (const operations of SIZES) {
      const label = `${operations} operations`;
      const result = await measureGenerate(label, async (specDir) => {
        await mkdir(specDir);
        const spec = await syntheticSpec(shippedSpecPath(REPO_ROOT), operations);
        await writeFile(join(specDir, "datafold-api.yaml"), spec);
      });
      const baseline = (figure: Figure) => ({ what: "shipped spec", figure });
      rows.push(
        row(`generate, ${label}`, result.time, {
          baseline: baseline(shipped.time),
          ...(operations === 1000 && {
            goal: { text: "< 10 s", met: result.time.value < GOAL_MS_AT_1000 },
          }),
        }),
      );
      sizeRows.push(row(`generated output, ${label}`, result.bytes, { baseline: baseline(shipped.bytes) }));
    }
    return {
      rows: [...rows, ...sizeRows],
      notes: [
        `Time: median of ${RUNS} runs of \`node --import tsx scripts/generate.ts --root <tmp>\` each, from a fresh output folder (the generator skips unchanged files).`,
        "Synthetic specs repeat the shipped operation with its own path, operationId and renamed copies of every schema it uses (4 schemas per operation).",
        "Output: bytes of both generated files (types + runtime operation table), as the emitters print them (not run through prettier).",
      ],
    };
  },
};

async function measureGenerate(label: string, writeSpec: (specDir: string) => Promise<void>) {
  progress(`generate, ${label}`);
  const root = await mkdtemp(join(tmpdir(), "datafold-ci-bench-codegen-"));
  try {
    await writeSpec(join(root, "spec"));
    const generate = async () => {
      // A fresh output folder every run: with nothing to write the generator would skip its writes.
      await rm(join(root, "packages"), { recursive: true, force: true });
      return runProcess(process.execPath, ["--import", "tsx", "scripts/generate.ts", "--root", root], {
        cwd: REPO_ROOT,
      });
    };
    const time = median(await repeat(generate));
    return {
      label,
      time: { value: time, unit: "ms" },
      bytes: { value: (await treeBytes(join(root, "packages"))) / 1000, unit: "kB" },
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function repeat(run: () => Promise<{ ms: number }>): Promise<number[]> {
  const times: number[] = [];
  for (let index = 0; index < RUNS; index++) times.push((await run()).ms);
  return times;
}
