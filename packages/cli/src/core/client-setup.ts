import { editDistance } from "@datafold-ci/api-description";
import {
  clientDefaults,
  createDatafoldClient,
  type DatafoldClient,
  DatafoldInputError,
  type ResolvedConfig,
} from "@datafold-ci/client";
import { undeclaredFields } from "@datafold-ci/client/undeclared-fields";
import { everyFlag } from "../args/flag-table.js";
import { ciProviders } from "../ci/providers.js";
import { envValue } from "../ci/read-variable.js";
import type { CliOptions, ConnectionSettings, Env, Output, SourcedValue } from "../types.js";
import { inspectNetwork, type NetworkContext } from "../net/network-context.js";
import { causeLine } from "./failure-report.js";
import { type RequestProgress, requestReporter } from "./request-progress.js";

/** A client made from the command line and the environment, with what messages need to say about it. */
export interface Connection {
  readonly client: DatafoldClient;
  readonly host: SourcedValue;
  /** The per-attempt timeout, for messages. */
  readonly timeoutSeconds: number;
  /** The proxy and CA options, for messages. */
  readonly network: NetworkContext;
  /** `--max-time`, each request's whole budget, for messages. */
  readonly maxTimeSeconds: number;
  /** What the requests have done so far, for failure messages. */
  readonly progress: RequestProgress;
}

/**
 * What {@link setUpClient} made: a connection when the client could be made (nothing is sent yet), and
 * every problem with the flags and variables it read.
 */
export interface ClientSetup {
  readonly connection: Connection | undefined;
  readonly host: SourcedValue;
  /** The variable the API key came from, `undefined` when none is set. */
  readonly apiKeyVariable: string | undefined;
  readonly problems: readonly string[];
}

/**
 * The one place the CLI makes its client, for every command: from the connection settings, `--debug` and the
 * `DATAFOLD_*` variables (the key and, without `--host`, the host, which the client reads itself). Sends
 * nothing. Registers the API key with `out` so no line can print it. The bin may have installed a proxy
 * dispatcher before this (`useProxyFromEnv`); the client's `fetch` goes through it.
 */
export function setUpClient(
  settings: ConnectionSettings,
  options: CliOptions,
  out: Output,
  fetchOverride?: typeof globalThis.fetch,
): ClientSetup {
  const { env } = options;
  const misplaced = misplacedKeyVariables(env);
  // A key in a near-miss variable is a key all the same: hidden like the real one.
  for (const name of [...clientDefaults.apiKeyVariables, ...misplaced]) {
    const raw = env[name];
    if (raw !== undefined) for (const secret of [raw, raw.trim()]) out.hide(secret);
  }
  const problems: string[] = [];
  const { timeoutSeconds, maxTimeSeconds, retries, host: hostFlag } = settings;
  const anyKey = clientDefaults.apiKeyVariables.some((name) => envValue(env, name)?.trim());
  if (!anyKey) problems.push(missingApiKey(env, misplaced));
  const reporter = requestReporter(out, timeoutSeconds);
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
      timeoutMs: Math.round(timeoutSeconds * 1000),
      totalTimeoutMs: Math.round(maxTimeSeconds * 1000),
      maxRetries: retries,
      allowInsecureHttp: settings.allowInsecureHttp,
      // The client's messages name these as a CLI user knows them.
      sources: {
        baseUrl: `flag ${hostFlag?.source.name ?? "--host"}`,
        allowInsecureHttp: "--allow-insecure-http",
      },
      userAgent: `datafold-ci-cli/${__PACKAGE_VERSION__}`,
      ...(fetch && { fetch }),
      ...reporter.callbacks,
    });
  } catch (error) {
    if (!(error instanceof DatafoldInputError)) throw error;
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
  // The sources are the client's; without a client, the report shows what was given.
  const host = client ? hostOf(client.config, hostFlag) : givenHost(hostFlag, env);
  const apiKeyVariable =
    client?.config.apiKeySource ?? clientDefaults.apiKeyVariables.find((name) => envValue(env, name)?.trim());
  const connection =
    client && problems.length === 0
      ? {
          client: out.debugEnabled ? notingUndeclaredFields(client, out) : client,
          host,
          timeoutSeconds,
          maxTimeSeconds,
          progress: reporter.progress,
          network: network.context,
        }
      : undefined;
  return { connection, host, apiKeyVariable, problems };
}

/**
 * `client` with each method first naming, with --debug, the body fields the spec does not declare: the
 * client sends them as given, and Datafold ignores them, so a misspelt optional field is worth a line.
 */
function notingUndeclaredFields(client: DatafoldClient, out: Output): DatafoldClient {
  const noting = { ...client };
  for (const [name, method] of Object.entries(client)) {
    if (typeof method !== "function") continue;
    Reflect.set(noting, name, (...args: unknown[]) => {
      for (const { field, message } of undeclaredFields(name, args)) out.debug(`${field} ${message}`);
      return Reflect.apply(method, client, args);
    });
  }
  return noting;
}

function hostOf(config: ResolvedConfig, flag: SourcedValue | undefined): SourcedValue {
  const source: SourcedValue["source"] = flag
    ? flag.source
    : config.baseUrlSource === "DATAFOLD_HOST"
      ? { kind: "env", name: config.baseUrlSource }
      : { kind: "default", name: config.baseUrlSource };
  return { value: config.baseUrl, source };
}

// Only for --dry-run's report when the client could not be made: its problems say what is wrong.
function givenHost(flag: SourcedValue | undefined, env: Env): SourcedValue {
  if (flag) return flag;
  const fromEnv = envValue(env, "DATAFOLD_HOST");
  if (fromEnv !== undefined) return { value: fromEnv, source: { kind: "env", name: "DATAFOLD_HOST" } };
  // A spec with no servers gives no default: the client's problem then asks for --host.
  return { value: clientDefaults.baseUrl ?? "(none)", source: { kind: "default", name: "the default" } };
}

/**
 * Variables that look meant to hold the API key but are not read for it: another spelling of a key
 * variable (a typo, another case) or a `DATAFOLD` variable named for a key, token or secret. The CLI's
 * own variables are not.
 */
function misplacedKeyVariables(env: Env): string[] {
  const own = new Set(everyFlag().flatMap((flag) => (flag.env ? [flag.env] : [])));
  const accepted = clientDefaults.apiKeyVariables;
  return Object.keys(env).filter((name) => {
    if (accepted.includes(name) || own.has(name) || envValue(env, name) === undefined) return false;
    const upper = name.toUpperCase();
    return (
      accepted.some((key) => editDistance(upper, key) <= 2) ||
      (upper.includes("DATAFOLD") && /KEY|TOKEN|SECRET/.test(upper))
    );
  });
}

/**
 * One message for a key that is not there: not set, or set but empty (never both). A near-miss variable
 * is named (never its value); else the usual reason a secret does not reach a job, for the CI detected,
 * or for each CI when none is (for an empty key: something set it, so it was probably a CI).
 */
function missingApiKey(env: Env, misplaced: readonly string[]): string {
  const [primary, ...legacy] = clientDefaults.apiKeyVariables;
  const empty = clientDefaults.apiKeyVariables.filter((name) => env[name] !== undefined);
  const head =
    empty.length > 0
      ? `${empty.join(" and ")} ${empty.length > 1 ? "are" : "is"} set but empty`
      : `${primary} is not set`;
  if (misplaced.length > 0)
    return (
      `${head}: found ${misplaced.join(" and ")}; the key is read from ${primary}` +
      `${legacy.length > 0 ? ` (or the legacy ${legacy.join(", ")})` : ""}, never from another variable or a flag. ` +
      "Rename the variable where it is set."
    );
  const provider = ciProviders.find((candidate) => candidate.isActive(env));
  const causes = (provider ? [provider] : ciProviders).flatMap((ci) => ci.withheldSecrets ?? []);
  if (empty.length > 0)
    return causes.length > 0
      ? `${head}: a CI passes a secret it withholds from a job as an empty value. ${causes.length > 1 ? "Usual causes" : "The usual cause"}: ${causes.join("; ")}.`
      : `${head}: a CI passes a secret it withholds from a job as an empty value; check that ${provider?.name ?? "the CI"} gives this job the secret as ${primary}.`;
  const ask = `${head}: set it to a Datafold API key from your CI's secret store (the key is never read from a flag).`;
  return provider && causes.length > 0 ? `${ask} If it is set there: ${causes.join("; ")}.` : ask;
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
      out.debug(`← no response after ${Math.round(performance.now() - started)} ms: ${causeLine(error)}`);
      throw error;
    }
  };
}
