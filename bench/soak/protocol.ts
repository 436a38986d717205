import type { Fault } from "../../packages/testing/dist/index.js";

/**
 * Messages between the soak's client process and the bench process, which hosts the testing kit.
 * The client asks for each fault and waits for the acknowledgement before its call, so the fault is
 * queued before the request that should meet it.
 */
export type ToBench =
  | { type: "fault"; id: number; fault: Fault }
  | { type: "progress"; settled: number }
  | { type: "done"; report: SoakReport };

export interface ToClient {
  type: "ack";
  id: number;
}

/** Settings the bench hands the soak client, as its one argument (JSON). */
export interface SoakSettings {
  url: string;
  apiKey: string;
  calls: number;
  warmUpCalls: number;
  /** Calls in flight at once. */
  width: number;
  /** One call in `faultEvery` is preceded by a scripted fault. */
  faultEvery: number;
  /** The client's per-attempt timeout: how long a hung request costs. */
  timeoutMs: number;
  /** How long to wait after the last call before counting open sockets: longer than keep-alive. */
  idleSocketWaitMs: number;
}

/** What the soak client saw. */
export interface SoakReport {
  /** Calls that settled, by outcome: "ok" or the error's `name`. */
  outcomes: Record<string, number>;
  /** Settled calls that rejected with something other than a DatafoldError: `name: message`, first few. */
  untyped: string[];
  faultsRequested: number;
  unhandledRejections: number;
  /** Process warnings, e.g. MaxListenersExceededWarning from leaked abort listeners. */
  warnings: string[];
  /** TCP sockets still open once keep-alive has expired: requests that were never torn down. */
  openSockets: number;
  seconds: number;
  memory: { afterWarmUp: Memory; atEnd: Memory };
}

export interface Memory {
  rss: number;
  heapUsed: number;
}
