import { readFile as readFileFromDisk } from "node:fs/promises";
import {
  API_KEY_VARIABLES,
  type APIPrDetails,
  checkTriggerInput,
  createDatafoldClient,
  type DatafoldClient,
  DEFAULT_BASE_URL,
  isDatafoldInputError,
  type SubmitCiJob,
} from "@datafold-ci/client";
import { parseRetries, parseTimeoutSeconds } from "./attempt-flags.js";
import { detectCi } from "./ci/detect-ci.js";
import { envValue } from "./ci/read-variable.js";
import type { CliOptions } from "./cli-options.js";
import { describeValues, formatValueReport, type ValueReport } from "./describe-values.js";
import { explainInputProblems, toRequestInput } from "./explain-input-problems.js";
import { describeRetry, explainFailure } from "./explain-failure.js";
import { ExitCode } from "./exit-codes.js";
import { createGitRunner } from "./git/git-runner.js";
import type { Output } from "./output.js";
import type { CommandLine } from "./parse-command-line.js";
import { resolveTriggerValues, type TriggerValues } from "./resolve-trigger-values.js";
import { describeSource, type SourcedValue } from "./value-source.js";

/** A request `--dry-run` stopped before it left. */
interface CapturedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/**
 * `datafold-ci trigger`: resolves the values (flags, `DATAFOLD_*`, the CI, git), refuses bad input before
 * sending anything, starts the run and reports it.
 */
export async function runTrigger(
  commandLine: CommandLine,
  options: CliOptions,
  out: Output,
): Promise<ExitCode> {
  const { env } = options;
  const given = (name: string) => commandLine.booleans.has(name);
  for (const name of API_KEY_VARIABLES) {
    const raw = env[name];
    if (raw !== undefined) for (const secret of [raw, raw.trim()]) out.hide(secret);
  }
  const problems: string[] = [];
  const timeout = parseTimeoutSeconds(commandLine.strings.get("timeout"));
  const retries = parseRetries(commandLine.strings.get("retries"));
  for (const parsed of [timeout, retries]) if (!parsed.ok) problems.push(parsed.problem);
  const timeoutSeconds = timeout.ok ? timeout.value : 0;

  const detection = await detectCi({
    env,
    readFile: options.readFile ?? ((path) => readFileFromDisk(path, "utf8")),
  });
  const resolved = await resolveTriggerValues({
    flags: commandLine.strings,
    env,
    detection,
    git: options.git ?? createGitRunner(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  for (const warning of resolved.warnings) out.warn(warning);
  const host = resolveHost(commandLine, env);
  const apiKeyVariable = API_KEY_VARIABLES.find((name) => envValue(env, name)?.trim());
  if (apiKeyVariable === undefined) problems.push(missingApiKey(env));
  problems.push(...explainInputProblems(resolved, detection, checkTriggerInput));

  const report = describeValues(resolved, host, apiKeyVariable, detection);
  const dryRun = given("dry-run");
  if (dryRun && !given("json")) for (const line of formatValueReport(report)) out.result(line);
  else for (const line of formatValueReport(report)) out.debug(line);

  if (timeout.ok && retries.ok)
    out.debug(`Each attempt may take ${timeout.value} s; at most ${retries.value + 1} attempts.`);
  const captured: CapturedRequest[] = [];
  // The client is given a fetch only to capture (--dry-run), trace (--debug) or honour an embedder's;
  // otherwise it uses the platform's.
  const fetch = dryRun
    ? captureInto(captured)
    : options.fetch || out.debugEnabled
      ? tracing(options.fetch ?? globalThis.fetch, out)
      : undefined;
  let client: DatafoldClient | undefined;
  try {
    client = createDatafoldClient({
      env,
      ...(host && { baseUrl: host.value }),
      ...(timeout.ok ? { timeoutMs: Math.round(timeout.value * 1000) } : {}),
      ...(retries.ok ? { maxRetries: retries.value } : {}),
      allowInsecureHttp: given("allow-insecure-http"),
      // The client's messages name these as a CLI user knows them.
      sources: {
        baseUrl: host ? `--host (from ${describeSource(host.source)})` : "--host",
        allowInsecureHttp: "--allow-insecure-http",
      },
      userAgent: `datafold-ci-cli/${__PACKAGE_VERSION__}`,
      ...(fetch && { fetch }),
      onRetry: (event) => out.info(describeRetry(event, timeoutSeconds)),
    });
  } catch (error) {
    if (!isDatafoldInputError(error)) throw error;
    for (const issue of error.issues) {
      // A missing key is already reported above, with the CLI's advice (the key is never read from a flag).
      if (issue.field === "apiKey" && apiKeyVariable === undefined) continue;
      problems.push(
        issue.field === "baseUrl" || issue.field === "apiKey"
          ? issue.message
          : `${issue.field}: ${issue.message}`,
      );
    }
  }
  if (problems.length > 0 || client === undefined) {
    for (const problem of problems) out.error(problem);
    out.note('Nothing was sent. Run "datafold-ci trigger --help" for every flag and variable.');
    return ExitCode.Usage;
  }

  const { ciConfigId, details } = toRequestInput(resolved.values);
  let result: SubmitCiJob;
  try {
    result = await client.triggerPrRun(ciConfigId as number, details as unknown as APIPrDetails);
  } catch (error) {
    if (isDatafoldInputError(error)) {
      for (const issue of error.issues) out.error(`${issue.field}: ${issue.message}`);
      return ExitCode.Usage;
    }
    const message = explainFailure(error, {
      baseUrl: client.baseUrl,
      // The client was made, so it had a host.
      host: host!,
      ciConfigId: resolved.values.ci_config_id!,
      timeoutSeconds,
    });
    if (message === undefined) throw error;
    out.error(message);
    return ExitCode.RequestFailed;
  }

  if (dryRun) {
    printDryRun(captured[0]!, report, given("json"), out);
    return ExitCode.Ok;
  }
  return reportResult(result, resolved.values, commandLine, out);
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
  if (json) out.result(JSON.stringify(result));
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
    out.warn(message);
    return ExitCode.Ok;
  }
  if (!json && !commandLine.booleans.has("quiet"))
    out.result(`Datafold CI run ${result.ci_run_id} started for ${pr}`);
  return ExitCode.Ok;
}

function resolveHost(
  commandLine: CommandLine,
  env: Readonly<Record<string, string | undefined>>,
): SourcedValue | undefined {
  const flag = commandLine.strings.get("host");
  if (flag) return { value: flag.value, source: { kind: "flag", name: flag.typed } };
  const fromEnv = envValue(env, "DATAFOLD_HOST");
  if (fromEnv !== undefined) return { value: fromEnv, source: { kind: "env", name: "DATAFOLD_HOST" } };
  // A spec with no servers gives no default (issue 14); the client then asks for --host.
  if (DEFAULT_BASE_URL === undefined) return undefined;
  return { value: DEFAULT_BASE_URL, source: { kind: "default", name: "the default" } };
}

function missingApiKey(env: Readonly<Record<string, string | undefined>>): string {
  const blank = API_KEY_VARIABLES.filter((name) => env[name] !== undefined);
  return (
    "DATAFOLD_API_KEY is not set: set it to a Datafold API key, from your CI's secret store (the key is never read from a flag)" +
    (blank.length === 0
      ? "."
      : `. ${blank.join(" and ")} ${blank.length > 1 ? "are" : "is"} set but empty: CI systems withhold secrets from some builds, e.g. pull requests from forks.`)
  );
}

function captureInto(captured: CapturedRequest[]): typeof globalThis.fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const text = await request.text();
    const headers: Record<string, string> = {};
    for (const [name, value] of request.headers)
      headers[name] = name === "authorization" ? value.replace(/^(Key )?.*$/, "$1[REDACTED]") : value;
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

// With --debug, each attempt on its own line: what went out (key redacted) and what came back.
function tracing(fetch: typeof globalThis.fetch, out: Output): typeof globalThis.fetch {
  if (!out.debugEnabled) return fetch;
  return async (input, init) => {
    // Logged from the client's own Request, which goes on as it is: a copy's signal would follow the
    // original's through a link only the copy holds, so a timeout could miss the socket (nodejs/undici#4068).
    const request = input instanceof Request ? input : new Request(input, init);
    const started = performance.now();
    out.debug(`→ ${request.method} ${request.url}`);
    try {
      const response = await fetch(input, init);
      out.debug(`← ${response.status} in ${Math.round(performance.now() - started)} ms`);
      return response;
    } catch (error) {
      out.debug(`← no response after ${Math.round(performance.now() - started)} ms: ${String(error)}`);
      throw error;
    }
  };
}
