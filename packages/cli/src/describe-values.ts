import { REDACTED } from "@datafold-ci/spec";
import type { CiDetection } from "./ci/detect-ci.js";
import { ALL_TRIGGER_FIELDS, TRIGGER_FIELDS } from "./pr-fields.js";
import type { TriggerValues } from "./resolve-trigger-values.js";
import { describeSource, type SourcedValue } from "./value-source.js";

/** Every resolved value with its source, as `--dry-run` and `--debug` show them. */
export interface ValueReport {
  readonly ci: string;
  /** `from` says where the value came from, or why it is missing. */
  readonly rows: readonly { readonly name: string; readonly value: string; readonly from: string }[];
}

/** The values, the host and the key (as `[REDACTED]`), each with where it came from, and what CI was detected. */
export function describeValues(
  resolved: TriggerValues,
  host: SourcedValue | undefined,
  apiKeyVariable: string | undefined,
  detection: CiDetection,
): ValueReport {
  const rows: { name: string; value: string; from: string }[] = ALL_TRIGGER_FIELDS.map((field) => {
    const found = resolved.values[field];
    return {
      name: TRIGGER_FIELDS[field].flag,
      value: found?.value ?? "(missing)",
      from: found ? `from ${describeSource(found.source)}` : (resolved.gaps[field] ?? "not given"),
    };
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
