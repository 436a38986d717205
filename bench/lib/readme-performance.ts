import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { format, resolveConfig } from "prettier";
import { missedGoals, type Results, renderTable } from "./report.js";

// The documentation quotes only what a suite measured: its figures are written from the results.

/** The page that holds the figures, relative to the repository root. */
export const PERFORMANCE_DOC = "docs/performance.md";

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

/** `page` with its marked part replaced, formatted as `pnpm format` would leave it. */
export async function withPerformance(page: string, results: Results, pagePath: string): Promise<string> {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start === -1 || end < start) throw new Error(`${pagePath} has no "${START}" … "${END}" markers`);
  const replaced = `${page.slice(0, start + START.length)}\n\n${renderPerformance(results)}\n\n${page.slice(end)}`;
  return format(replaced, { ...(await resolveConfig(pagePath)), filepath: pagePath });
}

/**
 * Brings the figures of `<root>/docs/performance.md` up to date with `<root>/bench/results/latest.json`;
 * with `check`, only says whether they are. Returns whether the page was (already) up to date.
 */
export async function updatePerformanceDoc(root: string, check = false): Promise<boolean> {
  const pagePath = join(root, PERFORMANCE_DOC);
  const results = JSON.parse(await readFile(join(root, "bench/results/latest.json"), "utf8")) as Results;
  const page = await readFile(pagePath, "utf8");
  const updated = await withPerformance(page, results, pagePath);
  if (updated === page) return true;
  if (!check) await writeFile(pagePath, updated);
  return false;
}
