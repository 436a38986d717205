import { once } from "node:events";
import { type AddressInfo, createServer, type Socket } from "node:net";
import type { paths } from "@datafold-ci/types";
import createClient from "openapi-fetch";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createDatafoldClient, type DatafoldClientOptions } from "../src/index.js";
import { details } from "./helpers/client.js";
import { testKey } from "./helpers/secrets.js";

// The typed methods go through openapi-fetch: on the wire they must be what openapi-fetch itself sends
// with the client's headers, and nothing else.

const ANSWER = JSON.stringify({ ci_run_id: 1, run_id: 1 });

/** A TCP server on loopback that records every request's raw bytes and answers each on a fresh connection. */
async function startRecordingServer() {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    let received = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const headEnd = received.indexOf("\r\n\r\n");
      if (headEnd === -1) return;
      const length = Number(
        /\r\ncontent-length: *(\d+)/i.exec(received.subarray(0, headEnd).toString())?.[1] ?? 0,
      );
      if (received.length < headEnd + 4 + length) return;
      requests.push(received.toString("latin1"));
      socket.end(
        `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${ANSWER.length}\r\nconnection: close\r\n\r\n${ANSWER}`,
      );
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

let server: Awaited<ReturnType<typeof startRecordingServer>>;
beforeEach(async () => {
  server = await startRecordingServer();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await server.close();
});

describe("triggerPrRun on the wire", () => {
  it.each<[string, Pick<DatafoldClientOptions, "fetch">]>([
    ["the platform's fetch", {}],
    ["a caller's fetch", { fetch: (request) => fetch(request) }],
  ])(
    "sends byte for byte what bare openapi-fetch sends with the same headers, with %s",
    async (_, options) => {
      const clientOptions: DatafoldClientOptions = {
        apiKey: testKey(),
        baseUrl: `${server.url}/prefix/`,
        env: {},
        headers: { "X-Trace": "abc", Accept: "application/json" },
        userAgent: "byte-check/1.0",
        ...options,
      };
      const datafold = createDatafoldClient(clientOptions);
      // One request per call: the trigger's look at the PR's runs (look-for-started-run.test.ts) is off.
      await expect(datafold.triggerPrRun(7, details, { checkForStartedRun: false })).resolves.toEqual({
        ci_run_id: 1,
        run_id: 1,
      });
      const [first] = server.requests;
      const bare = createClient<paths>({
        baseUrl: `${server.url}/prefix`,
        headers: {
          "X-Trace": "abc",
          Accept: "application/json",
          Authorization: `Key ${clientOptions.apiKey}`,
          "User-Agent": /\r\nUser-Agent: ([^\r]+)\r\n/.exec(first!)![1]!,
        },
      });
      await bare.POST("/api/v1/ci/{ci_config_id}/trigger", {
        params: { path: { ci_config_id: 7 } },
        body: details,
      });
      const second = server.requests[1];
      expect(first).toMatch(/^POST \/prefix\/api\/v1\/ci\/7\/trigger HTTP\/1\.1\r\n/);
      expect(first).toContain(`\r\nAuthorization: Key ${clientOptions.apiKey}\r\n`);
      expect(first).toContain("\r\nX-Trace: abc\r\n");
      expect(first).toContain("\r\nContent-Type: application/json\r\n");
      expect(first).toMatch(/\r\nUser-Agent: byte-check\/1\.0 @datafold-ci\/client\/\S+\r\n/);
      expect(first!.endsWith(`\r\n\r\n${JSON.stringify(details)}`)).toBe(true);
      expect(second).toEqual(first);
    },
  );

  it("hands a caller's fetch one real Request per attempt", async () => {
    const seen: Request[] = [];
    const datafold = createDatafoldClient({
      apiKey: testKey(),
      baseUrl: server.url,
      env: {},
      fetch: (request) => {
        seen.push(request as Request);
        return fetch(request);
      },
    });
    await datafold.triggerPrRun(7, details, { checkForStartedRun: false });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(Request);
    expect(seen[0]).toMatchObject({ method: "POST", url: `${server.url}/api/v1/ci/7/trigger` });
  });
});
