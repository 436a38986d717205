import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { format, resolveConfig } from "prettier";
import { missedGoals, type Results, renderTable } from "./report.js";

// The README quotes only what a suite measured, so no figure in it can drift from a run: its figures are
// written from the results.

const START = "<!-- performance:start: written by `pnpm bench:readme` from bench/results/latest.json -->";
const END = "<!-- performance:end -->";

/** The generated part of the Performance section: when and where, each suite's table, the missed goals. */
export function renderPerformance(results: Results): string {
  const dates = [...new Set(results.suites.map((suite) => suite.ranAt.slice(0, 10)))].sort();
  const machines = [
    ...new Set(results.suites.map(({ environment: e }) => `Node ${e.node}, ${e.platform}, ${e.cpus}`)),
  ];
  const lines = [`Latest run: ${dates.join(" to ")}, ${machines.join("; ")}.`, ""];
  for (const suite of results.suites) lines.push(`### ${suite.title}`, "", ...renderTable(suite.rows), "");
  const missed = missedGoals(results);
  lines.push("Missed goals:", "", ...(missed.length > 0 ? missed.map((goal) => `- ${goal}`) : ["- none"]));
  return lines.join("\n");
}

/** `readme` with its marked Performance part replaced, formatted as `pnpm format` would leave it. */
export async function withPerformance(readme: string, results: Results, readmePath: string): Promise<string> {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end < start)
    throw new Error(`${readmePath} has no "${START}" … "${END}" markers in its Performance section`);
  const replaced = `${readme.slice(0, start + START.length)}\n\n${renderPerformance(results)}\n\n${readme.slice(end)}`;
  return format(replaced, { ...(await resolveConfig(readmePath)), filepath: readmePath });
}

/**
 * Brings `<root>/README.md`'s Performance part up to date with `<root>/bench/results/latest.json`;
 * with `check`, only says whether it is. Returns whether the README was (already) up to date.
 */
export async function updateReadmePerformance(root: string, check = false): Promise<boolean> {
  const readmePath = join(root, "README.md");
  const results = JSON.parse(await readFile(join(root, "bench/results/latest.json"), "utf8")) as Results;
  const readme = await readFile(readmePath, "utf8");
  const updated = await withPerformance(readme, results, readmePath);
  if (updated === readme) return true;
  if (!check) await writeFile(readmePath, updated);
  return false;
}
