import { readFile as readFileFromDisk } from "node:fs/promises";
import { type CiDiff, isDatafoldInputError, type SubmitCiJob } from "@datafold-ci/client";
import type { CliOptions } from "../cli-options.js";
import { connect, refuse, reportFailure } from "../connect.js";
import { describeRetried } from "../describe-retried.js";
import { ExitCode } from "../exit-codes.js";
import type { Output } from "../output.js";
import type { CommandLine } from "../parse-command-line.js";
import { TRIGGER_FIELDS } from "../pr-fields.js";
import { resolvePr } from "../resolve-pr.js";
import { readCiConfigId } from "../run-listing.js";
import { describeSource } from "../value-source.js";
import type { CliCommand } from "./cli-command.js";
import { CONNECTION_FLAGS } from "./trigger.js";

/** `datafold-ci submit`. */
export const command: CliCommand = {
  usage: "submit --ci-config-id <id> --pr-num <n> [--diffs <file>] [flags]",
  about: [
    "Sends a PR's changes (which tables to diff) to the PR's waiting run: a drop-in for datafold ci submit.",
    "The diffs are a JSON array of { prod, pr, pk?, include_columns?, exclude_columns? }, read from --diffs",
    "or, without it, from stdin. They are checked before anything is sent: a bad item exits 2, naming it.",
    "When Datafold has no run waiting for the PR it says so with null ids: a warning to trigger first, and",
    "exit 0 (3 with --require-run). --pr-num is detected from the CI when not given.",
  ],
  flags: ["ci-config-id", "pr-num", "diffs", ...CONNECTION_FLAGS, "require-run", "json"],
  flagNotes: { retries: describeRetried({ triggers: false }) },
  examples: [
    "datafold-ci submit --ci-config-id 123 --pr-num 7 --diffs diffs.json",
    `echo '[{"prod":"db.sch.orders","pr":"db.pr_7.orders","pk":["id"]}]' | datafold-ci submit --ci-config-id 123 --pr-num 7`,
  ],
  run: runSubmit,
};

async function runSubmit(commandLine: CommandLine, options: CliOptions, out: Output): Promise<ExitCode> {
  const pr = await resolvePr(commandLine, options);
  const connecting = connect(commandLine, options, out);
  const configId = readCiConfigId(pr);
  const prNum = pr.resolved.values.pr_number;
  const spec = TRIGGER_FIELDS.pr_number;
  const prNumber = prNum && /^\d+$/.test(prNum.value) ? Number(prNum.value) : undefined;
  const diffs = await readDiffs(commandLine, options);
  const problems = [
    ...connecting.problems,
    ...(configId.ok ? [] : [configId.problem]),
    ...(prNum === undefined
      ? [`${spec.flag} is missing (${spec.label}): pass ${spec.flag} or set ${spec.env}.`]
      : prNumber === undefined
        ? [
            `${spec.flag} (from ${describeSource(prNum.source)}) is ${JSON.stringify(prNum.value)}: expected a whole number`,
          ]
        : []),
    ...(diffs.ok ? [] : [diffs.problem]),
  ];
  const { connection } = connecting;
  if (problems.length > 0 || !connection || !configId.ok || prNumber === undefined || !diffs.ok)
    return refuse(problems, "submit", out);
  let result: SubmitCiJob;
  try {
    result = await connection.client.uploadPrChanges(configId.value.id, prNumber, diffs.value as CiDiff[]);
  } catch (error) {
    if (isDatafoldInputError(error)) {
      // The client names each bad item and field (`diffs[0].prod`); its messages are used as they are.
      return refuse(
        error.issues.map((issue) => `${issue.field} (from ${diffs.from}): ${issue.message}`),
        "submit",
        out,
      );
    }
    return reportFailure(error, connection, configId.value, out);
  }
  if (commandLine.booleans.has("json")) out.result(JSON.stringify(result));
  if (result.ci_run_id == null) {
    const message =
      `Datafold has no run waiting for PR #${prNumber} of CI config ${configId.value.id}, so the diffs were not attached ` +
      "(Datafold answered null ids). Trigger a run first (datafold-ci trigger), then submit.";
    if (commandLine.booleans.has("require-run")) {
      out.error(`${message} (--require-run: exit ${ExitCode.NoRunStarted})`);
      return ExitCode.NoRunStarted;
    }
    out.warn(message);
    return ExitCode.Ok;
  }
  if (!commandLine.booleans.has("json"))
    out.info(
      `${diffs.value.length} diff(s) for PR #${prNumber} sent to Datafold CI run ${result.ci_run_id}.`,
    );
  return ExitCode.Ok;
}

type Diffs = { ok: true; value: unknown[]; from: string } | { ok: false; problem: string };

async function readDiffs(commandLine: CommandLine, options: CliOptions): Promise<Diffs> {
  const flag = commandLine.strings.get("diffs");
  const from = flag ? `${flag.typed} ${flag.value}` : "stdin";
  let text: string;
  try {
    if (flag) text = await (options.readFile ?? ((path) => readFileFromDisk(path, "utf8")))(flag.value);
    else {
      const stdin = options.stdin ?? process.stdin;
      if ((stdin as { isTTY?: boolean }).isTTY)
        return {
          ok: false,
          problem:
            "no --diffs file was given and stdin is a terminal: pass --diffs <file> or pipe the JSON in",
        };
      const chunks: string[] = [];
      const decoder = new TextDecoder();
      for await (const chunk of stdin)
        chunks.push(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
      text = chunks.join("") + decoder.decode();
    }
  } catch (error) {
    return { ok: false, problem: `${from} could not be read: ${(error as Error).message}` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      problem: `${from} is not JSON (${(error as Error).message}): expected an array of diffs, e.g. [{"prod": "db.sch.t", "pr": "db.pr.t"}]`,
    };
  }
  if (!Array.isArray(parsed))
    return {
      ok: false,
      problem: `${from} holds ${parsed === null ? "null" : typeof parsed}: expected a JSON array of diffs, e.g. [{"prod": "db.sch.t", "pr": "db.pr.t"}]`,
    };
  return { ok: true, value: parsed, from };
}
