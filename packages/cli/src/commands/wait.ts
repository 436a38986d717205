import type { CliOptions } from "../cli-options.js";
import { reportFailure } from "../connect.js";
import { describeRetried } from "../describe-retried.js";
import { ExitCode } from "../exit-codes.js";
import type { Output } from "../output.js";
import type { CommandLine } from "../parse-command-line.js";
import { describeListing, listQuery, prepareRunListing, type RunListing, readRunId } from "../run-listing.js";
import { waitAndReport } from "../wait-and-report.js";
import { parseWaitSettings } from "../wait-settings.js";
import type { CliCommand } from "./cli-command.js";
import { CONNECTION_FLAGS } from "./trigger.js";

/** `datafold-ci wait`. */
export const command: CliCommand = {
  usage: "wait [--ci-run-id <id>] [flags]",
  about: [
    "Waits for a run that is already started (by an earlier job's trigger, say) and exits with its outcome,",
    "with trigger --wait's output, polling and exit codes. The run is --ci-run-id, else the PR's newest run.",
    "The PR is detected from the CI as trigger does, or given with --pr-sha or --pr-num.",
    '"done" means the run finished, not that it found no differences: Datafold reports those on the PR.',
  ],
  flags: [
    "ci-config-id",
    "ci-run-id",
    "pr-sha",
    "pr-num",
    ...CONNECTION_FLAGS,
    "wait-timeout",
    "poll-interval",
    "json",
  ],
  flagNotes: { retries: describeRetried({ triggers: false }) },
  examples: [
    "datafold-ci wait --ci-config-id 123 --ci-run-id 4567   # the run an earlier job started",
    "datafold-ci wait --ci-config-id 123                    # the PR's newest run, PR detected from the CI",
  ],
  run: runWait,
};

async function runWait(commandLine: CommandLine, options: CliOptions, out: Output): Promise<ExitCode> {
  const wait = parseWaitSettings(commandLine);
  const runId = readRunId(commandLine, options.env);
  const listing = await prepareRunListing("wait", commandLine, options, out, [
    wait.ok ? undefined : wait.problem,
    runId.ok ? undefined : runId.problem,
  ]);
  if (typeof listing === "number" || !wait.ok || !runId.ok) return listing as ExitCode;
  const { connection, ciConfigId, keys } = listing;
  const ciRunId = runId.value ?? (await newestRunId(listing, out));
  if (typeof ciRunId !== "number") return ciRunId.exit;
  return waitAndReport(
    { ciConfigId, ciRunId, ...keys },
    {
      connection,
      settings: wait.value,
      out,
      json: commandLine.booleans.has("json"),
      base: { ci_run_id: ciRunId },
      signals: options.signals ?? process,
      runtime: options.runtime,
    },
  );
}

// `wait` without --ci-run-id takes the PR's newest run on purpose: the caller asked for it.
async function newestRunId(
  { connection, ciConfigId, keys }: RunListing,
  out: Output,
): Promise<number | { exit: ExitCode }> {
  try {
    const [newest] = await connection.client.listCiRuns(ciConfigId.id, { ...listQuery(keys), limit: 1 });
    if (newest === undefined) {
      out.error(
        `Datafold lists no run for ${describeListing(keys)} of CI config ${ciConfigId.id}: ` +
          "trigger one first (datafold-ci trigger), or pass --ci-run-id.",
      );
      return { exit: ExitCode.RequestFailed };
    }
    out.info(`The PR's newest run is ${newest.id} (${newest.status}).`);
    return newest.id;
  } catch (error) {
    return { exit: reportFailure(error, connection, ciConfigId, out) };
  }
}
