import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./lib/repo.js";
import { formatFigure, type Results } from "./lib/report.js";

const SCRIPT = join(REPO_ROOT, "bench", "readme-performance.ts");
const roots: string[] = [];
afterAll(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

async function run(...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", SCRIPT, ...args],
      {
        cwd: REPO_ROOT,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Every number with a unit the text quotes: `13 µs`, `3.5 kB`, `0.782×`, `1,170 ms`. */
function quotedFigures(text: string): string[] {
  return [...text.matchAll(/\d[\d,]*(?:\.\d+)?\s?(?:µs|ms|kB|MB|s\b|×)/g)].map((m) => m[0]);
}

describe("docs/performance.md", () => {
  it("quotes no figure that no suite measured", async () => {
    const page = await readFile(join(REPO_ROOT, "docs/performance.md"), "utf8");
    const results = JSON.parse(
      await readFile(join(REPO_ROOT, "bench/results/latest.json"), "utf8"),
    ) as Results;
    const measured = results.suites
      .flatMap((suite) =>
        suite.rows.flatMap((row) => [
          // A label's figure (`official SDK, every 5 s`, the floor's tarball size) is the suite's own too.
          row.what,
          row.baseline?.what ?? "",
          formatFigure(row.figure),
          row.baseline ? formatFigure(row.baseline.figure) : "",
          row.ratio === undefined ? "" : `${row.ratio}×`,
          row.goal?.text ?? "",
        ]),
      )
      .concat(results.suites.map((suite) => `${Math.round(suite.seconds)} s, ${suite.environment.cpus}`))
      .join("\n");
    const unsourced = quotedFigures(page).filter((figure) => !quotedFigures(measured).includes(figure));
    expect(unsourced, "figures in docs/performance.md that no suite measured").toEqual([]);
  });

  it("is what bench/results/latest.json renders (--check)", async () => {
    const result = await run("--check");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("--check fails, naming the command that fixes it, when a figure changed; a run without it rewrites it", async () => {
    const root = await mkdtemp(join(tmpdir(), "datafold-ci-readme-"));
    roots.push(root);
    await mkdir(join(root, "docs"), { recursive: true });
    await cp(join(REPO_ROOT, "docs/performance.md"), join(root, "docs/performance.md"));
    await cp(join(REPO_ROOT, ".prettierrc.json"), join(root, ".prettierrc.json"));
    await mkdir(join(root, "bench/results"), { recursive: true });
    const results = JSON.parse(
      await readFile(join(REPO_ROOT, "bench/results/latest.json"), "utf8"),
    ) as Results;
    results.suites[0]!.rows[0]!.figure = { value: 987_654, unit: "ms" };
    await writeFile(join(root, "bench/results/latest.json"), JSON.stringify(results));

    const stale = await run("--check", "--root", root);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/docs\/performance\.md's figures are out of date.*bench:readme/);

    expect((await run("--root", root)).code).toBe(0);
    expect(await readFile(join(root, "docs/performance.md"), "utf8")).toContain("987,654 ms");
    expect((await run("--check", "--root", root)).code).toBe(0);
  });
});
