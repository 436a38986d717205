import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { datafoldApi } from "@datafold-ci/api-description";
import {
  createDatafoldSimulator,
  type DatafoldBehaviourOptions,
  type DatafoldSimulator,
  type MockDatafoldControls,
  type SimulatedOutcome,
} from "./datafold-simulator.js";
import { internalErrorAnswer } from "./http-answer.js";

/** Options of {@link startMockDatafold}. */
export interface MockDatafoldOptions extends DatafoldBehaviourOptions {
  /**
   * Port to listen on; `0` picks a free one (read it from `url`).
   * @default 0
   */
  port?: number;
  /**
   * Interface to listen on. Keep it on loopback unless you mean to expose the mock.
   * @default "127.0.0.1"
   */
  host?: string;
}

/** A running mock Datafold. */
export interface MockDatafold extends MockDatafoldControls {
  /** Base URL to point a client at, e.g. `http://127.0.0.1:41235` (no trailing slash). */
  readonly url: string;
  /**
   * Stops listening and destroys every open connection, hung and delayed requests included.
   * Resolves once the server is closed and no socket is left. Safe to call more than once.
   */
  close(): Promise<void>;
}

/**
 * Starts a Datafold stand-in on a real `node:http` server: every operation in `spec/` is served,
 * requests are validated as Datafold's FastAPI validates them (422 in FastAPI's shape), the API
 * key is checked, triggers start runs with increasing ids, and scripted faults are played in order.
 *
 * @example
 * const datafold = await startMockDatafold();
 * const response = await fetch(`${datafold.url}/api/v1/ci/42/trigger`, {
 *   method: "POST",
 *   headers: { authorization: `Key ${datafold.apiKey}`, "content-type": "application/json" },
 *   body: JSON.stringify({ pr_number: 7, pr_branch: "feature", base_branch: "main", pr_sha: "abc", base_sha: "def" }),
 * });
 * await response.json(); // { ci_run_id: 1, run_id: 1 }
 * await datafold.close();
 */
export async function startMockDatafold(options: MockDatafoldOptions = {}): Promise<MockDatafold> {
  const simulator = createDatafoldSimulator(datafoldApi, options, "startMockDatafold");
  return serveSimulator(simulator, options, "startMockDatafold");
}

/** Serves `simulator` over `node:http`; the bin uses it to log what the simulator answers. */
export async function serveSimulator(
  simulator: DatafoldSimulator,
  { host = "127.0.0.1", port = 0 }: Pick<MockDatafoldOptions, "host" | "port">,
  caller: string,
): Promise<MockDatafold> {
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535))
    throw new TypeError(`${caller}: options.port must be an integer from 0 to 65535, got ${String(port)}.`);
  if (typeof host !== "string" || host === "")
    throw new TypeError(`${caller}: options.host must be a host name or IP address, got ${String(host)}.`);

  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  const hostInUrl = host.includes(":") ? `[${host}]` : host;
  let url = "";

  const respond = async (req: IncomingMessage, res: ServerResponse) => {
    let body: Uint8Array;
    try {
      body = await readBody(req);
    } catch {
      return; // the client went away mid-request
    }
    const outcome = await simulator.handle(
      {
        method: req.method ?? "GET",
        target: req.url ?? "/",
        origin: req.headers.host ? `http://${req.headers.host}` : url,
        headers: flattenHeaders(req.headers),
        body,
      },
      sleep,
    );
    if (!req.socket.destroyed) send(outcome, req, res);
  };

  const server = createServer((req, res) => {
    respond(req, res).catch((error: unknown) => {
      console.error("datafold-mock: internal error", error);
      if (!res.headersSent && !req.socket.destroyed)
        send({ kind: "answer", answer: internalErrorAnswer() }, req, res);
      else req.socket.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) =>
      reject(
        new Error(`${caller}: cannot listen on ${hostInUrl}:${port}: ${error.code ?? error.message}`, {
          cause: error,
        }),
      );
    server.once("error", fail);
    server.listen(port, host, () => {
      server.off("error", fail);
      resolve();
    });
  });
  url = `http://${hostInUrl}:${(server.address() as AddressInfo).port}`;

  let closed: Promise<void> | undefined;
  return {
    ...simulator.controls,
    url,
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}

function send(outcome: SimulatedOutcome, req: IncomingMessage, res: ServerResponse): void {
  switch (outcome.kind) {
    case "hang":
      return;
    case "reset":
      req.socket.resetAndDestroy();
      return;
    case "answer": {
      const { status, headers, body } = outcome.answer;
      res.writeHead(status, { "content-length": String(body.byteLength), ...headers });
      res.end(body);
      return;
    }
    case "reset-mid-body": {
      const { status, headers, body } = outcome.answer;
      // The full length is announced, so the client knows the body it got was cut short.
      res.writeHead(status, { ...headers, "content-length": String(body.byteLength) });
      res.flushHeaders();
      res.write(body.subarray(0, outcome.bytesBeforeReset), () => req.socket.destroy());
      return;
    }
  }
}

async function readBody(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}
