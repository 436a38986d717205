import { CI_OPERATION_NAMES } from "@datafold-ci/api-description";
import { CONNECTION_FLAGS } from "../args/flags.js";
import { describeRetried, reportFailure } from "../core/failure-report.js";
import { type ListedRun, listRuns } from "../core/operations.js";
import { describeListing, resolveRunListing } from "../core/run-listing.js";
import { ExitCode } from "../exit-codes.js";
import type { CliCommand, CommandContext } from "../types.js";

/** `datafold-ci runs`. */
export const command: CliCommand = {
  usage: "runs [--pr-sha <sha> | --pr-num <n>] [--limit <n>] [flags]",
  about: [
    "Lists a pull request's Datafold CI runs, newest first: id, status, PR, branches, short SHAs.",
    "The PR is detected from the CI as trigger does, or given with --pr-sha (listed by head SHA) or --pr-num.",
    "Every query parameter of Datafold's run list has a flag and a variable. With --json, stdout holds the",
    "array Datafold answered.",
  ],
  operation: CI_OPERATION_NAMES.listRuns,
  flags: [...CONNECTION_FLAGS, "json"],
  flagNotes: { retries: describeRetried({ triggers: false }) },
  exitMeanings: {
    0: "the PR's runs were listed (none is no error: a line says so)",
    1: "Datafold or network failure after every retry",
  },
  examples: [
    "datafold-ci runs --ci-config-id 123              # in a PR build: this PR's runs",
    "datafold-ci runs --ci-config-id 123 --pr-num 7 --limit 5 --json",
  ],
  run: runRuns,
};

async function runRuns(context: CommandContext): Promise<ExitCode> {
  const { args, out } = context;
  const prepared = await resolveRunListing(context);
  if (!prepared.ok) return prepared.exitCode;
  const { connection, ciConfigId, keys } = prepared.value;
  let runs: ListedRun[];
  try {
    runs = await listRuns(connection.client, prepared.value.args);
  } catch (error) {
    return reportFailure(error, connection, ciConfigId, out);
  }
  if (args.switches.json) {
    out.result(JSON.stringify(runs));
    return ExitCode.Ok;
  }
  if (runs.length === 0) {
    out.info(`No runs for ${describeListing(keys)} of CI config ${ciConfigId.id}.`);
    return ExitCode.Ok;
  }
  for (const line of runTable(runs)) out.result(line);
  return ExitCode.Ok;
}

/** The runs as an aligned table: ID, STATUS, PR, BRANCHES (pr → base), SHAS (pr → base, 7 digits). */
function runTable(runs: readonly ListedRun[]): string[] {
  const rows = [
    ["ID", "STATUS", "PR", "BRANCHES", "SHAS"],
    ...runs.map((run) => [
      String(run.id),
      run.status,
      `#${run.pr_num}`,
      `${run.pr_branch} → ${run.base_branch}`,
      `${run.pr_sha.slice(0, 7)} → ${run.base_sha.slice(0, 7)}`,
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join("  ")
      .trimEnd(),
  );
}
