import type { ApiCiRun } from "@datafold-ci/client";
import type { CliOptions } from "../cli-options.js";
import { reportFailure } from "../connect.js";
import { describeRetried } from "../describe-retried.js";
import { ExitCode } from "../exit-codes.js";
import { DEFAULT_RUNS_LIMIT } from "../flags.js";
import type { Output } from "../output.js";
import type { CommandLine } from "../parse-command-line.js";
import { describeListing, listQuery, prepareRunListing } from "../run-listing.js";
import type { CliCommand } from "./cli-command.js";
import { CONNECTION_FLAGS } from "./trigger.js";

/** `datafold-ci runs`. */
export const command: CliCommand = {
  usage: "runs [--pr-sha <sha> | --pr-num <n>] [--limit <n>] [flags]",
  about: [
    "Lists a pull request's Datafold CI runs, newest first: id, status, PR, branches, short SHAs.",
    "The PR is detected from the CI as trigger does, or given with --pr-sha (listed by head SHA) or --pr-num.",
    "With --json, stdout holds the array Datafold answered.",
  ],
  flags: ["ci-config-id", "pr-sha", "pr-num", "limit", ...CONNECTION_FLAGS, "json"],
  flagNotes: { retries: describeRetried({ triggers: false }) },
  examples: [
    "datafold-ci runs --ci-config-id 123              # in a PR build: this PR's runs",
    "datafold-ci runs --ci-config-id 123 --pr-num 7 --limit 5 --json",
  ],
  run: runRuns,
};

async function runRuns(commandLine: CommandLine, options: CliOptions, out: Output): Promise<ExitCode> {
  const limit = readLimit(commandLine);
  const listing = await prepareRunListing("runs", commandLine, options, out, [
    typeof limit === "string" ? limit : undefined,
  ]);
  if (typeof listing === "number" || typeof limit === "string") return listing as ExitCode;
  const { connection, ciConfigId, keys } = listing;
  let runs: ApiCiRun[];
  try {
    runs = await connection.client.listCiRuns(ciConfigId.id, { ...listQuery(keys), limit });
  } catch (error) {
    return reportFailure(error, connection, ciConfigId, out);
  }
  if (commandLine.booleans.has("json")) {
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
function runTable(runs: readonly ApiCiRun[]): string[] {
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

function readLimit(commandLine: CommandLine): number | string {
  const flag = commandLine.strings.get("limit");
  if (flag === undefined) return DEFAULT_RUNS_LIMIT;
  const limit = /^\d+$/.test(flag.value) ? Number(flag.value) : Number.NaN;
  return limit >= 1 && limit <= 1000
    ? limit
    : `${flag.typed} ${JSON.stringify(flag.value)} (from flag ${flag.typed}) is not a whole number from 1 to 1000`;
}
