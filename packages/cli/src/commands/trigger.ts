import { AUTHORIZATION_KEY_PREFIX, CI_OPERATION_NAMES, REDACTED } from "@datafold-ci/api-description";
import { CONNECTION_FLAGS } from "../args/flags.js";
import { setUpClient } from "../core/client-setup.js";
import { describeRetried, reportFailure, reportInputProblems } from "../core/failure-report.js";
import {
  buildRequest,
  CONFIG_ID,
  inputProblems,
  missingPrFacts,
  outsidePrBuild,
  type Resolution,
  resolveInputs,
  valueOfFact,
} from "../core/inputs.js";
import { findOperation, isInputError, type TriggerAnswer, triggerRun } from "../core/operations.js";
import { listingKeys } from "../core/run-listing.js";
import { describeValues, formatValueReport, type ValueReport } from "../core/value-report.js";
import { waitAndReport } from "../core/wait.js";
import { ExitCode } from "../exit-codes.js";
import { unavailableMessage } from "../output/describe.js";
import type { CliCommand, CommandContext, Output, Switches } from "../types.js";

/** `datafold-ci trigger`. */
export const command: CliCommand = {
  usage: "trigger [--wait] [flags]",
  about: [
    "Takes the official CLI's flags (datafold ci trigger), and a flag and variable for every field of the",
    "trigger's body. Any value not given as a flag is read from its environment variable, then from the CI.",
    "A missing base SHA is computed with git merge-base origin/<base branch> <PR head>. Flags always win.",
    "A CI's base SHA is sent as the CI gives it: some give the base branch's tip, others the merge base;",
    "--dry-run and --debug say which.",
    "",
    "With --wait it then waits for the run it started and exits with its outcome (exit codes below).",
    '"done" means the run finished, not that it found no differences: Datafold reports those on the PR.',
  ],
  operation: CI_OPERATION_NAMES.trigger,
  flags: [
    ...CONNECTION_FLAGS,
    "require-run",
    "no-run-check",
    "skip-outside-pr",
    "wait",
    "wait-timeout",
    "poll-interval",
    "json",
    "dry-run",
  ],
  flagNotes: {
    retries: describeRetried({ triggers: true }),
    "max-time":
      "the trigger's request includes its looks at the PR's runs; with --wait, each status check is a request (the wait is --wait-timeout's)",
  },
  examples: [
    "datafold-ci trigger --ci-config-id 123            # in a PR build: the rest is detected",
    "datafold-ci trigger --ci-config-id 123 --wait     # and fail the job if the run fails",
    "datafold-ci trigger --ci-config-id 123 --dry-run  # show what would be sent, and from where",
    "datafold-ci trigger --ci-config-id 123 --pr-num 7 --pr-branch feature/x --base-branch main \\",
    "  --pr-sha <sha> --base-sha <sha>                 # anywhere, all values by hand",
  ],
  run: runTrigger,
};

/** A request `--dry-run` stopped before it left. */
interface CapturedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/**
 * `datafold-ci trigger`: resolves the values (flags, `DATAFOLD_*`, the CI, git), refuses bad input before
 * sending anything, starts the run and reports it; with `--wait`, waits for its outcome.
 */
async function runTrigger(context: CommandContext): Promise<ExitCode> {
  const { name, args, operation, inputs, options, out } = context;
  const { switches } = args;
  const resolution = await resolveInputs(inputs, args.inputs, options);
  const { detection } = resolution;
  if (switches.skipOutsidePr && outsidePrBuild(detection) && missingPrFacts(resolution)) {
    const why = !detection.provider
      ? "no CI system was detected"
      : detection.reading.pullRequest
        ? `${detection.provider.name} did not supply the PR's facts`
        : `${detection.provider.name}: ${detection.reading.reason}`;
    if (switches.json) out.result(JSON.stringify({ ci_run_id: null, run_id: null, skipped: why }));
    out.note(`notice: not a pull request build (${why}); --skip-outside-pr: no run triggered.`);
    return ExitCode.Ok;
  }
  for (const warning of resolution.warnings) out.warn(warning);
  const captured: CapturedRequest[] = [];
  const setup = setUpClient(
    args.connection,
    options,
    out,
    switches.dryRun ? captureInto(captured) : undefined,
  );
  const request = await buildRequest(operation, resolution, options);
  const problems = [
    ...args.problems,
    ...setup.problems,
    ...request.problems,
    ...inputProblems(operation, resolution, request, { commitShas: true }),
    // --wait lists the PR's runs: refused before the trigger, not after it.
    ...(switches.wait && !findOperation(CI_OPERATION_NAMES.listRuns)
      ? [`--wait: ${unavailableMessage("trigger --wait", CI_OPERATION_NAMES.listRuns)}`]
      : []),
  ];

  const report = describeValues(resolution, setup.host, setup.apiKeyVariable);
  if (switches.dryRun && !switches.json) for (const line of formatValueReport(report)) out.result(line);
  else for (const line of formatValueReport(report)) out.debug(line);
  const { connection } = setup;
  const configId = resolution.values.get(CONFIG_ID);
  if (problems.length > 0 || connection === undefined || configId === undefined)
    return reportInputProblems(problems, name, out);

  let result: TriggerAnswer;
  try {
    result = await triggerRun(connection.client, request.args, {
      // --dry-run captures one request: the trigger, not the look at the PR's runs.
      checkForStartedRun: !switches.noRunCheck && !switches.dryRun,
    });
  } catch (error) {
    if (isInputError(error)) {
      for (const issue of error.issues) out.error(`${issue.field}: ${issue.message}`);
      return ExitCode.Usage;
    }
    return reportFailure(error, connection, configId, out, { triggering: true });
  }

  if (switches.dryRun) {
    printDryRun(captured[0]!, report, switches.json, out);
    return ExitCode.Ok;
  }
  const started = reportResult(result, resolution, switches, out);
  if (!switches.wait || started !== ExitCode.Ok || result.ci_run_id == null) return started;
  const keys = await listingKeys(resolution);
  if (keys.note) out.warn(keys.note);
  return waitAndReport(
    {
      ciConfigId: { ...configId, id: Number(configId.value) },
      ciRunId: result.ci_run_id,
      prSha: keys.prSha,
      prNum: keys.prNum,
    },
    {
      connection,
      settings: args.wait,
      out,
      json: switches.json,
      base: result,
      signals: options.signals ?? process,
      runtime: options.runtime,
    },
  );
}

function printDryRun(request: CapturedRequest, report: ValueReport, json: boolean, out: Output): void {
  if (json) {
    out.result(JSON.stringify({ dryRun: true, request, ...report }, null, 2));
    return;
  }
  const body = JSON.stringify(request.body, null, 2).split("\n");
  for (const line of [
    "",
    "Request (not sent):",
    `  ${request.method} ${request.url}`,
    ...Object.entries(request.headers).map(([name, value]) => `  ${name}: ${value}`),
    ...body.map((line) => `  ${line}`),
    "",
    "Dry run: nothing was sent.",
  ])
    out.result(line);
}

function reportResult(
  result: TriggerAnswer,
  resolution: Resolution,
  switches: Switches,
  out: Output,
): ExitCode {
  const started = result.ci_run_id !== null && result.ci_run_id !== undefined;
  // With --wait, the one JSON document carries the run as it ended: the wait prints it.
  if (switches.json && !(switches.wait && started))
    out.result(JSON.stringify(switches.wait ? { ...result, run: null } : result));
  const fact = (name: Parameters<typeof valueOfFact>[1]) => valueOfFact(resolution, name)?.value;
  const pr = `PR #${fact("pr_number")} (${fact("pr_branch")} → ${fact("base_branch")}, ${fact("pr_sha")?.slice(0, 7)})`;
  if (!started) {
    const message =
      `Datafold accepted the call but started no run for ${pr}. Usual reasons: the CI config requires a PR label ` +
      "the PR does not have; every changed file is ignored by the CI config's file filters; the CI config is paused " +
      "or disabled. Check the CI config's settings in Datafold.";
    if (switches.requireRun) {
      out.error(`${message} (--require-run: exit ${ExitCode.NoRunStarted})`);
      return ExitCode.NoRunStarted;
    }
    out.warn(switches.wait ? `${message} Nothing to wait for.` : message);
    return ExitCode.Ok;
  }
  const line = `Datafold CI run ${result.ci_run_id} started for ${pr}`;
  // With --json stdout holds the one document, and wrappers (the GitHub Action, the GitLab component) read it
  // there; the line still reaches their logs, on stderr, as a wait's progress lines do.
  if (switches.json) out.info(line);
  else if (!switches.quiet) out.result(line);
  return ExitCode.Ok;
}

function captureInto(captured: CapturedRequest[]): typeof globalThis.fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const text = await request.text();
    const headers: Record<string, string> = {};
    for (const [name, value] of request.headers)
      headers[name] = name === "authorization" ? `${AUTHORIZATION_KEY_PREFIX}${REDACTED}` : value;
    captured.push({
      method: request.method,
      url: request.url,
      headers,
      body: text === "" ? undefined : JSON.parse(text),
    });
    return new Response(JSON.stringify({ ci_run_id: null, run_id: null }), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  };
}
