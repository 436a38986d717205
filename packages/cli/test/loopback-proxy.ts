import { once } from "node:events";
import { createServer as createHttpServer, request as httpRequest } from "node:http";
import { type AddressInfo, type Server, type Socket, connect as tcpConnect } from "node:net";

/** One request that passed through the proxy: a `CONNECT host:port` tunnel, or a forwarded `GET http://…`. */
export interface ProxiedRequest {
  readonly method: string;
  /** `host:port` for CONNECT, the absolute URL otherwise. */
  readonly target: string;
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
 * (`datafold.invalid:443` → a local TLS server); unmapped targets are dialled as given.
 */
export async function startLoopbackProxy(
  route: (hostPort: string) => { host: string; port: number } | undefined = () => undefined,
): Promise<LoopbackProxy> {
  const passed: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const dial = (hostPort: string) => {
    const mapped = route(hostPort);
    const [host = "", port = "80"] = hostPort.split(/:(?=\d+$)/);
    return mapped ?? { host, port: Number(port) };
  };
  const server = createHttpServer((req, res) => {
    passed.push({ method: req.method ?? "", target: req.url ?? "" });
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
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("connect", (req, client: Socket, head: Buffer) => {
    const target = req.url ?? "";
    passed.push({ method: "CONNECT", target });
    const upstream = tcpConnect(dial(target), () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    passed,
    close: () => closeServer(server, sockets),
  };
}

/** Closes `server` and destroys every socket still open, so a test never waits on keep-alive. */
export async function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
