import { CI_OPERATION_NAMES } from "@datafold-ci/api-description";
import { CONNECTION_FLAGS } from "../args/flags.js";
import { factOf } from "../ci/provider-spec.js";
import { describeRetried, reportFailure } from "../core/failure-report.js";
import { listRuns } from "../core/operations.js";
import { describeListing, listQuery, type RunListing, resolveRunListing } from "../core/run-listing.js";
import { waitAndReport } from "../core/wait.js";
import { ExitCode } from "../exit-codes.js";
import type { CliCommand, CommandContext, Output } from "../types.js";

/** `datafold-ci wait`. */
export const command: CliCommand = {
  usage: "wait [--ci-run-id <id>] [flags]",
  about: [
    "Waits for a run that is already started (by an earlier job's trigger, say) and exits with its outcome,",
    "with trigger --wait's output, polling and exit codes. The run is --ci-run-id, else the PR's newest run.",
    "The PR is detected from the CI as trigger does, or given with --pr-sha or --pr-num.",
    '"done" means the run finished, not that it found no differences: Datafold reports those on the PR.',
  ],
  operation: CI_OPERATION_NAMES.listRuns,
  // The run list's path and the PR it is listed by; its paging is the wait's own business.
  takesInput: (input) => input.in === "path" || factOf(input) !== undefined,
  flags: ["ci-run-id", ...CONNECTION_FLAGS, "wait-timeout", "poll-interval", "json"],
  flagNotes: {
    retries: describeRetried({ triggers: false }),
    "max-time": "each status check is a request (the wait is --wait-timeout's)",
  },
  exitMeanings: {
    0: "the run ended `done`",
    1: "Datafold or network failure after every retry (401, 403 and 404 end the wait); or the run never appeared in the list, or the PR has none",
  },
  examples: [
    "datafold-ci wait --ci-config-id 123 --ci-run-id 4567   # the run an earlier job started",
    "datafold-ci wait --ci-config-id 123                    # the PR's newest run, PR detected from the CI",
  ],
  run: runWait,
};

async function runWait(context: CommandContext): Promise<ExitCode> {
  const { args, options, out } = context;
  const prepared = await resolveRunListing(context);
  if (!prepared.ok) return prepared.exitCode;
  const listing = prepared.value;
  const { connection, ciConfigId, keys } = listing;
  const ciRunId = args.ciRunId?.id ?? (await newestRunId(listing, out));
  if (typeof ciRunId !== "number") return ciRunId.exit;
  return waitAndReport(
    { ciConfigId, ciRunId, ...keys, given: args.ciRunId },
    {
      connection,
      settings: args.wait,
      out,
      json: args.switches.json,
      base: { ci_run_id: ciRunId },
      signals: options.signals ?? process,
      runtime: options.runtime,
    },
  );
}

// `wait` without --ci-run-id takes the PR's newest run on purpose: the caller asked for it.
async function newestRunId(listing: RunListing, out: Output): Promise<number | { exit: ExitCode }> {
  const { connection, ciConfigId, keys } = listing;
  try {
    // `limit` is the run list's page size (its override entry keeps the name checked by `pnpm generate`).
    const [newest] = await listRuns(connection.client, [ciConfigId.id, { ...listQuery(listing), limit: 1 }]);
    if (newest === undefined) {
      const message =
        `Datafold lists no run for ${describeListing(keys)} of CI config ${ciConfigId.id}: ` +
        "trigger one first (datafold-ci trigger), or pass --ci-run-id.";
      out.error(message);
      out.failed({ kind: "no-runs", message, exitCode: ExitCode.RequestFailed, request: null });
      return { exit: ExitCode.RequestFailed };
    }
    out.info(`The PR's newest run is ${newest.id} (${newest.status}).`);
    return newest.id;
  } catch (error) {
    return { exit: reportFailure(error, connection, ciConfigId, out) };
  }
}
