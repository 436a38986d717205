/**
 * `@datafold-ci/testing/msw`: the mock Datafold as msw 2 request handlers, for test suites that
 * already intercept `fetch` with msw. Same behaviour as `startMockDatafold`, no server, no port.
 * @packageDocumentation
 */
import { datafoldApi } from "@datafold-ci/api-description";
import { type HttpHandler, http } from "msw";
import {
  createDatafoldSimulator,
  type DatafoldBehaviourOptions,
  type MockDatafoldControls,
  type SimulatedOutcome,
} from "./datafold-simulator.js";

export type { Clock, FakeClock } from "./clock.js";
export { fakeClock } from "./clock.js";
export type { CiRunControls, CiRunOptions, CiRunSnapshot, TriggeredRun } from "./datafold-ci-runs.js";
export type { DatafoldBehaviourOptions, MockDatafoldControls } from "./datafold-simulator.js";
export type { Fault, FaultKind } from "./fault.js";
export type { RecordedRequest } from "./recorded-request.js";
export type { RunLifecycle, RunStage } from "./run-lifecycle.js";

/** Options of {@link datafoldHandlers}. */
export interface DatafoldHandlersOptions extends DatafoldBehaviourOptions {
  /**
   * The Datafold origin to intercept; every request to it is answered, unknown routes with 404.
   * @default the spec's first server, "https://app.datafold.com"
   */
  baseUrl?: string;
}

/** msw handlers for one simulated Datafold, and the controls to steer and inspect it. */
export interface DatafoldHandlers extends MockDatafoldControls {
  /** Pass to `setupServer(...handlers)`, `setupWorker(...handlers)` or `server.use(...handlers)`. */
  readonly handlers: HttpHandler[];
  /** The intercepted origin, without a trailing slash. */
  readonly baseUrl: string;
}

/**
 * The mock Datafold as msw 2 handlers: same validation, auth, runs and their lifecycle (the same
 * `clock`, `runLifecycle` and `supersede` options), faults and recording as
 * `startMockDatafold`, in-process. A `reset` fault becomes a network error; `reset-mid-body` a body
 * stream that fails half way; `hang` a response that never comes (until the request is aborted).
 *
 * @example
 * import { setupServer } from "msw/node";
 * import { datafoldHandlers } from "@datafold-ci/testing/msw";
 *
 * const datafold = datafoldHandlers({ apiKey: "test-key" });
 * const server = setupServer(...datafold.handlers);
 * server.listen({ onUnhandledRequest: "error" });
 * datafold.enqueue({ kind: "respond", status: 503 });
 */
export function datafoldHandlers(options: DatafoldHandlersOptions = {}): DatafoldHandlers {
  const simulator = createDatafoldSimulator(datafoldApi, options, "datafoldHandlers");
  const baseUrl = checkBaseUrl(options.baseUrl ?? datafoldApi.servers[0]?.url);
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const handler = http.all(`${baseUrl}/*`, async ({ request }) => {
    const url = new URL(request.url);
    const outcome = await simulator.handle(
      {
        method: request.method,
        target: `${url.pathname}${url.search}`,
        origin: url.origin,
        headers: Object.fromEntries(request.headers),
        body: new Uint8Array(await request.arrayBuffer()),
      },
      sleep,
    );
    return toResponse(outcome, request.signal);
  });
  return { ...simulator.controls, handlers: [handler], baseUrl };
}

function toResponse(outcome: SimulatedOutcome, signal: AbortSignal): Response | Promise<Response> {
  switch (outcome.kind) {
    case "answer": {
      const { status, headers, body } = outcome.answer;
      return new Response(body.byteLength > 0 ? body : null, { status, headers });
    }
    case "reset":
      return Response.error();
    case "hang":
      return new Promise((resolve) => {
        if (signal.aborted) resolve(Response.error());
        signal.addEventListener("abort", () => resolve(Response.error()), { once: true });
      });
    case "reset-mid-body": {
      const { status, headers, body } = outcome.answer;
      let sentPart = false;
      // A pull source, because erroring a stream discards chunks still queued in it.
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sentPart) {
            controller.error(new TypeError("terminated: the mock closed the connection mid-body"));
            return;
          }
          sentPart = true;
          controller.enqueue(body.subarray(0, outcome.bytesBeforeReset));
        },
      });
      return new Response(stream, {
        status,
        headers: { ...headers, "content-length": String(body.byteLength) },
      });
    }
  }
}

function checkBaseUrl(baseUrl: string | undefined): string {
  let url: URL | undefined;
  try {
    url = baseUrl === undefined ? undefined : new URL(baseUrl);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.pathname !== "/" || url.search || url.hash)
    throw new TypeError(
      `datafoldHandlers: options.baseUrl must be an http(s) origin such as "https://app.datafold.com", got ${JSON.stringify(baseUrl)}.`,
    );
  return url.origin;
}
