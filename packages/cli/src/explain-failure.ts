import {
  type DatafoldError,
  isDatafoldApiError,
  isDatafoldAuthError,
  isDatafoldConnectionError,
  isDatafoldInvalidResponseError,
  isDatafoldNotFoundError,
  isDatafoldRateLimitError,
  isDatafoldServerError,
  isDatafoldTimeoutError,
  isDatafoldValidationError,
  MAX_RETRY_AFTER_MS,
  type RetryEvent,
} from "@datafold-ci/client";
import { MAX_RETRIES } from "./flags.js";
import { explainNetworkFailure } from "./net/explain-network-failure.js";
import type { NetworkContext } from "./net/network-context.js";
import { describeSource, type SourcedValue } from "./value-source.js";

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
  if (!isDatafoldApiError(error) && !isDatafoldTimeoutError(error) && !isDatafoldConnectionError(error)) {
    if (!isDatafoldInvalidResponseError(error)) return undefined;
    return (
      `${context.baseUrl} answered ${error.status}${attempts(error)} with something that is not Datafold's API response` +
      `${error.bodyExcerpt ? ` (${quote(error.bodyExcerpt)})` : ""}. Check that ${hostFlag(context)} points at Datafold, not a login page or proxy.`
    );
  }
  const proxy = context.network?.proxy;
  const via = proxy ? `, through the proxy at ${proxy.host} (from ${proxy.variable})` : "";
  if (isDatafoldTimeoutError(error))
    return (
      `Datafold did not answer within ${context.timeoutSeconds} s${attempts(error)}. ` +
      `Raise --timeout, or check the network path to ${context.baseUrl} (${hostFlag(context)})${via}.`
    );
  if (isDatafoldConnectionError(error))
    return (
      (context.network && explainNetworkFailure(error, context.baseUrl, context.network)) ??
      `the connection to ${context.baseUrl} failed${errorCode(error)}${attempts(error)}. ` +
        `Check ${hostFlag(context)} and the network (DNS, proxy, VPN, firewall)${via}.`
    );
  const answered = `Datafold answered ${error.status}${detail(error.detail ?? error.bodyExcerpt)}${attempts(error)}`;
  const configId = `--ci-config-id ${context.ciConfigId.value} (from ${describeSource(context.ciConfigId.source)})`;
  if (isDatafoldAuthError(error))
    return `${answered}. Check DATAFOLD_API_KEY: it must be a current API key of ${context.baseUrl} with access to CI config ${context.ciConfigId.value}.`;
  if (isDatafoldNotFoundError(error))
    return (
      `${answered}. Check that ${configId} is a CI config of ${context.baseUrl}, and that DATAFOLD_API_KEY ` +
      `belongs to that host: Datafold also answers 404 to an API key it does not recognise.`
    );
  if (isDatafoldValidationError(error))
    return (
      `Datafold rejected the request (${error.status}): ${error.errors.map((e) => `${e.loc.join(".")}: ${e.msg}`).join("; ")}. ` +
      "datafold-ci checks every value before sending, so Datafold's API may have changed: run with --dry-run and report it."
    );
  if (isDatafoldRateLimitError(error)) {
    const limited = `${answered}: Datafold is rate limiting these calls`;
    // The client ends the call at once on a wait longer than it makes: more retries would not help (issue 14).
    if (error.retryAfterMs !== undefined && error.retryAfterMs > MAX_RETRY_AFTER_MS)
      return `${limited} and asked to wait ${formatDelay(error.retryAfterMs)}, longer than datafold-ci waits (${formatDelay(MAX_RETRY_AFTER_MS)}). Wait that long, then run again.`;
    const moreRetriesPossible = error.attempts === context.maxRetries + 1 && context.maxRetries < MAX_RETRIES;
    return `${limited}. Wait a few minutes and run again${moreRetriesPossible ? `, or raise --retries (now ${context.maxRetries})` : ""}.`;
  }
  if (isDatafoldServerError(error))
    return `${answered}: a server error at Datafold (or a gateway in front of it). Run again later; if it persists, contact Datafold support.`;
  return `${answered}. Check ${hostFlag(context)} and ${configId}.`;
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
