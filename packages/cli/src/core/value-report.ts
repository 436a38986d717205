import { REDACTED } from "@datafold-ci/api-description";
import { factOf } from "../ci/provider-spec.js";
import { describeBaseShaKind, describeSource, type ReportedBaseShaKind } from "../output/describe.js";
import type { SourcedValue } from "../types.js";
import type { Resolution } from "./inputs.js";

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
  /** A base SHA's kind: the base branch tip, the merge base, or `as given` by a flag or variable. */
  readonly kind?: ReportedBaseShaKind;
}

/** The values, the host and the key (as `[REDACTED]`), each with where it came from, and what CI was detected. */
export function describeValues(
  resolution: Resolution,
  host: SourcedValue | undefined,
  apiKeyVariable: string | undefined,
): ValueReport {
  const rows: ValueRow[] = resolution.inputs.map((input) => {
    const found = resolution.values.get(input.name);
    const name = input.flag;
    if (!found)
      return {
        name,
        value: input.required ? "(missing)" : "(not sent)",
        from: resolution.gaps.get(input.name) ?? "not given",
      };
    const from = `from ${describeSource(found.source)}`;
    if (factOf(input) !== "base_sha") return { name, value: found.value, from };
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
    // Not set, or set but empty: the error says which.
    from: apiKeyVariable ? `from ${apiKeyVariable}` : "no key in DATAFOLD_API_KEY",
  });
  const { detection } = resolution;
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
