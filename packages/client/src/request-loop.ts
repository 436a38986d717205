import { redactSecret } from "@datafold-ci/api-description";
import type { Client } from "openapi-fetch";
import { CALL_OPTION_NAMES, type ClientConfig, checkAttemptOptions, unknownOptions } from "./config.js";
import {
  bodyExcerpt,
  DatafoldConnectionError,
  DatafoldInputError,
  DatafoldInvalidResponseError,
  DatafoldTimeoutError,
  errorFromAnswer,
  formatDuration,
  redactCause,
} from "./errors.js";
import { checkArguments, checkResponse } from "./check-arguments.js";
import { classifyNetworkFailure } from "./network-failure.js";
import type { CallOptions } from "./options.js";
import {
  type AttemptFailure,
  isAmbiguousFailure,
  RETRYABLE_STATUSES,
  retryAfterMs,
  retryDelay,
} from "./retry-policy.js";
import type { Runtime } from "./runtime.js";

/** What one attempt hands openapi-fetch: the attempt's own signal and `fetch`, and the body left unparsed. */
export interface AttemptInit {
  readonly signal: AbortSignal;
  readonly fetch: (request: Request) => Promise<Response>;
  // Parsed here rather than by openapi-fetch, so a success body that is not JSON becomes a typed
  // error with an excerpt of what came instead.
  readonly parseAs: "text";
}

/** What openapi-fetch resolves an attempt with (`parseAs: "text"`). */
export interface AttemptAnswer {
  readonly data?: string | undefined;
  readonly error?: unknown;
  readonly response: Response;
}

/** The time a call may still take, shared by its attempts, its waits and a retry hook's own calls. */
export interface CallBudget {
  /** When the call must end, on the runtime's clock. */
  readonly deadline: number;
  /** Milliseconds left, never below 0. */
  remaining(): number;
  /** The caller's signal, when it gave one. */
  readonly signal: AbortSignal | undefined;
}

/**
 * What an operation that is not safe to repeat adds to the retry decision (the trigger: a second
 * attempt could start a second run), in the manner of ky's `beforeRetry` hooks.
 */
export interface RetryHook<T> {
  /** Statuses worth another attempt for this operation. */
  readonly retryableStatuses: readonly number[];
  /** Per-call option names the hook reads, accepted besides {@link CallOptions}'. */
  readonly optionNames: readonly string[];
  /** Runs before the first attempt, once the input is known to be valid (the trigger lists the runs that exist). */
  start?(budget: CallBudget): Promise<void>;
  /**
   * Asked before retrying a failure that may have taken effect: `retry`, `stop` (end the call with that
   * failure), or `return` a result in its place (what the failed attempt did, found some other way).
   */
  beforeRetry(context: RetryContext): Promise<RetryDecision<T>>;
}

/** What a {@link RetryHook} is told before a retry. */
export interface RetryContext {
  readonly failure: AttemptFailure;
  /** The attempt that failed: 1, 2, … */
  readonly attempt: number;
  /** Retries the call may still make; a hook's own calls should not make more. */
  readonly retriesLeft: number;
  readonly budget: CallBudget;
}

/** A {@link RetryHook}'s answer. */
export type RetryDecision<T> =
  | { readonly action: "retry" }
  | { readonly action: "stop" }
  | { readonly action: "return"; readonly result: T };

/** One call of a generated method, as it hands it to {@link RequestCore.request}. */
export interface Call<T> {
  /** The client method, e.g. `triggerPrRun`. */
  readonly method: string;
  /** The operation's summary in the spec, e.g. `Trigger a PR/MR run`. */
  readonly operation: string;
  /** The HTTP method and the path with its values, as messages name the call: `POST`, `/api/v1/ci/7/trigger`. */
  readonly httpMethod: string;
  readonly path: string;
  /** The positional arguments, options excluded, checked before anything is sent. */
  readonly args: readonly unknown[];
  readonly options: CallOptions | undefined;
  /** The path values, for a 404: `the CI config id 7`. */
  readonly identifiers: string;
  /** Whether the spec promises a JSON body on success; without one the call resolves with `undefined`. */
  readonly answersJson: boolean;
  /** Sends one attempt with openapi-fetch's typed method for this operation. */
  readonly send: (init: AttemptInit) => Promise<AttemptAnswer>;
  readonly retry?: RetryHook<T> | undefined;
}

/** What the generated methods call: openapi-fetch over the spec's paths, and the loop. */
export interface RequestCore<Paths extends {}> {
  readonly api: Client<Paths>;
  /** The client's resolved options, for retry hooks that report what they do. */
  readonly config: ClientConfig;
  /** Validates, sends with retries and timeouts, and resolves with the checked body or throws a typed error. */
  request<T>(call: Call<T>): Promise<T>;
}

/** The loop over `api`, configured once per client. */
export function createRequestCore<Paths extends {}>(
  api: Client<Paths>,
  config: ClientConfig,
  runtime: Runtime,
): RequestCore<Paths> {
  return { api, config, request: (call) => makeRequest(call, config, runtime) };
}

/** Outcome of one attempt: an answer, or why there was none. */
type Attempt =
  { readonly answer: AttemptAnswer } | { readonly failure: Exclude<AttemptFailure, { type: "status" }> };

/**
 * One call, top to bottom: check the input (nothing is sent when it is bad) → let the retry hook start
 * → attempt, each with its own timeout clamped to the budget → classify what came back → decide whether
 * to retry (asking the hook first when the failure may have taken effect) → parse and check the answer,
 * or throw the typed error.
 */
async function makeRequest<T>(call: Call<T>, config: ClientConfig, runtime: Runtime): Promise<T> {
  const options = call.options ?? {};
  const issues = [
    ...unknownOptions(options, [...CALL_OPTION_NAMES, ...(call.retry?.optionNames ?? [])]),
    ...checkAttemptOptions(options),
    ...checkArguments(call.method, call.args),
  ];
  if (issues.length > 0) throw new DatafoldInputError(issues, `${call.method} input`);
  options.signal?.throwIfAborted();

  const timeoutMs = options.timeoutMs ?? config.timeoutMs;
  const maxRetries = options.maxRetries ?? config.maxRetries;
  const totalTimeoutMs = options.totalTimeoutMs ?? config.totalTimeoutMs;
  const deadline = runtime.now() + totalTimeoutMs;
  const budget: CallBudget = {
    deadline,
    remaining: () => Math.max(0, deadline - runtime.now()),
    signal: options.signal,
  };
  const maxAttempts = maxRetries + 1;
  const retryable = call.retry?.retryableStatuses ?? RETRYABLE_STATUSES;
  const where = redactSecret(`${call.httpMethod} ${config.baseUrl}${call.path}`, config.apiKey);
  const context: FailureContext = { call, config, where, timeoutMs, totalTimeoutMs };

  await call.retry?.start?.(budget);
  for (let attempt = 1; ; attempt++) {
    if (budget.remaining() <= 0) throw budgetSpent(context, attempt - 1);
    const limitMs = Math.min(timeoutMs, budget.remaining());
    const outcome = await attemptOnce(call, fetchOf(config), limitMs, options.signal);
    const failure: AttemptFailure =
      "answer" in outcome
        ? {
            type: "status",
            status: outcome.answer.response.status,
            retryAfterMs: retryAfterMs(outcome.answer.response.headers, runtime.now()),
          }
        : outcome.failure;
    if ("answer" in outcome && outcome.answer.response.ok)
      return parseAnswer(outcome.answer, context, attempt);
    // An attempt cut short to fit the budget that then timed out is the budget running out.
    if (failure.type === "timeout" && limitMs < timeoutMs) throw budgetSpent(context, attempt);

    let delayMs =
      attempt < maxAttempts ? retryDelay(failure, attempt - 1, runtime.random, retryable) : undefined;
    // A wait the budget cannot hold ends the call now, with this failure, rather than at the deadline.
    const outOfTime = delayMs !== undefined && delayMs >= budget.remaining();
    if (outOfTime) delayMs = undefined;
    if (delayMs !== undefined && call.retry && isAmbiguousFailure(failure)) {
      const decision = await call.retry.beforeRetry({
        failure,
        attempt,
        retriesLeft: maxAttempts - attempt,
        budget,
      });
      if (decision.action === "return") return decision.result;
      if (decision.action === "stop") delayMs = undefined;
    }
    if (delayMs === undefined) {
      const error =
        "answer" in outcome
          ? answerError(outcome.answer, context, attempt, failure)
          : failureError(outcome.failure, context, attempt);
      if (outOfTime)
        error.message += `; its total budget of ${formatDuration(totalTimeoutMs)} left no time to retry`;
      throw error;
    }
    config.onRetry?.({
      method: call.method,
      operation: call.operation,
      attempt: attempt + 1,
      maxAttempts,
      delayMs,
      ...(failure.type === "status"
        ? { reason: "status", status: failure.status }
        : { reason: failure.type === "timeout" ? "timeout" : "connection" }),
    });
    await runtime.sleep(delayMs, options.signal ?? NEVER);
  }
}

const NEVER = new AbortController().signal;

/** One attempt with its own signal: aborted by its timer or by the caller, never reused by a retry. */
async function attemptOnce(
  call: Call<unknown>,
  fetch: (request: Request) => Promise<Response>,
  limitMs: number,
  userSignal: AbortSignal | undefined,
): Promise<Attempt> {
  // A fresh controller per attempt: a signal a timeout already aborted would fail every retry at once
  // (openapi-ts/openapi-typescript#2567, unjs/ofetch#621).
  const controller = new AbortController();
  let fetchCalled = false;
  const fetchOnce = (request: Request) => {
    fetchCalled = true;
    return fetch(request);
  };
  // Rejects as the attempt is aborted, so it ends then even when a caller's `fetch` ignores its signal.
  let stop: (reason: unknown) => void = () => {};
  const stopped = new Promise<never>((_, reject) => {
    stop = reject;
  });
  const abort = (reason: unknown) => {
    controller.abort(reason);
    stop(reason);
  };
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort(new DOMException(`No response within ${limitMs} ms`, "TimeoutError"));
  }, limitMs);
  const forwardAbort = () => abort(userSignal?.reason);
  userSignal?.addEventListener("abort", forwardAbort, { once: true });
  try {
    // openapi-fetch reads the body inside this call, so the timeout covers it, and a connection reset
    // mid-body is a failed (retryable) attempt rather than an error from a parser.
    const sent = call.send({ signal: controller.signal, fetch: fetchOnce, parseAs: "text" });
    return { answer: await Promise.race([sent, stopped]) };
  } catch (error) {
    if (userSignal?.aborted) throw userSignal.reason;
    if (timedOut) return { failure: { type: "timeout" } };
    // A failure before `fetch` was called (a request openapi-fetch could not build, say) is a mistake no
    // retry mends, and reaches the caller as it is; after it, the network failed, the body's read included.
    if (!fetchCalled) throw error;
    return { failure: { type: "network", network: classifyNetworkFailure(error), cause: error } };
  } finally {
    clearTimeout(timer);
    userSignal?.removeEventListener("abort", forwardAbort);
  }
}

/** What the failure messages of one call need. */
interface FailureContext {
  readonly call: Call<unknown>;
  readonly config: ClientConfig;
  /** `POST https://app.datafold.com`, the key scrubbed. */
  readonly where: string;
  readonly timeoutMs: number;
  readonly totalTimeoutMs: number;
}

/** A success answer parsed and checked against the spec's schema for its status. */
function parseAnswer<T>(answer: AttemptAnswer, context: FailureContext, attempts: number): T {
  const { call, config } = context;
  const { status } = answer.response;
  if (!call.answersJson) return undefined as T; // the spec promises no body (a 204, say)
  const data = answer.data;
  const invalid = (problem: string, cause?: unknown) =>
    new DatafoldInvalidResponseError(
      redactSecret(`Datafold answered ${context.where} with HTTP ${status} but ${problem}`, config.apiKey),
      {
        status,
        attempts,
        method: call.method,
        request: context.where,
        ...(data && { bodyExcerpt: redactSecret(bodyExcerpt(data), config.apiKey) }),
        ...(cause !== undefined && { cause: redactCause(cause, config.apiKey) }),
      },
    );
  const notApi = `; is ${config.baseUrl} Datafold's API?`;
  if (!data) throw invalid(`an empty body${notApi}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch (cause) {
    throw invalid(`a body that is not JSON ("${bodyExcerpt(data).slice(0, 60)}")${notApi}`, cause);
  }
  const problems = checkResponse(call.method, status, parsed);
  if (problems.length > 0) {
    const listed = problems.slice(0, 5).join("; ");
    const more = problems.length > 5 ? `; and ${problems.length - 5} more` : "";
    throw invalid(`a body of the wrong shape (${listed}${more})`);
  }
  // Checked just above against the schema the method's result type is generated from.
  return parsed as T;
}

function answerError(
  answer: AttemptAnswer,
  context: FailureContext,
  attempts: number,
  failure: AttemptFailure,
) {
  const { config, call } = context;
  return errorFromAnswer({
    response: answer.response,
    body: answer.error,
    attempts,
    request: context.where,
    method: call.method,
    identifiers: call.identifiers,
    baseUrl: config.baseUrl,
    apiKeySource: config.apiKeySource,
    secret: config.apiKey,
    retryAfterMs: failure.type === "status" ? failure.retryAfterMs : undefined,
  });
}

function failureError(
  failure: Exclude<AttemptFailure, { type: "status" }>,
  context: FailureContext,
  attempts: number,
) {
  const { config, call, where } = context;
  const tries = attempts > 1 ? ` (${attempts} attempts)` : "";
  const common = { attempts, method: call.method, request: where };
  if (failure.type === "timeout") {
    return new DatafoldTimeoutError(
      `Datafold did not answer ${where} within ${formatDuration(context.timeoutMs)}${tries}; check the base URL and the network, or raise timeoutMs`,
      { ...common, budget: "attempt", timeoutMs: context.timeoutMs },
    );
  }
  const reason = redactSecret(describeCause(failure.cause), config.apiKey);
  return new DatafoldConnectionError(`The connection to Datafold failed for ${where}${tries}: ${reason}`, {
    ...common,
    kind: failure.network.kind,
    cause: redactCause(failure.cause, config.apiKey),
  });
}

/** The call's whole budget ran out: what was pending, and after how many attempts. */
function budgetSpent(context: FailureContext, attempts: number): DatafoldTimeoutError {
  const { call, where, totalTimeoutMs } = context;
  const pending =
    attempts === 0 ? "before its first attempt" : `after ${attempts} attempt${attempts === 1 ? "" : "s"}`;
  return new DatafoldTimeoutError(
    `${call.operation} (${where}) did not finish within its total budget of ${formatDuration(totalTimeoutMs)}, ${pending}; raise totalTimeoutMs, or check the network path to Datafold`,
    { attempts, method: call.method, request: where, budget: "total", timeoutMs: totalTimeoutMs },
  );
}

/**
 * The caller's `fetch`, else the platform's looked up per request, so an interceptor installed after the
 * client was made (msw, say) still applies.
 */
function fetchOf(config: ClientConfig): (request: Request) => Promise<Response> {
  return (request) => (config.fetch ?? globalThis.fetch)(request);
}

/** "fetch failed: connect ECONNREFUSED 127.0.0.1:9": undici puts the useful part in `cause`. */
function describeCause(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth++) {
    if (!(current instanceof Error)) {
      parts.push(String(current));
      break;
    }
    // Node's failure of every address of a host is an AggregateError with an empty message.
    const message =
      current.message ||
      (current instanceof AggregateError
        ? current.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e))).join(", ")
        : "");
    if (message) parts.push(message);
    current = current.cause;
  }
  return parts.join(": ") || "unknown network error";
}
