import {
  AUTHORIZATION_KEY_PREFIX,
  datafoldApi,
  API_KEY_VARIABLES as KEY_VARIABLES,
} from "@datafold-ci/api-description";
import { defaultEnv, type Env, firstSetEnv, readEnv } from "./env.js";
import { DatafoldInputError } from "./errors/datafold-input-error.js";
import type { InputIssue } from "./input-issue.js";
import type { DatafoldClientOptions } from "./options.js";
import type { RetryEvent } from "./retry-event.js";
import type { StartedRunCheckEvent } from "./started-run-check.js";

/**
 * Where Datafold's API is unless told otherwise: the first `servers` entry of the spec. `undefined`
 * when the spec names no server; every client then needs `baseUrl` or `DATAFOLD_HOST`.
 */
export const DEFAULT_BASE_URL: string | undefined = datafoldApi.servers[0]?.url;

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 2;
// setTimeout fires at once for delays above 2^31 - 1 ms (Node's TimeoutOverflowWarning, browsers alike).
const MAX_TIMEOUT_MS = 2_147_483_647;

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
export function resolveClientConfig(options: DatafoldClientOptions): ClientConfig {
  const env = options.env ?? defaultEnv();
  const issues: InputIssue[] = [];
  const key = resolveApiKey(options, env, issues);
  const baseUrl = resolveBaseUrl(options, env, issues);
  issues.push(...checkAttemptOptions(options));
  for (const name of ["fetch", "onRetry", "onStartedRunCheck"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function")
      issues.push({ field: name, message: `must be a function (got ${typeof options[name]})` });
  }
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
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
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

/** Checks `timeoutMs` and `maxRetries`, as given to the client or to one call. */
export function checkAttemptOptions(options: { timeoutMs?: unknown; maxRetries?: unknown }): InputIssue[] {
  const issues: InputIssue[] = [];
  const { timeoutMs, maxRetries } = options;
  if (
    timeoutMs !== undefined &&
    !(typeof timeoutMs === "number" && timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS)
  )
    issues.push({
      field: "timeoutMs",
      message: `must be a number of milliseconds from 1 to ${MAX_TIMEOUT_MS} (got ${String(timeoutMs)})`,
    });
  if (maxRetries !== undefined && !(Number.isSafeInteger(maxRetries) && (maxRetries as number) >= 0))
    issues.push({
      field: "maxRetries",
      message: `must be a whole number, 0 or more; 0 turns retries off (got ${String(maxRetries)})`,
    });
  return issues;
}

/**
 * The environment variables the API key is read from, in order: `DATAFOLD_API_KEY`, then the legacy
 * `DATAFOLD_APIKEY`. Decided in the private spec package, which the testing kit shares; declared here
 * so the published declarations do not name that unpublished package.
 */
export const API_KEY_VARIABLES: readonly string[] = KEY_VARIABLES;

// A key given with its prefix (`Key abc…`, as pasted from a curl example) is not prefixed twice.
const KEY_PREFIX = new RegExp(`^${AUTHORIZATION_KEY_PREFIX.trim()}\\s+`);

function resolveApiKey(
  options: DatafoldClientOptions,
  env: Env,
  issues: InputIssue[],
): { value: string; source: string } | undefined {
  const fromEnv = firstSetEnv(env, API_KEY_VARIABLES);
  const option = options.sources?.apiKey ?? "the apiKey option";
  const [source, raw]: [string, unknown] =
    options.apiKey !== undefined
      ? [option, options.apiKey]
      : [fromEnv?.name ?? "the environment", fromEnv?.value];
  if (raw === undefined || (typeof raw === "string" && raw.trim() === "")) {
    const blank =
      options.apiKey !== undefined
        ? [option]
        : API_KEY_VARIABLES.filter((name) => readEnv(env, name) !== undefined);
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
  issues: InputIssue[],
): { value: string; source: string } | undefined {
  const fromEnv = firstSetEnv(env, ["DATAFOLD_HOST"]);
  const option = options.sources?.baseUrl ?? "the baseUrl option";
  if (options.baseUrl === undefined && fromEnv === undefined && DEFAULT_BASE_URL === undefined) {
    issues.push({
      field: "baseUrl",
      message: `no Datafold host: pass ${option} or set DATAFOLD_HOST (this build's spec names no default server)`,
    });
    return undefined;
  }
  const [source, raw]: [string, unknown] =
    options.baseUrl !== undefined
      ? [option, options.baseUrl]
      : [fromEnv ? "DATAFOLD_HOST" : "the default", fromEnv?.value ?? DEFAULT_BASE_URL];
  const fail = (message: string) => {
    issues.push({ field: "baseUrl", message: `${source} ${message}` });
    return undefined;
  };
  let url: URL;
  try {
    url = new URL(String(raw).trim());
  } catch {
    return fail(
      `is not a full URL (got "${String(raw)}"); expected one with a scheme, e.g. ${DEFAULT_BASE_URL ?? "https://datafold.example.com"}`,
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
