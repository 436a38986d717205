import {
  clientDefaults,
  DatafoldApiError,
  DatafoldAuthError,
  DatafoldConnectionError,
  type DatafoldError,
  DatafoldInvalidResponseError,
  DatafoldNotFoundError,
  DatafoldRateLimitError,
  DatafoldServerError,
  DatafoldTimeoutError,
  DatafoldValidationError,
  type RetryEvent,
} from "@datafold-ci/client";
import { MAX_RETRIES } from "../args/flags.js";
import { ExitCode } from "../exit-codes.js";
import { explainNetworkFailure } from "../net/explain-network-failure.js";
import type { NetworkContext } from "../net/network-context.js";
import { describeSource } from "../output/describe.js";
import type { Output, SourcedValue } from "../types.js";

/** Where a failed call went, as messages name it: a `Connection` (client-setup.ts) is one. */
export interface CallTarget {
  readonly client: { readonly baseUrl: string; readonly config: { readonly maxRetries: number } };
  readonly host: SourcedValue;
  readonly timeoutSeconds: number;
  /** The proxy and CA options, for messages. */
  readonly network?: NetworkContext | undefined;
}

/** What a failure message refers to. */
export interface FailureContext {
  /** The normalised URL requests went to. */
  readonly baseUrl: string;
  readonly host: SourcedValue;
  readonly ciConfigId: SourcedValue;
  readonly timeoutSeconds: number;
  /** `--retries`: the client's `maxRetries`. */
  readonly maxRetries: number;
  /** The proxy and CA options: proxy and TLS failures are explained with them. */
  readonly network?: NetworkContext;
}

/**
 * Explains a failed trigger in one message: what Datafold (or the network) said, after how many
 * attempts, and what to check. `undefined` for an error the client does not describe (a bug).
 */
export function explainFailure(error: unknown, context: FailureContext): string | undefined {
  if (
    !(error instanceof DatafoldApiError) &&
    !(error instanceof DatafoldTimeoutError) &&
    !(error instanceof DatafoldConnectionError)
  ) {
    if (!(error instanceof DatafoldInvalidResponseError)) return undefined;
    return (
      `${context.baseUrl} answered ${error.status}${attempts(error)} with something that is not Datafold's API response` +
      `${error.bodyExcerpt ? ` (${quote(error.bodyExcerpt)})` : ""}. Check that ${hostFlag(context)} points at Datafold, not a login page or proxy.`
    );
  }
  const proxy = context.network?.proxy;
  const via = proxy ? `, through the proxy at ${proxy.host} (from ${proxy.variable})` : "";
  if (error instanceof DatafoldTimeoutError)
    return (
      `Datafold did not answer within ${context.timeoutSeconds} s${attempts(error)}. ` +
      `Raise --timeout, or check the network path to ${context.baseUrl} (${hostFlag(context)})${via}.`
    );
  if (error instanceof DatafoldConnectionError)
    return (
      (context.network && explainNetworkFailure(error, context.baseUrl, context.network)) ??
      `the connection to ${context.baseUrl} failed${errorCode(error)}${attempts(error)}. ` +
        `Check ${hostFlag(context)} and the network (DNS, proxy, VPN, firewall)${via}.`
    );
  const answered = `Datafold answered ${error.status}${detail(error.detail ?? error.bodyExcerpt)}${attempts(error)}`;
  const configId = `--ci-config-id ${context.ciConfigId.value} (from ${describeSource(context.ciConfigId.source)})`;
  if (error instanceof DatafoldAuthError)
    return `${answered}. Check DATAFOLD_API_KEY: it must be a current API key of ${context.baseUrl} with access to CI config ${context.ciConfigId.value}.`;
  if (error instanceof DatafoldNotFoundError)
    return (
      `${answered}. Check that ${configId} is a CI config of ${context.baseUrl}, and that DATAFOLD_API_KEY ` +
      `belongs to that host: Datafold also answers 404 to an API key it does not recognise.`
    );
  if (error instanceof DatafoldValidationError)
    return (
      `Datafold rejected the request (${error.status}): ${error.errors.map((e) => `${e.loc.join(".")}: ${e.msg}`).join("; ")}. ` +
      "datafold-ci checks every value before sending, so Datafold's API may have changed: run with --dry-run and report it."
    );
  if (error instanceof DatafoldRateLimitError) {
    const limited = `${answered}: Datafold is rate limiting these calls`;
    // The client ends the call at once on a wait longer than it makes: more retries would not help.
    if (error.retryAfterMs !== undefined && error.retryAfterMs > clientDefaults.maxRetryAfterMs)
      return `${limited} and asked to wait ${formatDelay(error.retryAfterMs)}, longer than datafold-ci waits (${formatDelay(clientDefaults.maxRetryAfterMs)}). Wait that long, then run again.`;
    const moreRetriesPossible = error.attempts === context.maxRetries + 1 && context.maxRetries < MAX_RETRIES;
    return `${limited}. Wait a few minutes and run again${moreRetriesPossible ? `, or raise --retries (now ${context.maxRetries})` : ""}.`;
  }
  if (error instanceof DatafoldServerError)
    return `${answered}: a server error at Datafold (or a gateway in front of it). Run again later; if it persists, contact Datafold support.`;
  return `${answered}. Check ${hostFlag(context)} and ${configId}.`;
}

/**
 * Prints what a failed call means ({@link explainFailure}) and returns exit 1; rethrows an error the client
 * does not describe, which is a bug (exit 70).
 */
export function reportFailure(
  error: unknown,
  connection: CallTarget,
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
    ...(connection.network && { network: connection.network }),
  });
  if (message === undefined) throw error;
  out.error(`${prefix}${message}`);
  return ExitCode.RequestFailed;
}

/** Prints every problem with the input and that nothing was sent; the exit code of a usage error. */
export function reportInputProblems(
  problems: readonly string[],
  command: string,
  out: Output,
): typeof ExitCode.Usage {
  for (const problem of problems) out.error(problem);
  out.note(`Nothing was sent. Run "datafold-ci ${command} --help" for every flag and variable.`);
  return ExitCode.Usage;
}

/**
 * What `--retries` retries, as a command's `--help` appends it to the flag: read from the client's
 * retry policy, so the help cannot drift from it. A command that triggers names the statuses only its run
 * listings retry (409: triggering again could start a second run).
 *
 * @example
 * describeRetried({ triggers: true });
 * // "retried: a connection error, a timeout, HTTP 408, 429, 500, 502, 503 or 504 (listing runs: 409 too)"
 */
export function describeRetried({ triggers }: { readonly triggers: boolean }): string {
  const own = triggers ? clientDefaults.triggerRetryableStatuses : clientDefaults.retryableStatuses;
  const listingOnly = clientDefaults.retryableStatuses.filter((status) => !own.includes(status));
  const listing = listingOnly.length > 0 ? ` (listing runs: ${orList(listingOnly)} too)` : "";
  return `retried: a connection error, a timeout, HTTP ${orList(own)}${listing}`;
}

function orList(statuses: readonly number[]): string {
  return statuses.length < 2
    ? statuses.join("")
    : `${statuses.slice(0, -1).join(", ")} or ${statuses.at(-1)}`;
}

/** The progress line for a retry: `rate limited by Datafold, retrying in 2 s (attempt 2 of 3)`. */
export function describeRetry(event: RetryEvent, timeoutSeconds: number): string {
  const why =
    event.reason === "timeout"
      ? `no answer from Datafold within ${timeoutSeconds} s`
      : event.reason === "connection"
        ? "the connection to Datafold failed"
        : event.status === 429
          ? "rate limited by Datafold"
          : `Datafold answered ${event.status}`;
  return `${why}, retrying in ${formatDelay(event.delayMs)} (attempt ${event.attempt} of ${event.maxAttempts})`;
}

/** `250 ms`, `1.5 s`, `60 s`, `5 min`, `3 h`: a retry's wait, or the one a `Retry-After` asked for. */
function formatDelay(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Number((ms / 1000).toFixed(1))} s`;
  return ms < 7_200_000 ? `${Math.ceil(ms / 60_000)} min` : `${Number((ms / 3_600_000).toFixed(1))} h`;
}

function hostFlag(context: FailureContext): string {
  return `--host (${context.host.value}, from ${describeSource(context.host.source)})`;
}

function attempts(error: DatafoldError): string {
  return error.attempts === undefined || error.attempts < 2 ? "" : ` (${error.attempts} attempts)`;
}

function detail(value: unknown): string {
  if (value === undefined || value === null || value === "") return "";
  return `: ${typeof value === "string" ? quote(value) : clip(JSON.stringify(value))}`;
}

function quote(text: string): string {
  return JSON.stringify(clip(text));
}

function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

// undici reports the reason (ECONNREFUSED, ENOTFOUND, …) as the `code` of an error somewhere down the `cause` chain.
function errorCode(error: unknown): string {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return ` (${code})`;
    current = (current as { cause?: unknown }).cause;
  }
  return "";
}
