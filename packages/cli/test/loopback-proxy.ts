import { once } from "node:events";
import {
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { type AddressInfo, type Server, type Socket, connect as tcpConnect } from "node:net";
import { TLSSocket } from "node:tls";
import type { TlsIdentity } from "./test-ca.js";

/** One request that passed through the proxy: a `CONNECT host:port` tunnel, or a forwarded `GET http://…`. */
export interface ProxiedRequest {
  readonly method: string;
  /** `host:port` for CONNECT, the absolute URL otherwise. */
  readonly target: string;
  /** The `Proxy-Authorization` header it carried, if any. */
  readonly proxyAuthorization?: string;
}

/** A forward proxy on 127.0.0.1, as a corporate proxy behaves for this CLI. */
export interface LoopbackProxy {
  /** `http://127.0.0.1:<port>`: the value for `HTTPS_PROXY` / `HTTP_PROXY`. */
  readonly url: string;
  /** Everything that passed through, in order. */
  readonly passed: ProxiedRequest[];
  close(): Promise<void>;
}

/**
 * Starts an HTTP proxy that tunnels `CONNECT` and forwards absolute-form requests. `route` maps the host
 * the client asked for to where the proxy connects, the way a proxy resolves names the client cannot
 * (`datafold.invalid:443` → a local TLS server); unmapped targets are dialled as given. With
 * `intercept`, it inspects TLS as corporate gateways do: it ends each tunnel's TLS itself with that
 * certificate and passes the decrypted bytes to the routed (plain HTTP) server. With `tls`, clients
 * speak TLS to the proxy itself (an `https://` proxy URL).
 */
export async function startLoopbackProxy(
  route: (hostPort: string) => { host: string; port: number } | undefined = () => undefined,
  options: { intercept?: TlsIdentity; tls?: TlsIdentity } = {},
): Promise<LoopbackProxy> {
  const passed: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const dial = (hostPort: string) => {
    const mapped = route(hostPort);
    const [host = "", port = "80"] = hostPort.split(/:(?=\d+$)/);
    return mapped ?? { host, port: Number(port) };
  };
  const record = (method: string, target: string, authorization: string | undefined) =>
    passed.push({
      method,
      target,
      ...(authorization !== undefined && { proxyAuthorization: authorization }),
    });
  const forward = (req: IncomingMessage, res: ServerResponse) => {
    record(req.method ?? "", req.url ?? "", req.headers["proxy-authorization"]);
    const url = new URL(req.url ?? "");
    const upstream = httpRequest(
      { ...dial(url.host), method: req.method, path: url.pathname + url.search, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  };
  const server = options.tls ? createHttpsServer(options.tls, forward) : createHttpServer(forward);
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("connect", (req, client: Socket, head: Buffer) => {
    const target = req.url ?? "";
    record("CONNECT", target, req.headers["proxy-authorization"]);
    const upstream = tcpConnect(dial(target), () => {
      // The 200 goes out in clear; only then does the client start TLS, with us when we inspect it.
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n", () => {
        const clear = options.intercept
          ? new TLSSocket(client, { isServer: true, ...options.intercept })
          : client;
        if (!options.intercept) upstream.write(head);
        clear.on("error", () => upstream.destroy());
        upstream.pipe(clear);
        clear.pipe(upstream);
      });
    });
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    passed,
    close: () => closeServer(server, sockets),
  };
}

/** Closes `server` and destroys every socket still open, so a test never waits on keep-alive. */
export async function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
