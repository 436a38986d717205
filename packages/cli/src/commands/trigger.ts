import { AUTHORIZATION_KEY_PREFIX, REDACTED } from "@datafold-ci/api-description";
import {
  type APIPrDetails,
  checkTriggerInput,
  isDatafoldInputError,
  type SubmitCiJob,
} from "@datafold-ci/client";
import type { CliOptions } from "../cli-options.js";
import { connect, refuse, reportFailure } from "../connect.js";
import { describeRetried } from "../describe-retried.js";
import { describeValues, formatValueReport, type ValueReport } from "../describe-values.js";
import { explainInputProblems, toRequestInput } from "../explain-input-problems.js";
import { ExitCode } from "../exit-codes.js";
import type { Output } from "../output.js";
import type { CommandLine } from "../parse-command-line.js";
import { ALL_TRIGGER_FIELDS, TRIGGER_FIELDS } from "../pr-fields.js";
import { listingKeys, outsidePrBuild, resolvePr } from "../resolve-pr.js";
import type { TriggerValues } from "../resolve-trigger-values.js";
import { waitAndReport } from "../wait-and-report.js";
import { parseWaitSettings } from "../wait-settings.js";
import type { CliCommand } from "./cli-command.js";

/** Flags of every command that talks to Datafold. */
export const CONNECTION_FLAGS = ["host", "allow-insecure-http", "timeout", "retries"] as const;

/** `datafold-ci trigger`. */
export const command: CliCommand = {
  usage: "trigger [--wait] [flags]",
  about: [
    "Takes the official CLI's flags (datafold ci trigger). Any value not given as a flag is read from its",
    "environment variable, then from the CI. A missing base SHA is computed with",
    "git merge-base origin/<base branch> <PR head>. Flags always win. A CI's base SHA is sent as the CI",
    "gives it: some give the base branch's tip, others the merge base; --dry-run and --debug say which.",
    "",
    "With --wait it then waits for the run it started and exits with its outcome (exit codes below).",
    '"done" means the run finished, not that it found no differences: Datafold reports those on the PR.',
  ],
  flags: [
    ...ALL_TRIGGER_FIELDS.map((field) => TRIGGER_FIELDS[field].flag.slice(2)),
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
  flagNotes: { retries: describeRetried({ triggers: true }) },
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
async function runTrigger(commandLine: CommandLine, options: CliOptions, out: Output): Promise<ExitCode> {
  const given = (name: string) => commandLine.booleans.has(name);
  const pr = await resolvePr(commandLine, options);
  const { detection, resolved } = pr;
  if (given("skip-outside-pr") && outsidePrBuild(detection) && missingPrFacts(resolved)) {
    const why = !detection.provider
      ? "no CI system was detected"
      : detection.reading.pullRequest
        ? `${detection.provider.name} did not supply the PR's facts`
        : `${detection.provider.name}: ${detection.reading.reason}`;
    if (given("json")) out.result(JSON.stringify({ ci_run_id: null, run_id: null, skipped: why }));
    out.note(`notice: not a pull request build (${why}); --skip-outside-pr: no run triggered.`);
    return ExitCode.Ok;
  }
  for (const warning of resolved.warnings) out.warn(warning);
  const dryRun = given("dry-run");
  const captured: CapturedRequest[] = [];
  const connecting = connect(commandLine, options, out, dryRun ? captureInto(captured) : undefined);
  const { host, apiKeyVariable } = connecting;
  const wait = parseWaitSettings(commandLine);
  const problems = [
    ...connecting.problems,
    ...explainInputProblems(resolved, detection, checkTriggerInput),
    ...(wait.ok ? [] : [wait.problem]),
  ];

  const report = describeValues(resolved, host, apiKeyVariable, detection);
  if (dryRun && !given("json")) for (const line of formatValueReport(report)) out.result(line);
  else for (const line of formatValueReport(report)) out.debug(line);
  const { connection } = connecting;
  if (problems.length > 0 || connection === undefined || !wait.ok) return refuse(problems, "trigger", out);

  const { ciConfigId, details } = toRequestInput(resolved.values);
  let result: SubmitCiJob;
  try {
    result = await connection.client.triggerPrRun(ciConfigId as number, details as unknown as APIPrDetails, {
      // --dry-run captures one request: the trigger, not the look at the PR's runs.
      checkForStartedRun: !given("no-run-check") && !dryRun,
    });
  } catch (error) {
    if (isDatafoldInputError(error)) {
      for (const issue of error.issues) out.error(`${issue.field}: ${issue.message}`);
      return ExitCode.Usage;
    }
    return reportFailure(error, connection, resolved.values.ci_config_id!, out);
  }

  if (dryRun) {
    printDryRun(captured[0]!, report, given("json"), out);
    return ExitCode.Ok;
  }
  const started = reportResult(result, resolved.values, commandLine, out);
  if (!given("wait") || started !== ExitCode.Ok || result.ci_run_id == null) return started;
  const keys = await listingKeys(pr);
  if (keys.note) out.warn(keys.note);
  return waitAndReport(
    {
      ciConfigId: { ...resolved.values.ci_config_id!, id: ciConfigId as number },
      ciRunId: result.ci_run_id,
      prSha: keys.prSha,
      prNum: keys.prNum,
    },
    {
      connection,
      settings: wait.value,
      out,
      json: given("json"),
      base: result,
      signals: options.signals ?? process,
      runtime: options.runtime,
    },
  );
}

function missingPrFacts(resolved: TriggerValues): boolean {
  return ALL_TRIGGER_FIELDS.some(
    (field) => field !== "ci_config_id" && field !== "base_sha" && !resolved.values[field],
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
  result: SubmitCiJob,
  values: TriggerValues["values"],
  commandLine: CommandLine,
  out: Output,
): ExitCode {
  const json = commandLine.booleans.has("json");
  const started = result.ci_run_id !== null && result.ci_run_id !== undefined;
  // With --wait, the one JSON document carries the run as it ended: the wait prints it.
  const waits = commandLine.booleans.has("wait");
  if (json && !(waits && started)) out.result(JSON.stringify(waits ? { ...result, run: null } : result));
  const pr = `PR #${values.pr_number?.value} (${values.pr_branch?.value} → ${values.base_branch?.value}, ${values.pr_sha?.value.slice(0, 7)})`;
  if (result.ci_run_id === null || result.ci_run_id === undefined) {
    const message =
      `Datafold accepted the call but started no run for ${pr}. Usual reasons: the CI config requires a PR label ` +
      "the PR does not have; every changed file is ignored by the CI config's file filters; the CI config is paused " +
      "or disabled. Check the CI config's settings in Datafold.";
    if (commandLine.booleans.has("require-run")) {
      out.error(`${message} (--require-run: exit ${ExitCode.NoRunStarted})`);
      return ExitCode.NoRunStarted;
    }
    out.warn(waits ? `${message} Nothing to wait for.` : message);
    return ExitCode.Ok;
  }
  const line = `Datafold CI run ${result.ci_run_id} started for ${pr}`;
  // With --json stdout holds the one document, and wrappers (the GitHub Action, the GitLab component) read it
  // there; the line still reaches their logs, on stderr, as a wait's progress lines do.
  if (json) out.info(line);
  else if (!commandLine.booleans.has("quiet")) out.result(line);
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
