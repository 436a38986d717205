import { NULL_BODY_STATUSES, redactSecret } from "@datafold-ci/api-description";
import { DatafoldConnectionError } from "./errors/datafold-connection-error.js";
import { DatafoldTimeoutError } from "./errors/datafold-timeout-error.js";
import { formatDuration } from "./format-duration.js";
import { classifyNetworkFailure, classifyProxyAnswer, type NetworkFailure } from "./network-failure.js";
import { redactCause } from "./redact-cause.js";
import type { RetryEvent } from "./retry-event.js";
import {
  type AttemptFailure,
  backoffDelayMs,
  isAmbiguousFailure,
  retryDelayForResponse,
} from "./retry-policy.js";
import type { Runtime } from "./runtime.js";

/** What the resilient fetch needs to know. */
export interface ResilientFetchSettings {
  /**
   * The caller's `fetch`, called with a `Request` as documented; `undefined` for the platform's,
   * looked up per attempt (so interceptors installed later apply).
   */
  readonly fetch: typeof globalThis.fetch | undefined;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly onRetry: ((event: RetryEvent) => void) | undefined;
  /** Told each attempt's number, and the request it sends, as it starts. */
  readonly onAttempt?: (attempt: number, request: SentRequest) => void;
  /** Statuses worth another attempt. @default RETRYABLE_STATUSES */
  readonly retryableStatuses?: readonly number[];
  /**
   * Asked before retrying a failure that may have taken effect (`isAmbiguousFailure`): an answer to
   * return instead (what the failed attempt did), `"retry"`, or `"stop"` to end with the failure.
   * `retriesLeft` is the budget a look may spend.
   */
  readonly beforeAmbiguousRetry?: (
    failure: AttemptFailure,
    retriesLeft: number,
  ) => Promise<Response | "retry" | "stop">;
  /** The API key, scrubbed from whatever a failure keeps. */
  readonly secret: string;
  readonly runtime: Runtime;
}

/** What an attempt sends, as far as messages name it. */
export interface SentRequest {
  readonly method: string;
  readonly url: string;
}

type Outcome = { response: Response } | { failure: "connection" | "timeout"; cause: unknown };

// Requests handed to a caller's `fetch`, held until their attempt settles. undici's `fetch` copies
// the Request, and the copy's signal follows this one's through a link that only this Request
// holds: were it garbage-collected mid-attempt, the timeout's abort would never reach the socket,
// which stays open until the server closes it (nodejs/undici#4068, nodejs/node#55428).
const inFlight = new Set<Request>();

/**
 * A `fetch` for openapi-fetch's `createClient` that adds per-attempt timeouts and retries beneath
 * openapi-fetch's middleware, so middleware sees one logical request (openapi-ts/openapi-typescript
 * #1122, #2075). Resolves with the last response, its body already read; throws
 * `DatafoldConnectionError` or `DatafoldTimeoutError` when the last attempt got no response; rejects
 * with the request signal's reason when the caller aborts, without retrying.
 */
export function createResilientFetch(
  settings: ResilientFetchSettings,
): (input: Request) => Promise<Response> {
  return async (input) => {
    const userSignal = input.signal;
    userSignal?.throwIfAborted();
    // Each attempt sends `fetch(input, { body, signal })`. A Request body can be read once, so keep
    // its bytes to send them again.
    const init: RequestInit = { body: input.body ? await input.arrayBuffer() : null };
    const maxAttempts = settings.maxRetries + 1;
    const { random, now, sleep } = settings.runtime;
    for (let attempt = 1; ; attempt++) {
      settings.onAttempt?.(attempt, input);
      const outcome = await attemptOnce(input, init, userSignal, settings);
      // A proxy's 407 is no answer from Datafold, and the same credentials would be refused again.
      const proxyAnswer = "response" in outcome ? classifyProxyAnswer(outcome.response.status) : undefined;
      if (proxyAnswer) throw proxyAnswerError(proxyAnswer, input, attempt, settings);
      const retriesSoFar = attempt - 1;
      let delayMs =
        attempt >= maxAttempts
          ? undefined
          : "response" in outcome
            ? retryDelayForResponse(outcome.response, retriesSoFar, random, now(), settings.retryableStatuses)
            : isRetryable(outcome)
              ? backoffDelayMs(retriesSoFar, random)
              : undefined;
      const failure: AttemptFailure = "response" in outcome ? { status: outcome.response.status } : outcome;
      if (delayMs !== undefined && settings.beforeAmbiguousRetry && isAmbiguousFailure(failure)) {
        const decision = await settings.beforeAmbiguousRetry(failure, maxAttempts - attempt);
        if (decision instanceof Response) return decision;
        if (decision === "stop") delayMs = undefined;
      }
      if (delayMs === undefined) {
        if ("response" in outcome) return outcome.response;
        throw failureError(outcome, input, attempt, settings);
      }
      settings.onRetry?.({
        attempt: attempt + 1,
        maxAttempts,
        delayMs,
        ...("response" in outcome
          ? { reason: "status", status: outcome.response.status }
          : { reason: outcome.failure }),
      });
      await sleep(delayMs, userSignal ?? new AbortController().signal);
    }
  };
}

async function attemptOnce(
  target: Request,
  init: RequestInit,
  userSignal: AbortSignal | undefined,
  settings: ResilientFetchSettings,
): Promise<Outcome> {
  // A fresh signal per attempt: reusing one that a timeout already aborted would fail every retry
  // at once (openapi-ts/openapi-typescript #2567, unjs/ofetch #621).
  const controller = new AbortController();
  const attemptInit = { ...init, signal: controller.signal };
  // The platform's `fetch` gets (target, init): the one Request it builds follows this signal
  // directly, with no intermediate Request whose loss would cut the abort off (see `inFlight`).
  const userFetch = settings.fetch;
  const request = userFetch && new Request(target, attemptInit);
  if (request) inFlight.add(request);
  // Rejects as the attempt is aborted, so it ends then even when a caller's `fetch` ignores its
  // signal (ky #91).
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
    abort(new DOMException(`No response within ${settings.timeoutMs} ms`, "TimeoutError"));
  }, settings.timeoutMs);
  const forwardAbort = () => abort(userSignal?.reason);
  userSignal?.addEventListener("abort", forwardAbort, { once: true });
  try {
    const sent = userFetch && request ? userFetch(request) : globalThis.fetch(target, attemptInit);
    // The body is read inside the attempt so the timeout covers it and a connection reset
    // mid-body is a failed (retryable) attempt, not an exception from openapi-fetch's parser.
    return { response: await Promise.race([sent.then(rebuild), stopped]) };
  } catch (cause) {
    if (userSignal?.aborted) throw userSignal.reason;
    return { failure: timedOut ? "timeout" : "connection", cause };
  } finally {
    clearTimeout(timer);
    userSignal?.removeEventListener("abort", forwardAbort);
    if (request) inFlight.delete(request);
  }
}

/** The answer whole again, for middleware and `datafold.api` callers, who may read it any way. */
async function rebuild(response: Response): Promise<Response> {
  const bytes = await response.arrayBuffer();
  const { status, statusText, headers } = response;
  return new Response(NULL_BODY_STATUSES.has(status) ? null : bytes, { status, statusText, headers });
}

function failureError(
  outcome: Extract<Outcome, { failure: string }>,
  request: SentRequest,
  attempts: number,
  settings: ResilientFetchSettings,
): Error {
  const where = redactSecret(`${request.method} ${request.url}`, settings.secret);
  const tries = attempts > 1 ? ` (${attempts} attempts)` : "";
  if (outcome.failure === "timeout") {
    const limit = formatDuration(settings.timeoutMs);
    return new DatafoldTimeoutError(
      `Datafold did not answer ${where} within ${limit}${tries}; check the base URL and the network, or raise timeoutMs`,
      { attempts, timeoutMs: settings.timeoutMs },
    );
  }
  const reason = redactSecret(describeCause(outcome.cause), settings.secret);
  return new DatafoldConnectionError(`The connection to Datafold failed for ${where}${tries}: ${reason}`, {
    attempts,
    cause: redactCause(outcome.cause, settings.secret),
    kind: classifyNetworkFailure(outcome.cause).kind,
  });
}

/** A certificate that failed a check, or a proxy that refused, fails the same way on every attempt. */
function isRetryable(outcome: Extract<Outcome, { failure: string }>): boolean {
  return outcome.failure === "timeout" || classifyNetworkFailure(outcome.cause).retryable;
}

function proxyAnswerError(
  failure: NetworkFailure,
  request: SentRequest,
  attempts: number,
  settings: ResilientFetchSettings,
): DatafoldConnectionError {
  const where = redactSecret(`${request.method} ${request.url}`, settings.secret);
  return new DatafoldConnectionError(
    `A proxy stopped ${where}: ${failure.detail}. Check the user and password in the proxy's URL (HTTPS_PROXY or HTTP_PROXY)`,
    // A cause that classifies as the proxy failure it is, as every connection error's cause does.
    {
      attempts,
      kind: failure.kind,
      cause: Object.assign(new Error(failure.detail), { code: "ERR_PROXY_TUNNEL", statusCode: 407 }),
    },
  );
}

/** "fetch failed: connect ECONNREFUSED 127.0.0.1:9": undici puts the useful part in `cause`. */
function describeCause(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current !== undefined && depth < 4; depth++) {
    if (!(current instanceof Error)) {
      parts.push(String(current));
      break;
    }
    // Node's happy-eyeballs connect failure is an AggregateError with an empty message.
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
