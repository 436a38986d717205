import { once } from "node:events";
import { type AddressInfo, connect as tcpConnect, type Socket } from "node:net";
import { createServer } from "node:tls";
import { closeServer } from "./loopback-proxy.js";
import { makeTestCa, type TestCa, type TlsIdentity } from "./test-ca.js";

/** A TLS server on 127.0.0.1 that decrypts and passes each connection on to a plain HTTP server. */
export interface TlsFront {
  readonly port: number;
  /** The CA that signed the certificate, for `NODE_EXTRA_CA_CERTS`. */
  readonly caFile: string;
  close(): Promise<void>;
}

/**
 * Serves `hostname` (and 127.0.0.1) over TLS in front of `backendPort`, with a certificate from a CA
 * made for this run, so an `https://` Datafold host can be reached as in production. `port` 0 picks a
 * free one; pass the `ca` to share one with other servers.
 */
export async function startTlsFront(
  hostname: string,
  backendPort: number,
  options: { port?: number; ca?: TestCa } = {},
): Promise<TlsFront> {
  const ca = options.ca ?? (await makeTestCa("datafold-ci test CA"));
  const server = await startTlsServer(
    await ca.issue([hostname, "127.0.0.1"]),
    backendPort,
    options.port ?? 0,
  );
  return {
    port: server.port,
    caFile: ca.caFile,
    close: async () => {
      await server.close();
      if (!options.ca) await ca.close();
    },
  };
}

/** A TLS server on 127.0.0.1, counting the connections it accepted. */
export interface TlsServer {
  readonly port: number;
  /** Connections accepted so far, handshakes that failed included. */
  connections(): number;
  close(): Promise<void>;
}

/** A TLS server with `identity` on 127.0.0.1:`port` that passes the decrypted bytes to `backendPort`. */
export async function startTlsServer(
  identity: TlsIdentity,
  backendPort: number,
  port = 0,
): Promise<TlsServer> {
  let accepted = 0;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  };
  const server = createServer(identity, (clear) => {
    const backend = tcpConnect(backendPort, "127.0.0.1");
    track(backend);
    clear.pipe(backend).pipe(clear);
    backend.on("error", () => clear.destroy());
    clear.on("error", () => backend.destroy());
  });
  server.on("connection", (socket: Socket) => {
    accepted++;
    track(socket);
  });
  // A client that gives up on our certificate resets the handshake; that is the test's business.
  server.on("tlsClientError", () => {});
  server.listen(port, "127.0.0.1");
  await Promise.race([
    once(server, "listening"),
    once(server, "error").then(([error]) => Promise.reject(error)),
  ]);
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => accepted,
    close: () => closeServer(server, sockets),
  };
}
