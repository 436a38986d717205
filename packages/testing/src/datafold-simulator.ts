import {
  type ApiDescription,
  NULL_BODY_STATUSES,
  REDACTED,
  redactSecret,
} from "@datafold-ci/api-description";
import { checkCredentials } from "./check-credentials.js";
import { type CiRunControls, type CiRunOptions, createCiRuns } from "./datafold-ci-runs.js";
import { assertFault, type Fault } from "./fault.js";
import {
  detailAnswer,
  emptyAnswer,
  encodeBody,
  type HttpAnswer,
  internalErrorAnswer,
  validationErrorAnswer,
} from "./http-answer.js";
import { parsePythonJson } from "./python-json.js";
import type { RecordedRequest } from "./recorded-request.js";
import { decodeJsonBytes, readRequestBody } from "./request-body.js";
import { parseCookies } from "./request-parts.js";
import { validateRequest } from "./request-validation.js";
import { compileRoutes, type Route, routeRequest } from "./route-request.js";
import { exampleAnswer } from "./success-answer.js";

/** How the simulated Datafold behaves; shared by `startMockDatafold` and `datafoldHandlers`. */
export interface DatafoldBehaviourOptions extends CiRunOptions {
  /**
   * The only key accepted, sent as `Authorization: Key <apiKey>`.
   * @default a fresh random key per mock, e.g. "mock-key-3f9a0c…"
   */
  apiKey?: string;
}

/** What a test can see and steer on a running mock. */
export interface MockDatafoldControls extends CiRunControls {
  /** The key the mock accepts: the `apiKey` option, or the one it made up. */
  readonly apiKey: string;
  /** Every request, in arrival order, recorded on arrival (`status` is filled in when answered). */
  readonly requests: RecordedRequest[];
  /** Queues faults; each incoming request consumes the next one. Throws on a malformed fault. */
  enqueue(...faults: Fault[]): void;
}

/** A request as a transport received it. */
export interface SimulatedRequest {
  /** Upper-case. */
  readonly method: string;
  /** The request target as sent: path and query, not decoded. */
  readonly target: string;
  /** Scheme and host the client used, for redirect `Location`s, e.g. `http://127.0.0.1:4123`. */
  readonly origin: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** What a transport must do with a request. */
export type SimulatedOutcome =
  | { readonly kind: "answer"; readonly answer: HttpAnswer }
  | { readonly kind: "hang" }
  | { readonly kind: "reset" }
  | { readonly kind: "reset-mid-body"; readonly answer: HttpAnswer; readonly bytesBeforeReset: number };

/** The transport-neutral core: the node server and the msw handlers are thin wrappers around it. */
export interface DatafoldSimulator {
  /** What the transports hand to tests as they are. */
  readonly controls: MockDatafoldControls;
  /** `sleep` is the transport's timer, so a server can cancel pending delays when it closes. */
  handle(request: SimulatedRequest, sleep: (ms: number) => Promise<void>): Promise<SimulatedOutcome>;
}

/** Internal options: the bin logs every answered request. */
export interface SimulatorOptions extends DatafoldBehaviourOptions {
  onAnswered?: (request: RecordedRequest, outcome: SimulatedOutcome["kind"]) => void;
}

/**
 * Creates a simulated Datafold serving every operation of `api`. `caller` names the public function
 * in error messages about bad options.
 */
export function createDatafoldSimulator(
  api: ApiDescription,
  options: SimulatorOptions,
  caller: string,
): DatafoldSimulator {
  const apiKey = options.apiKey ?? randomApiKey();
  checkOptions(options, caller);
  const routes = compileRoutes(api);
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  const ciRuns = createCiRuns(api, options, caller);

  const answer = (request: SimulatedRequest, route: Route, target: Target): HttpAnswer => {
    switch (route.kind) {
      case "not-found":
        return detailAnswer(404, "Not Found");
      case "method-not-allowed":
        return detailAnswer(405, "Method Not Allowed", { allow: route.allow.join(", ") });
      case "redirect": {
        const search = target.rawQuery ? `?${target.rawQuery}` : "";
        return emptyAnswer(307, { location: `${request.origin}${route.path}${search}` });
      }
      case "operation":
        break;
    }
    const { operation, pathParams } = route;
    const headers = request.headers;
    // FastAPI reads the body before anything else, so a body it cannot parse wins over bad credentials.
    const body = operation.requestBody
      ? readRequestBody(request.body, headers["content-type"])
      : ({ kind: "absent" } as const);
    if (body.kind === "invalid-json") {
      return validationErrorAnswer([
        {
          type: "json_invalid",
          loc: ["body", body.position],
          msg: "JSON decode error",
          input: {},
          ctx: { error: body.message },
        },
      ]);
    }
    if (body.kind === "unreadable") return detailAnswer(400, "There was an error parsing the body");
    const parts = { pathParams, query: target.query, headers, cookies: parseCookies(headers.cookie), body };
    const denied = checkCredentials(api, operation, parts, apiKey);
    if (denied) return denied;
    const { values, issues } = validateRequest(api, operation, parts);
    if (issues.length > 0) {
      // FastAPI echoes a raw body decoded as UTF-8, and fails with a 500 when it is not UTF-8.
      if (body.kind === "bytes" && body.text === undefined) return internalErrorAnswer();
      return validationErrorAnswer(issues);
    }
    return ciRuns.answer(operation, values) ?? exampleAnswer(api, operation);
  };

  const answerSafely = (request: SimulatedRequest, route: Route, target: Target): HttpAnswer => {
    try {
      return answer(request, route, target);
    } catch (error) {
      // A bug in the mock, not in the code under test: answer as Starlette would, and say so.
      console.error("datafold-mock: internal error", error);
      return internalErrorAnswer();
    }
  };

  const controls: MockDatafoldControls = {
    ...ciRuns.controls,
    apiKey,
    requests,
    enqueue(...queued: Fault[]) {
      queued.forEach((fault, i) => {
        assertFault(fault, `enqueue(): fault ${i + 1}`);
      });
      faults.push(...queued);
    },
  };

  return {
    controls,
    async handle(request, sleep) {
      const target = splitTarget(request.target);
      const route = routeRequest(routes, request.method, target.path);
      const record = recordRequest(request, target, route, apiKey);
      requests.push(record);
      const fault = faults.shift();
      const finish = (outcome: SimulatedOutcome): SimulatedOutcome => {
        record.status =
          outcome.kind === "answer" || outcome.kind === "reset-mid-body" ? outcome.answer.status : 0;
        options.onAnswered?.(record, outcome.kind);
        return outcome;
      };
      const lost = fault?.kind === "respond" || fault?.kind === "hang" || fault?.kind === "reset";
      // Lost in front of Datafold, or (reachesDatafold) after it handled the request: "start the run,
      // then answer 502 / never answer", the ambiguous failures a retrying client must look behind.
      if (lost && fault.reachesDatafold) answerSafely(request, route, target);
      if (fault?.kind === "respond") return finish({ kind: "answer", answer: faultAnswer(fault) });
      if (fault?.kind === "hang" || fault?.kind === "reset") return finish({ kind: fault.kind });
      if (fault?.kind === "delay") await sleep(fault.ms);
      let normal = answerSafely(request, route, target);
      if (request.method === "HEAD") normal = { ...normal, body: new Uint8Array() };
      if (fault?.kind === "reset-mid-body") {
        const sent = fault.status === undefined ? normal : { ...normal, status: fault.status };
        return finish({
          kind: "reset-mid-body",
          answer: sent,
          bytesBeforeReset: Math.floor(sent.body.byteLength / 2),
        });
      }
      return finish({ kind: "answer", answer: normal });
    },
  };
}

function faultAnswer(fault: Extract<Fault, { kind: "respond" }>): HttpAnswer {
  const { bytes, contentType } = encodeBody(fault.body);
  const given = Object.fromEntries(Object.entries(fault.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const headers =
    contentType && !("content-type" in given) ? { "content-type": contentType, ...given } : given;
  const body = NULL_BODY_STATUSES.has(fault.status) ? new Uint8Array() : bytes;
  return { status: fault.status, headers, body };
}

function recordRequest(
  request: SimulatedRequest,
  target: Target,
  route: Route,
  apiKey: string,
): RecordedRequest {
  const headers = { ...request.headers };
  if (headers.authorization !== undefined) headers.authorization = REDACTED;
  let body: unknown;
  if (request.body.byteLength > 0) {
    // Sniffed as the answer path reads JSON, so UTF-16/32 bodies are recorded as text, not garbled UTF-8.
    const text = decodeJsonBytes(request.body) ?? new TextDecoder().decode(request.body);
    const parsed = parsePythonJson(text);
    body = parsed.ok ? parsed.value : text;
  }
  return redactSecret(
    {
      method: request.method,
      path: target.path,
      query: Object.fromEntries(target.query),
      headers,
      body,
      ...(route.kind === "operation" && { operationId: route.operation.operationId }),
      status: 0,
    },
    apiKey,
  );
}

interface Target {
  readonly path: string;
  readonly rawQuery: string;
  readonly query: URLSearchParams;
}

/** Splits a request target; an absolute-form target (`http://host/path`, sent to proxies) keeps its path. */
function splitTarget(target: string): Target {
  const relative = /^[a-z][a-z0-9+.-]*:\/\//i.test(target)
    ? target.replace(/^[^:]+:\/\/[^/?#]*/, "")
    : target;
  const [beforeFragment = ""] = relative.split("#");
  const at = beforeFragment.indexOf("?");
  const path = (at < 0 ? beforeFragment : beforeFragment.slice(0, at)) || "/";
  const rawQuery = at < 0 ? "" : beforeFragment.slice(at + 1);
  return { path, rawQuery, query: new URLSearchParams(rawQuery) };
}

function randomApiKey(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(12));
  return `mock-key-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

function checkOptions(options: SimulatorOptions, caller: string): void {
  const { apiKey } = options;
  // HTTP trims header values and forbids control characters, so such a key could never be sent.
  if (
    apiKey !== undefined &&
    (typeof apiKey !== "string" ||
      !/^[^\s\x00-\x1f\x7f](?:[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f])?$/.test(apiKey))
  )
    throw new TypeError(
      `${caller}: options.apiKey must be a non-empty string without control characters or spaces at either end.`,
    );
}
