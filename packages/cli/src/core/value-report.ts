import { REDACTED } from "@datafold-ci/api-description";
import { describeBaseShaKind, type ReportedBaseShaKind } from "./base-sha-kind.js";
import type { CiDetection } from "./ci/detect-ci.js";
import { ALL_TRIGGER_FIELDS, TRIGGER_FIELDS } from "./pr-fields.js";
import type { TriggerValues } from "./resolve-trigger-values.js";
import { describeSource, type SourcedValue } from "./value-source.js";

/** Every resolved value with its source, as `--dry-run` and `--debug` show them. */
export interface ValueReport {
  readonly ci: string;
  readonly rows: readonly ValueRow[];
}

/** One value of a {@link ValueReport}. */
export interface ValueRow {
  readonly name: string;
  readonly value: string;
  /** Where the value came from, or why it is missing; for a base SHA, also which commit it is. */
  readonly from: string;
  /** A base SHA's kind: the base branch tip, the merge base, or `as given` by a flag or variable (issue 14). */
  readonly kind?: ReportedBaseShaKind;
}

/** The values, the host and the key (as `[REDACTED]`), each with where it came from, and what CI was detected. */
export function describeValues(
  resolved: TriggerValues,
  host: SourcedValue | undefined,
  apiKeyVariable: string | undefined,
  detection: CiDetection,
): ValueReport {
  const rows: ValueRow[] = ALL_TRIGGER_FIELDS.map((field) => {
    const found = resolved.values[field];
    const name = TRIGGER_FIELDS[field].flag;
    if (!found) return { name, value: "(missing)", from: resolved.gaps[field] ?? "not given" };
    const from = `from ${describeSource(found.source)}`;
    if (field !== "base_sha") return { name, value: found.value, from };
    const { kind, text } = describeBaseShaKind(found.source);
    return { name, value: found.value, from: `${from}: ${text}`, kind };
  });
  rows.push({
    name: "--host",
    value: host?.value ?? "(missing)",
    from: host ? `from ${describeSource(host.source)}` : "no default: the spec names no server",
  });
  rows.push({
    name: "API key",
    value: apiKeyVariable ? REDACTED : "(missing)",
    from: apiKeyVariable ? `from ${apiKeyVariable}` : "DATAFOLD_API_KEY is not set",
  });
  const { provider } = detection;
  const ci = !provider
    ? "none detected"
    : detection.reading.pullRequest
      ? `${provider.name}, ${provider.prBuild}`
      : `${provider.name}, not a PR build (${detection.reading.reason})`;
  return { ci, rows };
}

/** The report as aligned text lines. */
export function formatValueReport(report: ValueReport): string[] {
  const nameWidth = Math.max(...report.rows.map((row) => row.name.length)) + 2;
  const valueWidth = Math.max(...report.rows.map((row) => row.value.length)) + 2;
  return [
    `CI: ${report.ci}`,
    "Values:",
    ...report.rows.map((row) => `  ${row.name.padEnd(nameWidth)}${row.value.padEnd(valueWidth)}${row.from}`),
  ];
}
