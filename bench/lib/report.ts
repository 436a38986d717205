import { cpus } from "node:os";
import { significant } from "./stats.js";

/** A number with its unit, e.g. `{ value: 4210, unit: "ops/s" }`. */
export interface Figure {
  value: number;
  unit: string;
}

/** One line of a results table. */
export interface Row {
  what: string;
  figure: Figure;
  /** What the figure is compared with, measured in the same run. */
  baseline?: { what: string; figure: Figure };
  /** `figure ÷ baseline` when both share a unit. */
  ratio?: number;
  /** The goal set for this figure, and whether this run met it. */
  goal?: { text: string; met: boolean };
}

/** What one suite produced. */
export interface SuiteResult {
  name: string;
  title: string;
  /** ISO date of the run, so merged results show which suite is how old. */
  ranAt: string;
  environment: Environment;
  /** Wall time the suite took, in seconds. */
  seconds: number;
  rows: Row[];
  /** Facts behind the figures: what was measured, what limits a missed goal. */
  notes: string[];
}

export interface Environment {
  node: string;
  platform: string;
  cpus: string;
}

/** One results file: the suites of the latest run, plus older suites a partial run did not repeat. */
export interface Results {
  suites: SuiteResult[];
}

/** A row; the ratio is derived when the baseline shares the figure's unit. */
export function row(what: string, figure: Figure, extra: Omit<Row, "what" | "figure" | "ratio"> = {}): Row {
  const base = extra.baseline?.figure;
  const ratio = base && base.unit === figure.unit && base.value !== 0 ? figure.value / base.value : undefined;
  return {
    what,
    figure: rounded(figure),
    ...(extra.baseline && { baseline: { ...extra.baseline, figure: rounded(extra.baseline.figure) } }),
    ...(ratio !== undefined && { ratio: significant(ratio) }),
    ...(extra.goal && { goal: extra.goal }),
  };
}

// Counts are exact (a soak's outcomes must add up to the calls made); measurements keep three digits.
const COUNT_UNITS = new Set(["calls", "rejections", "sockets", "packages"]);

function rounded(figure: Figure): Figure {
  const exact = COUNT_UNITS.has(figure.unit) && Number.isInteger(figure.value);
  return { value: exact ? figure.value : significant(figure.value), unit: figure.unit };
}

/** The machine the figures come from; ratios are comparable across machines, absolute figures are not. */
export function currentEnvironment(): Environment {
  const cores = cpus();
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: `${cores.length} × ${cores[0]?.model.trim() ?? "unknown"}`,
  };
}

/** Replaces the suites that ran in `previous`, keeping the others, in `order`. */
export function mergeResults(previous: Results | undefined, fresh: SuiteResult[], order: string[]): Results {
  const byName = new Map((previous?.suites ?? []).map((suite) => [suite.name, suite]));
  for (const suite of fresh) byName.set(suite.name, suite);
  return { suites: order.flatMap((name) => byName.get(name) ?? []) };
}

/** The rows whose goal this run missed, named by suite. */
export function missedGoals(results: Results): string[] {
  return results.suites.flatMap((suite) =>
    suite.rows
      .filter((r) => r.goal && !r.goal.met)
      .map((r) => {
        const ratio = r.ratio === undefined ? "" : `, ${r.ratio}× ${r.baseline!.what}`;
        return `${suite.title}: ${r.what}: ${formatFigure(r.figure)}${ratio} (goal ${r.goal!.text})`;
      }),
  );
}

/** The results as Markdown: one table per suite, its notes, then every missed goal. */
export function renderMarkdown(results: Results): string {
  const lines = [
    "# Benchmark results",
    "",
    "Written by `pnpm bench` (bench/run.ts); do not edit by hand.",
    "",
  ];
  for (const suite of results.suites) {
    const env = suite.environment;
    lines.push(
      `## ${suite.title}`,
      "",
      `${suite.ranAt.slice(0, 10)} · Node ${env.node} · ${env.platform} · ${env.cpus} · ${Math.round(suite.seconds)} s`,
      "",
      ...renderTable(suite.rows),
    );
    if (suite.notes.length > 0) lines.push("", ...suite.notes.map((note) => `- ${note}`));
    lines.push("");
  }
  const missed = missedGoals(results);
  lines.push("## Missed goals", "", ...(missed.length ? missed.map((m) => `- ${m}`) : ["None."]), "");
  return lines.join("\n");
}

/** One suite's rows as a Markdown table. */
export function renderTable(rows: readonly Row[]): string[] {
  const cells = rows.map((r) => [
    r.what,
    formatFigure(r.figure),
    r.baseline ? `${formatFigure(r.baseline.figure)} (${r.baseline.what})` : "—",
    r.ratio === undefined ? "—" : `${r.ratio}×`,
    r.goal?.text ?? "—",
    r.goal === undefined ? "—" : r.goal.met ? "yes" : "**NO**",
  ]);
  return [
    "| what | figure | baseline | ratio | goal | met? |",
    "| --- | --: | --- | --: | --- | --- |",
    ...cells.map((c) => `| ${c.map((cell) => cell.replaceAll("|", "\\|")).join(" | ")} |`),
  ];
}

/** `4210 ops/s` → "4,210 ops/s". */
export function formatFigure(figure: Figure): string {
  return `${figure.value.toLocaleString("en-US")} ${figure.unit}`;
}
