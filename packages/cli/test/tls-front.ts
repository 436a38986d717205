import { execFile } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { type AddressInfo, connect as tcpConnect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:tls";
import { promisify } from "node:util";
import { closeServer } from "./loopback-proxy.js";

/** A TLS server on 127.0.0.1 that decrypts and passes each connection on to a plain HTTP server. */
export interface TlsFront {
  readonly port: number;
  /** The self-signed certificate, for `NODE_EXTRA_CA_CERTS`. */
  readonly caFile: string;
  close(): Promise<void>;
}

/**
 * Serves `hostname` over TLS in front of `backendPort`, with a certificate made by `openssl` for this
 * run, so an `https://` Datafold host can be reached through a proxy exactly as in production.
 */
export async function startTlsFront(hostname: string, backendPort: number): Promise<TlsFront> {
  const dir = await mkdtemp(join(tmpdir(), "datafold-ci-tls-"));
  const [key, cert] = [join(dir, "key.pem"), join(dir, "cert.pem")];
  await promisify(execFile)("openssl", [
    ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-keyout", key, "-out", cert],
    ...["-subj", `/CN=${hostname}`, "-addext", `subjectAltName=DNS:${hostname}`],
  ]);
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  };
  const server = createServer({ key: await readFile(key), cert: await readFile(cert) }, (clear) => {
    const backend = tcpConnect(backendPort, "127.0.0.1");
    track(backend);
    clear.pipe(backend).pipe(clear);
    backend.on("error", () => clear.destroy());
    clear.on("error", () => backend.destroy());
  });
  server.on("connection", track);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    port: (server.address() as AddressInfo).port,
    caFile: cert,
    close: async () => {
      await closeServer(server, sockets);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
