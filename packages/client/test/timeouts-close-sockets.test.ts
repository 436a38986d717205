import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DatafoldClientOptions } from "../src/index.js";
import { details } from "./helpers/client.js";
import { instantRuntime } from "./helpers/runtime.js";
import { testKey } from "./helpers/secrets.js";

// A bare node:http server rather than @datafold-ci/testing: the kit does not expose its sockets, and
// this test must tell a socket that carried a hung request from idle keep-alive sockets (which may
// stay open) and from the spare connection undici opens after an abort (which carries no request).
async function startHangingServer(hangEvery: number) {
  const hungSockets = new Set<Socket>();
  let requests = 0;
  let hung = 0;
  const server = createServer((request, response) => {
    request.resume();
    if (++requests % hangEvery === 0) {
      hung++;
      hungSockets.add(request.socket);
      request.socket.once("close", () => hungSockets.delete(request.socket));
      return; // never answer: only the client can close this socket
    }
    request.on("end", () => response.end(JSON.stringify({ ci_run_id: 1, run_id: 1 })));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hungSockets,
    hungRequests: () => hung,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * `global.gc` for this test file only, without a flag on every test worker. The leak it guards
 * against needs a garbage collection while a request hangs (nodejs/undici#4068).
 */
function exposeGc(): NodeJS.GCFunction {
  if (globalThis.gc) return globalThis.gc;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as NodeJS.GCFunction;
}

let server: Awaited<ReturnType<typeof startHangingServer>> | undefined;
afterEach(async () => {
  await server?.close();
});

describe("a timed-out attempt", () => {
  it.each<[string, Pick<DatafoldClientOptions, "fetch">]>([
    ["the platform's fetch", {}],
    ["a caller's fetch", { fetch: (request) => fetch(request) }],
  ])(
    "closes its socket, under garbage collection, with %s",
    async (_, options) => {
      server = await startHangingServer(20);
      // A fresh copy of the client's code for each case, so each starts unoptimised, as in a new process.
      vi.resetModules();
      const { createDatafoldClientWithRuntime } = await import("../src/create-datafold-client.js");
      const client = createDatafoldClientWithRuntime(
        { apiKey: testKey(), baseUrl: server.url, env: {}, timeoutMs: 1_000, maxRetries: 0, ...options },
        instantRuntime(),
      );
      const gc = exposeGc();
      // Frequent minor collections, and enough calls for the attempt's code to be optimised: what it
      // takes for a Request the client built to be collected mid-attempt, cutting its abort off
      // (before the fix, 2,500 calls with 125 hangs left a few sockets open, every run).
      const collecting = setInterval(() => gc({ type: "minor" }), 5);
      const outcomes: Record<string, number> = {};
      let started = 0;
      try {
        await Promise.all(
          Array.from({ length: 16 }, async () => {
            while (started++ < 2500) {
              // One request per call (the look at the PR's runs is off), so every hung request is a timed-out call.
              const outcome = await client.triggerPrRun(7, details, { checkForStartedRun: false }).then(
                () => "ok",
                (error: Error) => error.name,
              );
              outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
            }
          }),
        );
      } finally {
        clearInterval(collecting);
      }

      // A slow machine may time out answered calls too; nothing else may go wrong. (1 s per attempt:
      // under CI's parallel load, 200 ms let most requests time out before the server saw them.)
      expect(
        Object.keys(outcomes).filter((name) => name !== "ok" && name !== "DatafoldTimeoutError"),
      ).toEqual([]);
      expect(outcomes.DatafoldTimeoutError).toBeGreaterThanOrEqual(server.hungRequests());
      // Every 20th request hangs (125 of 2,500); under CI load a few calls may time out before the
      // server sees them, so fewer hang, but enough must for the test to mean anything.
      expect(server.hungRequests()).toBeGreaterThanOrEqual(100);
      // The server never closes these; each must have been closed by the client's abort. A leaked
      // one stays open until the server gives up on it, and can keep a CLI's process alive.
      await vi.waitFor(() => expect(server?.hungSockets.size).toBe(0), { timeout: 2000 });
    },
    // Bounded by its 2,500 calls; the limit is for a machine under load, not what the test asserts.
    120_000,
  );
});
