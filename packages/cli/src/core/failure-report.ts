import { CI_OPERATION_NAMES, errorChain } from "@datafold-ci/api-description";
import {
  clientDefaults,
  DatafoldApiError,
  DatafoldAuthError,
  DatafoldConnectionError,
  DatafoldError,
  DatafoldInvalidResponseError,
  DatafoldNotFoundError,
  DatafoldRateLimitError,
  DatafoldServerError,
  DatafoldTimeoutError,
  DatafoldValidationError,
} from "@datafold-ci/client";
import { MAX_RETRIES } from "../args/flags.js";
import { ExitCode } from "../exit-codes.js";
import { explainNetworkFailure } from "../net/explain-network-failure.js";
import type { NetworkContext } from "../net/network-context.js";
import { describeSource } from "../output/describe.js";
import type { ErrorKind, FailedRequest, Output, SourcedValue } from "../types.js";
import { describeRequest, formatDelay, type RequestProgress } from "./request-progress.js";

/** Where a failed call went, as messages name it: a `Connection` (client-setup.ts) is one. */
export interface CallTarget {
  readonly client: { readonly baseUrl: string; readonly config: { readonly maxRetries: number } };
  readonly host: SourcedValue;
  readonly timeoutSeconds: number;
  /** The proxy and CA options, for messages. */
  readonly network?: NetworkContext | undefined;
  readonly maxTimeSeconds: number;
  readonly progress: RequestProgress;
}

/** What a failure message refers to. */
export interface FailureContext {
  /** The normalised URL requests went to. */
  readonly baseUrl: string;
  readonly host: SourcedValue;
  readonly ciConfigId: SourcedValue;
  readonly timeoutSeconds: number;
  /** `--max-time`: each request's whole budget. */
  readonly maxTimeSeconds: number;
  /** `--retries`: the client's `maxRetries`. */
  readonly maxRetries: number;
  /** The proxy and CA options: proxy and TLS failures are explained with them. */
  readonly network?: NetworkContext;
  /** What the command's requests had done when it failed; nothing known when absent. */
  readonly progress?: RequestProgress;
  /** The failed call is the trigger's (its looks at the PR's runs included). */
  readonly triggering?: boolean;
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
  if (error instanceof DatafoldTimeoutError && error.budget === "total") return budgetSpent(error, context);
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
  // An observed Datafold behaviour, not a documented one (docs/datafold-facts.md, "Hosts and the API key").
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

/** How {@link reportFailure} words and prints a failure. */
export interface ReportOptions {
  /** Put before the message, e.g. `while waiting for Datafold CI run 7: `. */
  readonly prefix?: string;
  /** With `--json`, the document the error is added to (a wait's run); `{ error }` alone without it. */
  readonly document?: Readonly<Record<string, unknown>>;
  /** The failed call is the trigger's: a look at the PR's runs that failed is then said to be the trigger's. */
  readonly triggering?: boolean;
}

/**
 * Prints what a failed call means ({@link explainFailure}), with `--debug` its whole cause chain, and with
 * `--json` the error document; returns exit 1. Rethrows an error the client does not describe, which is a
 * bug (exit 70).
 */
export function reportFailure(
  error: unknown,
  connection: CallTarget,
  ciConfigId: SourcedValue,
  out: Output,
  { prefix = "", document, triggering = false }: ReportOptions = {},
): ExitCode {
  const message = explainFailure(error, {
    baseUrl: connection.client.baseUrl,
    host: connection.host,
    ciConfigId,
    timeoutSeconds: connection.timeoutSeconds,
    maxTimeSeconds: connection.maxTimeSeconds,
    maxRetries: connection.client.config.maxRetries,
    ...(connection.network && { network: connection.network }),
    progress: connection.progress,
    triggering,
  });
  if (message === undefined) throw error;
  out.error(`${prefix}${message}`);
  if (out.debugEnabled) for (const line of causeChain(error)) out.debug(line);
  out.failed(
    {
      kind: errorKind(error),
      message: `${prefix}${message}`,
      exitCode: ExitCode.RequestFailed,
      request: failedRequest(error),
    },
    document,
  );
  return ExitCode.RequestFailed;
}

/**
 * Each error down `error`'s cause chain on a line of its own, with its code: what `--debug` prints under a
 * failure, so `TypeError: fetch failed` shows the `ECONNREFUSED` beneath it. The output filter redacts the key.
 *
 * @example
 * causeChain(error);
 * // ["DatafoldConnectionError: The connection to Datafold failed for GET …", "  caused by TypeError: fetch failed",
 * //  "  caused by Error: connect ECONNREFUSED 127.0.0.1:9"]
 */
export function causeChain(error: unknown): string[] {
  const lines: string[] = [];
  const visit = (value: unknown, depth: number, lead: string) => {
    if (depth > 8 || value === undefined) return;
    lines.push(`${depth === 0 ? "" : "  "}${lead}${describeError(value)}`);
    if (!(value instanceof Error)) return;
    // Node's connect failure over several addresses: one error per address, none in `cause`.
    if (value instanceof AggregateError)
      for (const inner of value.errors) visit(inner, depth + 1, depth === 0 ? "caused by " : "and ");
    visit(value.cause, depth + 1, "caused by ");
  };
  visit(error, 0, "");
  return lines;
}

/** {@link causeChain} on one line, for a `--debug` trace: `TypeError: fetch failed caused by Error: connect ECONNREFUSED …`. */
export function causeLine(error: unknown): string {
  return causeChain(error)
    .map((line) => line.trim())
    .join(" ");
}

function describeError(value: unknown): string {
  if (!(value instanceof Error)) return String(value);
  const code = (value as { code?: unknown }).code;
  const text = `${value.name}: ${value.message || "(no message)"}`;
  return typeof code === "string" && !value.message.includes(code) ? `${text} (${code})` : text;
}

/** The error's kind for `--json`: what Datafold answered, or why no answer came. */
function errorKind(error: unknown): ErrorKind {
  if (error instanceof DatafoldConnectionError) return error.kind;
  if (error instanceof DatafoldTimeoutError) return "timeout";
  if (error instanceof DatafoldInvalidResponseError) return "invalid-response";
  if (error instanceof DatafoldAuthError) return "auth";
  if (error instanceof DatafoldNotFoundError) return "not-found";
  if (error instanceof DatafoldValidationError) return "validation";
  if (error instanceof DatafoldRateLimitError) return "rate-limit";
  if (error instanceof DatafoldServerError) return "server";
  return error instanceof DatafoldApiError ? "http" : "failed";
}

/** The request a client error names, as `--json` reports it. */
function failedRequest(error: unknown): FailedRequest | null {
  if (!(error instanceof DatafoldError) || error.request === undefined) return null;
  const [method = "", url = ""] = error.request.split(" ");
  const status =
    error instanceof DatafoldApiError || error instanceof DatafoldInvalidResponseError
      ? error.status
      : undefined;
  return {
    operation: error.method ?? "",
    method,
    url,
    ...(error.attempts !== undefined && { attempts: error.attempts }),
    ...(status !== undefined && { status }),
  };
}

/**
 * `--max-time` ran out: which request was pending, after how many attempts, and (for the trigger) whether a
 * run may have been started.
 */
function budgetSpent(error: DatafoldTimeoutError, context: FailureContext): string {
  const progress = context.progress;
  const listing = error.method === CI_OPERATION_NAMES.listRuns;
  const where = error.request === undefined ? "" : ` (${error.request})`;
  // The client counts the attempts made; whether one was in flight when the budget ran out it does not say.
  const made =
    error.attempts === undefined || error.attempts === 0
      ? "before its first attempt"
      : `after ${error.attempts} attempt${error.attempts === 1 ? "" : "s"}`;
  let pending = `${describeRequest(error.method)}${where}, ${made}`;
  let outcome = "";
  if (listing && context.triggering && !progress?.lookedBeforeTrigger) {
    pending = `listing the PR's runs before the trigger${where}, ${made}`;
    outcome = " The trigger was not sent: no run was started.";
  } else if (listing && context.triggering) {
    const attempt = progress?.failedTriggerAttempts ? ` ${progress.failedTriggerAttempts}` : "";
    pending = `looking for a run the failed trigger attempt${attempt} may have started${where}, ${made}`;
    outcome = " That attempt may have started a run: datafold-ci runs lists the PR's runs.";
  } else if (error.method === CI_OPERATION_NAMES.trigger)
    outcome = error.attempts
      ? " An attempt without an answer may still have started a run: datafold-ci runs lists the PR's runs."
      : " The trigger was not sent: no run was started.";
  return (
    `--max-time ${Number(context.maxTimeSeconds.toFixed(1))} s ran out while ${pending}.${outcome} ` +
    `Raise --max-time, or check the network path to ${context.baseUrl} (${hostFlag(context)}).`
  );
}

/**
 * Prints every problem with the input and that nothing was sent (with `--json`, the error document too);
 * the exit code of a usage error.
 */
export function reportInputProblems(
  problems: readonly string[],
  command: string,
  out: Output,
): typeof ExitCode.Usage {
  for (const problem of problems) out.error(problem);
  out.note(`Nothing was sent. Run "datafold-ci ${command} --help" for every flag and variable.`);
  out.failed({
    kind: "usage",
    message: problems.join("; "),
    exitCode: ExitCode.Usage,
    request: null,
    problems,
  });
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
  const code = errorChain(error, 5).find((link) => typeof link.code === "string")?.code;
  return code === undefined ? "" : ` (${String(code)})`;
}
