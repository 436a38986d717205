import { CI_OPERATION_NAMES } from "@datafold-ci/api-description";
import { CONNECTION_FLAGS } from "../args/flags.js";
import { setUpClient } from "../core/client-setup.js";
import { describeRetried, reportFailure, reportInputProblems } from "../core/failure-report.js";
import { buildRequest, CONFIG_ID, inputProblems, resolveInputs, valueOfFact } from "../core/inputs.js";
import { isInputError, type UploadAnswer, uploadChanges } from "../core/operations.js";
import { ExitCode } from "../exit-codes.js";
import type { CliCommand, CommandContext } from "../types.js";

/** `datafold-ci submit`. */
export const command: CliCommand = {
  usage: "submit --ci-config-id <id> --pr-num <n> [--diffs <file>] [flags]",
  about: [
    "Sends a PR's changes (which tables to diff) to the PR's waiting run: a drop-in for datafold ci submit.",
    "The diffs are a JSON array of { prod, pr, pk?, include_columns?, exclude_columns? }, read from --diffs",
    "(- for stdin) or, without it, from stdin. They are checked before anything is sent: a bad item exits 2,",
    "naming it.",
    "When Datafold has no run waiting for the PR it says so with null ids: a warning to trigger first, and",
    "exit 0 (3 with --require-run). --pr-num is detected from the CI when not given.",
  ],
  operation: CI_OPERATION_NAMES.upload,
  flags: [...CONNECTION_FLAGS, "require-run", "json"],
  flagNotes: { retries: describeRetried({ triggers: false }) },
  exitMeanings: {
    0: "the diffs were sent to the PR's waiting run; or Datafold had none waiting and `--require-run` was not given",
    1: "Datafold or network failure after every retry",
    3: "`--require-run` was given and Datafold had no run waiting for the PR",
  },
  examples: [
    "datafold-ci submit --ci-config-id 123 --pr-num 7 --diffs diffs.json",
    `echo '[{"prod":"db.sch.orders","pr":"db.pr_7.orders","pk":["id"]}]' | datafold-ci submit --ci-config-id 123 --pr-num 7`,
  ],
  run: runSubmit,
};

async function runSubmit(context: CommandContext): Promise<ExitCode> {
  const { name, args, operation, inputs, options, out } = context;
  const resolution = await resolveInputs(inputs, args.inputs, options);
  const { connection, problems } = setUpClient(args.connection, options, out);
  const request = await buildRequest(operation, resolution, options, (text) => out.info(text));
  const all = [
    ...args.problems,
    ...problems,
    ...request.problems,
    ...inputProblems(operation, resolution, request),
  ];
  const configId = resolution.values.get(CONFIG_ID);
  if (all.length > 0 || !connection || !configId) return reportInputProblems(all, name, out);
  const prNumber = valueOfFact(resolution, "pr_number")?.value;
  let result: UploadAnswer;
  try {
    result = await uploadChanges(connection.client, request.args);
  } catch (error) {
    if (isInputError(error))
      return reportInputProblems(
        error.issues.map((issue) => `${issue.field}: ${issue.message}`),
        name,
        out,
      );
    return reportFailure(error, connection, configId, out);
  }
  if (args.switches.json) out.result(JSON.stringify(result));
  if (result.ci_run_id == null) {
    const message =
      `Datafold has no run waiting for PR #${prNumber} of CI config ${configId.value}, so the diffs were not attached ` +
      "(Datafold answered null ids). Trigger a run first (datafold-ci trigger), then submit.";
    if (args.switches.requireRun) {
      out.error(`${message} (--require-run: exit ${ExitCode.NoRunStarted})`);
      return ExitCode.NoRunStarted;
    }
    out.warn(message);
    return ExitCode.Ok;
  }
  if (!args.switches.json) {
    const body = operation.arguments.find((slot) => slot.in === "body");
    const sent = body && request.args[operation.arguments.indexOf(body)];
    const count = Array.isArray(sent) ? `${sent.length} diff(s)` : "The changes";
    out.info(`${count} for PR #${prNumber} sent to Datafold CI run ${result.ci_run_id}.`);
  }
  return ExitCode.Ok;
}
