import { once } from "node:events";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { closeServer } from "./loopback-proxy.js";

/**
 * How a broken proxy (or a firewall in its place) behaves:
 * - `drop`: reads the request, then closes the connection without a word;
 * - `silent`: reads the request and never answers;
 * - `stall`: answers `CONNECT` with 200, then never passes a byte (the TLS handshake hangs);
 * - `{ status }`: answers every request with that status (a 407 with a `Proxy-Authenticate` header).
 */
export type ProxyFault =
  "drop" | "silent" | "stall" | { readonly status: number; readonly authenticate?: string };

/** A proxy on 127.0.0.1 that fails as {@link ProxyFault} says, counting what it saw. */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Each request's first line, in order: `CONNECT datafold.invalid:443 HTTP/1.1`. */
  readonly requests: readonly string[];
  /** Forgets what was seen so far (between tests). */
  reset(): void;
  close(): Promise<void>;
}

/** Starts a {@link FaultProxy}. */
export async function startFaultProxy(fault: ProxyFault): Promise<FaultProxy> {
  let connections = 0;
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let head = "";
    const onData = (chunk: Buffer) => {
      head += chunk.toString("latin1");
      if (!head.includes("\r\n\r\n")) return;
      socket.off("data", onData);
      requests.push(head.slice(0, head.indexOf("\r\n")));
      if (fault === "drop") socket.destroy();
      else if (fault === "stall") socket.write("HTTP/1.1 200 Connection established\r\n\r\n");
      else if (fault !== "silent") {
        const authenticate = fault.authenticate ? `Proxy-Authenticate: ${fault.authenticate}\r\n` : "";
        socket.end(
          `HTTP/1.1 ${fault.status} Fault\r\n${authenticate}Content-Length: 0\r\nConnection: close\r\n\r\n`,
        );
      }
    };
    socket.on("data", onData);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get connections() {
      return connections;
    },
    requests,
    reset() {
      connections = 0;
      requests.length = 0;
    },
    close: () => closeServer(server, sockets),
  };
}
