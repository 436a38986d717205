import { API_KEY_VARIABLES, AUTHORIZATION_KEY_PREFIX } from "@datafold-ci/api-description";
import { defaultEnv, type Env, firstSetEnv, readEnv } from "./env.js";
import { DatafoldInputError } from "./errors.js";
import { nearest } from "./nearest-name.js";
import type { InputIssue } from "./input-issue.js";
import type { CallOptions, DatafoldClientOptions, RetryEvent, StartedRunCheckEvent } from "./options.js";
import { MAX_RETRY_AFTER_MS, RETRYABLE_STATUSES, TRIGGER_RETRYABLE_STATUSES } from "./retry-policy.js";

/**
 * Every default of the client, in one place: what an option is when not given, and the retry policy
 * the options tune. Tools that describe the client (the CLI's `--help`) read them here.
 *
 * @example
 * clientDefaults.retryableStatuses.join(", "); // "408, 409, 429, 500, 502, 503, 504"
 */
export const clientDefaults: ClientDefaults = Object.freeze({
  // The spec's first server, baked in at build time: a spec that names none leaves every client to
  // give baseUrl or DATAFOLD_HOST.
  baseUrl: __DEFAULT_BASE_URL__,
  apiKeyVariables: API_KEY_VARIABLES,
  timeoutMs: 30_000,
  totalTimeoutMs: 120_000,
  maxRetries: 2,
  retryableStatuses: RETRYABLE_STATUSES,
  triggerRetryableStatuses: TRIGGER_RETRYABLE_STATUSES,
  maxRetryAfterMs: MAX_RETRY_AFTER_MS,
});

/** The shape of {@link clientDefaults}. */
export interface ClientDefaults {
  /** Where Datafold's API is unless told otherwise: the spec's first server, or `undefined` when it names none. */
  readonly baseUrl: string | undefined;
  /** The environment variables the API key is read from, in order: `DATAFOLD_API_KEY`, then the legacy `DATAFOLD_APIKEY`. */
  readonly apiKeyVariables: readonly string[];
  /** One attempt's limit, in milliseconds. */
  readonly timeoutMs: number;
  /** One call's limit, every attempt, wait and look included, in milliseconds. */
  readonly totalTimeoutMs: number;
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** The statuses after which a call is retried, ascending (409: lock contention), as the Stainless SDKs retry them. */
  readonly retryableStatuses: readonly number[];
  /** Those `triggerPrRun` retries: all but 409, which says a conflicting request is in progress, so a second trigger could start a second run. */
  readonly triggerRetryableStatuses: readonly number[];
  /** The longest `Retry-After` (or `retry-after-ms`) waited out; a longer one ends the call with that answer. */
  readonly maxRetryAfterMs: number;
}

// setTimeout fires at once for delays above 2^31 - 1 ms (Node's TimeoutOverflowWarning, browsers alike).
const MAX_TIMEOUT_MS = 2_147_483_647;

/** Every option {@link DatafoldClientOptions} has, for refusing unknown ones. */
const CLIENT_OPTION_NAMES = [
  "apiKey",
  "baseUrl",
  "timeoutMs",
  "totalTimeoutMs",
  "maxRetries",
  "fetch",
  "headers",
  "allowInsecureHttp",
  "onRetry",
  "onStartedRunCheck",
  "env",
  "userAgent",
  "sources",
] as const satisfies readonly (keyof DatafoldClientOptions)[];

/** Every option {@link CallOptions} has; an operation's retry hook may add its own. */
export const CALL_OPTION_NAMES = [
  "signal",
  "timeoutMs",
  "totalTimeoutMs",
  "maxRetries",
] as const satisfies readonly (keyof CallOptions)[];

/**
 * The client's configuration as a tool reports it (`datafold.config`): each value after defaults
 * and the environment, and where it came from, worded for messages.
 */
export interface ResolvedConfig {
  /** Normalised: scheme, host, path prefix, no trailing slash. */
  readonly baseUrl: string;
  /** `DATAFOLD_HOST`, `the default`, or the `baseUrl` option as `sources.baseUrl` names it. */
  readonly baseUrlSource: string;
  /** `DATAFOLD_API_KEY`, `DATAFOLD_APIKEY`, or the `apiKey` option as `sources.apiKey` names it. The key itself is never here. */
  readonly apiKeySource: string;
  readonly timeoutMs: number;
  readonly totalTimeoutMs: number;
  readonly maxRetries: number;
}

/** The options after defaults, environment and validation: what {@link ResolvedConfig} shows, and the rest. */
export interface ClientConfig extends ResolvedConfig {
  /** The key without the `Key ` prefix: what must never leak. */
  readonly apiKey: string;
  /** The caller's `fetch`; `undefined` for the platform's, looked up per attempt. */
  readonly fetch: typeof globalThis.fetch | undefined;
  /** Request headers, `Authorization` and `User-Agent` included. */
  readonly headers: Readonly<Record<string, string>>;
  readonly onRetry: ((event: RetryEvent) => void) | undefined;
  readonly onStartedRunCheck: ((event: StartedRunCheckEvent) => void) | undefined;
}

/**
 * Applies defaults and the environment to `options` and checks every value.
 * @throws {DatafoldInputError} listing every bad option, before any request.
 */
export function resolveClientConfig(
  options: DatafoldClientOptions,
  defaults: ClientDefaults = clientDefaults,
): ClientConfig {
  const issues: InputIssue[] = unknownOptions(options, CLIENT_OPTION_NAMES);
  const env = options.env ?? defaultEnv();
  const key = resolveApiKey(options, env, issues);
  const baseUrl = resolveBaseUrl(options, env, defaults.baseUrl, issues);
  issues.push(...checkAttemptOptions(options));
  for (const name of ["fetch", "onRetry", "onStartedRunCheck"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function")
      issues.push({ field: name, message: `must be a function (got ${typeof options[name]})` });
  }
  for (const issue of unknownOptions(options.sources ?? {}, ["apiKey", "baseUrl", "allowInsecureHttp"]))
    issues.push({ ...issue, field: `sources.${issue.field}` });
  for (const [name, value] of Object.entries(options.sources ?? {})) {
    if (value !== undefined && typeof value !== "string")
      issues.push({ field: `sources.${name}`, message: `must be a string (got ${typeof value})` });
  }
  const userAgent = [options.userAgent, `${__PACKAGE_NAME__}/${__PACKAGE_VERSION__}`]
    .filter(Boolean)
    .join(" ");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...options.headers, "User-Agent": userAgent })) {
    if (!isValidHeader(name, value)) {
      const field = name === "User-Agent" ? "userAgent" : "headers";
      issues.push({ field, message: `"${name}" is not a valid HTTP header name and string value` });
    } else if (!/^(authorization|user-agent)$/i.test(name)) {
      headers[name] = value;
    }
  }
  if (issues.length > 0) throw new DatafoldInputError(issues, "Datafold client options");

  return {
    apiKey: key!.value,
    apiKeySource: key!.source,
    baseUrl: baseUrl!.value,
    baseUrlSource: baseUrl!.source,
    timeoutMs: options.timeoutMs ?? defaults.timeoutMs,
    totalTimeoutMs: options.totalTimeoutMs ?? defaults.totalTimeoutMs,
    maxRetries: options.maxRetries ?? defaults.maxRetries,
    fetch: options.fetch,
    headers: {
      ...headers,
      Authorization: `${AUTHORIZATION_KEY_PREFIX}${key!.value}`,
      "User-Agent": userAgent,
    },
    onRetry: options.onRetry,
    onStartedRunCheck: options.onStartedRunCheck,
  };
}

/** Checks `timeoutMs`, `totalTimeoutMs` and `maxRetries`, as given to the client or to one call. */
export function checkAttemptOptions(options: {
  timeoutMs?: unknown;
  totalTimeoutMs?: unknown;
  maxRetries?: unknown;
}): InputIssue[] {
  const issues: InputIssue[] = [];
  const { maxRetries } = options;
  for (const field of ["timeoutMs", "totalTimeoutMs"] as const) {
    const value = options[field];
    if (value !== undefined && !(typeof value === "number" && value > 0 && value <= MAX_TIMEOUT_MS))
      issues.push({
        field,
        message: `must be a number of milliseconds from 1 to ${MAX_TIMEOUT_MS} (got ${String(value)})`,
      });
  }
  if (maxRetries !== undefined && !(Number.isSafeInteger(maxRetries) && (maxRetries as number) >= 0))
    issues.push({
      field: "maxRetries",
      message: `must be a whole number, 0 or more; 0 turns retries off (got ${String(maxRetries)})`,
    });
  return issues;
}

/**
 * Issues for the names in `options` that `known` lacks, each with the nearest known name: a JavaScript
 * caller's typo (`timeout` for `timeoutMs`) would otherwise be ignored, its default silently kept.
 */
export function unknownOptions(options: object, known: readonly string[]): InputIssue[] {
  if (options === null || typeof options !== "object") return [];
  return Object.keys(options)
    .filter((name) => !known.includes(name))
    .map((name) => {
      const near = nearest(name, known);
      return {
        field: name,
        message: `is not an option (${near ? `did you mean ${near}?` : `expected one of ${known.join(", ")}`})`,
      };
    });
}

// A key given with its prefix (`Key abc…`, as pasted from a curl example) is not prefixed twice.
const KEY_PREFIX = new RegExp(`^${AUTHORIZATION_KEY_PREFIX.trim()}\\s+`);

function resolveApiKey(
  options: DatafoldClientOptions,
  env: Env,
  issues: InputIssue[],
): { value: string; source: string } | undefined {
  const fromEnv = firstSetEnv(env, clientDefaults.apiKeyVariables);
  const option = options.sources?.apiKey ?? "the apiKey option";
  const [source, raw]: [string, unknown] =
    options.apiKey !== undefined
      ? [option, options.apiKey]
      : [fromEnv?.name ?? "the environment", fromEnv?.value];
  if (raw === undefined || (typeof raw === "string" && raw.trim() === "")) {
    const blank =
      options.apiKey !== undefined
        ? [option]
        : clientDefaults.apiKeyVariables.filter((name) => readEnv(env, name) !== undefined);
    issues.push({
      field: "apiKey",
      message:
        `no Datafold API key: pass ${option} or set DATAFOLD_API_KEY (legacy name: DATAFOLD_APIKEY)` +
        (blank.length === 0
          ? ""
          : `; ${blank.join(" and ")} ${blank.length > 1 ? "are" : "is"} set but empty (CI systems withhold secrets from some builds, e.g. pull requests from forks)`),
    });
    return undefined;
  }
  if (typeof raw !== "string") {
    issues.push({ field: "apiKey", message: `${source} must be a string (got ${typeof raw})` });
    return undefined;
  }
  const value = raw.trim().replace(KEY_PREFIX, "");
  // The message never quotes the value: it is the secret.
  if (!/^[\x21-\x7e]+$/.test(value)) {
    issues.push({
      field: "apiKey",
      message: `the API key from ${source} contains spaces, control or non-ASCII characters, which an HTTP header cannot carry; check how it was copied`,
    });
    return undefined;
  }
  return { value, source };
}

function resolveBaseUrl(
  options: DatafoldClientOptions,
  env: Env,
  defaultBaseUrl: string | undefined,
  issues: InputIssue[],
): { value: string; source: string } | undefined {
  const fromEnv = firstSetEnv(env, ["DATAFOLD_HOST"]);
  const option = options.sources?.baseUrl ?? "the baseUrl option";
  if (options.baseUrl === undefined && fromEnv === undefined && defaultBaseUrl === undefined) {
    issues.push({
      field: "baseUrl",
      message: `no Datafold host: pass ${option} or set DATAFOLD_HOST (this build's spec names no default server)`,
    });
    return undefined;
  }
  const [source, raw]: [string, unknown] =
    options.baseUrl !== undefined
      ? [option, options.baseUrl]
      : [fromEnv ? "DATAFOLD_HOST" : "the default", fromEnv?.value ?? defaultBaseUrl];
  const fail = (message: string) => {
    issues.push({ field: "baseUrl", message: `${source} ${message}` });
    return undefined;
  };
  let url: URL;
  try {
    url = new URL(String(raw).trim());
  } catch {
    return fail(
      `is not a full URL (got "${String(raw)}"); expected one with a scheme, e.g. ${defaultBaseUrl ?? "https://datafold.example.com"}`,
    );
  }
  if (url.username || url.password) return fail("must not contain a user name or password");
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return fail(`must start with https:// (got "${String(raw)}")`);
  if (url.search || url.hash) return fail(`must not have a query or fragment (got "${String(raw)}")`);
  if (url.protocol === "http:" && !isLoopback(url.hostname) && options.allowInsecureHttp !== true)
    return fail(
      `is plain http:// to ${url.hostname}, which would send the API key unencrypted; use https://, or pass ${options.sources?.allowInsecureHttp ?? "allowInsecureHttp: true"} if the network is trusted`,
    );
  return { value: url.origin + url.pathname.replace(/\/+$/, ""), source };
}

function isLoopback(hostname: string): boolean {
  // URL has already normalised IPv4 shorthands ("127.1" → "127.0.0.1") and lower-cased the host.
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function isValidHeader(name: string, value: unknown): value is string {
  if (typeof value !== "string") return false;
  try {
    new Headers([[name, value]]);
    return true;
  } catch {
    return false;
  }
}
