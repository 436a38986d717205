import {
  API_KEY_VARIABLES,
  createDatafoldClient,
  type DatafoldClient,
  DEFAULT_BASE_URL,
  isDatafoldInputError,
  type ResolvedConfig,
} from "@datafold-ci/client";
import { parseRetries, parseTimeoutSeconds } from "./attempt-flags.js";
import { envValue } from "./ci/read-variable.js";
import type { CliOptions } from "./cli-options.js";
import { ExitCode } from "./exit-codes.js";
import { describeRetry, explainFailure } from "./explain-failure.js";
import type { Output } from "./output.js";
import { inspectNetwork, type NetworkContext } from "./net/network-context.js";
import type { CommandLine, FlagValue } from "./parse-command-line.js";
import type { SourcedValue } from "./value-source.js";

/** A client made from the command line and the environment, with what messages need to say about it. */
export interface Connection {
  readonly client: DatafoldClient;
  readonly host: SourcedValue;
  /** The per-attempt timeout, for messages. */
  readonly timeoutSeconds: number;
  /** The proxy and CA options, for messages. */
  readonly network: NetworkContext;
}

/** What {@link connect} found: a connection, or every problem with the flags and variables it reads. */
export interface Connecting {
  readonly connection: Connection | undefined;
  readonly host: SourcedValue;
  /** The variable the API key came from, `undefined` when none is set. */
  readonly apiKeyVariable: string | undefined;
  readonly problems: readonly string[];
}

/**
 * The one place the CLI turns `--host`, `--timeout`, `--retries`, `--allow-insecure-http`, `--debug`
 * and `DATAFOLD_*` into a client, for every command. Registers the API key with `out` so no line can print it.
 */
export function connect(
  commandLine: CommandLine,
  options: CliOptions,
  out: Output,
  fetchOverride?: typeof globalThis.fetch,
): Connecting {
  const { env } = options;
  for (const name of API_KEY_VARIABLES) {
    const raw = env[name];
    if (raw !== undefined) for (const secret of [raw, raw.trim()]) out.hide(secret);
  }
  const problems: string[] = [];
  const timeout = parseTimeoutSeconds(commandLine.strings.get("timeout"));
  const retries = parseRetries(commandLine.strings.get("retries"));
  for (const parsed of [timeout, retries]) if (!parsed.ok) problems.push(parsed.problem);
  const timeoutSeconds = timeout.ok ? timeout.value : 0;
  const hostFlag = commandLine.strings.get("host");
  const anyKey = API_KEY_VARIABLES.some((name) => envValue(env, name)?.trim());
  if (!anyKey) problems.push(missingApiKey(env));
  if (timeout.ok && retries.ok)
    out.debug(`Each attempt may take ${timeout.value} s; at most ${retries.value + 1} attempts.`);
  // The client is given a fetch only to capture (--dry-run), trace (--debug) or honour an embedder's;
  // otherwise it uses the platform's.
  const fetch =
    fetchOverride ??
    (options.fetch || out.debugEnabled ? tracing(options.fetch ?? globalThis.fetch, out) : undefined);
  let client: DatafoldClient | undefined;
  try {
    client = createDatafoldClient({
      env,
      // Without --host the client reads DATAFOLD_HOST itself: host and key are resolved once, there.
      ...(hostFlag && { baseUrl: hostFlag.value }),
      ...(timeout.ok ? { timeoutMs: Math.round(timeout.value * 1000) } : {}),
      ...(retries.ok ? { maxRetries: retries.value } : {}),
      allowInsecureHttp: commandLine.booleans.has("allow-insecure-http"),
      // The client's messages name these as a CLI user knows them.
      sources: {
        baseUrl: `flag ${hostFlag?.typed ?? "--host"}`,
        allowInsecureHttp: "--allow-insecure-http",
      },
      userAgent: `datafold-ci-cli/${__PACKAGE_VERSION__}`,
      ...(fetch && { fetch }),
      onRetry: (event) => out.info(describeRetry(event, timeoutSeconds)),
      onStartedRunCheck: (event) => {
        if (event.type === "found")
          out.info(
            `attempt ${event.attempt} failed, yet it started Datafold CI run ${event.ciRunId}: not triggering again`,
          );
        else if (event.type === "unavailable")
          (event.fallback === "stop" ? out.warn : out.debug)(
            `could not look for a run the failed attempt started: ${event.reason}`,
          );
        else
          out.debug(
            event.type === "baseline"
              ? `${event.runs} run(s) already listed for the PR head`
              : `attempt ${event.attempt} started no run: retrying`,
          );
      },
    });
  } catch (error) {
    if (!isDatafoldInputError(error)) throw error;
    for (const issue of error.issues) {
      // A missing key is already reported above, with the CLI's advice (the key is never read from a flag).
      // (The client's wording, "pass the apiKey option", has no meaning to a CLI user.)
      if (issue.field === "apiKey" && !anyKey) continue;
      problems.push(
        issue.field === "baseUrl" || issue.field === "apiKey"
          ? issue.message
          : `${issue.field}: ${issue.message}`,
      );
    }
  }
  // The proxy variables: their passwords hidden, their problems usage errors, their route in --debug.
  const network = inspectNetwork(env, client?.baseUrl, out);
  problems.push(...network.problems);
  // The sources are the client's (issue 10 part 5); without a client, the report shows what was given.
  const host = client ? hostOf(client.config, hostFlag) : givenHost(hostFlag, env);
  const apiKeyVariable =
    client?.config.apiKeySource ?? API_KEY_VARIABLES.find((name) => envValue(env, name)?.trim());
  const connection =
    client && problems.length === 0 ? { client, host, timeoutSeconds, network: network.context } : undefined;
  return { connection, host, apiKeyVariable, problems };
}

/**
 * Prints what a failed call means (`explainFailure`) and returns exit 1; rethrows an error the client does
 * not describe, which is a bug (exit 70).
 */
export function reportFailure(
  error: unknown,
  connection: Connection,
  ciConfigId: SourcedValue,
  out: Output,
  prefix = "",
): ExitCode {
  const message = explainFailure(error, {
    baseUrl: connection.client.baseUrl,
    host: connection.host,
    ciConfigId,
    timeoutSeconds: connection.timeoutSeconds,
    maxRetries: connection.client.config.maxRetries,
    network: connection.network,
  });
  if (message === undefined) throw error;
  out.error(`${prefix}${message}`);
  return ExitCode.RequestFailed;
}

/** Prints every problem and that nothing was sent; the exit code of a usage error. */
export function refuse(problems: readonly string[], command: string, out: Output): 2 {
  for (const problem of problems) out.error(problem);
  out.note(`Nothing was sent. Run "datafold-ci ${command} --help" for every flag and variable.`);
  return 2;
}

function hostOf(config: ResolvedConfig, flag: FlagValue | undefined): SourcedValue {
  const source: SourcedValue["source"] = flag
    ? { kind: "flag", name: flag.typed }
    : config.baseUrlSource === "DATAFOLD_HOST"
      ? { kind: "env", name: config.baseUrlSource }
      : { kind: "default", name: config.baseUrlSource };
  return { value: config.baseUrl, source };
}

// Only for --dry-run's report when the client could not be made: its problems say what is wrong.
function givenHost(
  flag: FlagValue | undefined,
  env: Readonly<Record<string, string | undefined>>,
): SourcedValue {
  if (flag) return { value: flag.value, source: { kind: "flag", name: flag.typed } };
  const fromEnv = envValue(env, "DATAFOLD_HOST");
  if (fromEnv !== undefined) return { value: fromEnv, source: { kind: "env", name: "DATAFOLD_HOST" } };
  // A spec with no servers gives no default (issue 14): the client's problem then asks for --host.
  return { value: DEFAULT_BASE_URL ?? "(none)", source: { kind: "default", name: "the default" } };
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
