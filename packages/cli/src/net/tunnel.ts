import { isIP, connect as netConnect, type Socket } from "node:net";
import { classifyNetworkFailure } from "@datafold-ci/client";
import { connect as tlsConnect } from "node:tls";
import type { ProxyEndpoint } from "./proxy-settings.js";
import { type ProxyFailureFacts, ProxyTunnelError } from "./proxy-tunnel-error.js";

/** How long to wait for the proxy, and where every socket opened to it is registered (to close them all at the end). */
export interface TunnelOptions {
  readonly timeoutMs: number;
  readonly track: (socket: Socket) => void;
}

// A proxy's answer to CONNECT is a status line and a few headers; more than this is not a proxy.
const MAX_HEAD_BYTES = 64 * 1024;

/**
 * Connects to `proxy` itself: TCP, or TLS for an `https://` proxy. A failure to connect is a
 * {@link ProxyTunnelError} (`unreachable`); a TLS failure stays the TLS error (a `tls` failure), with
 * the proxy as its `host`.
 */
export function connectToProxy(proxy: ProxyEndpoint, options: TunnelOptions): Promise<Socket> {
  const secure = proxy.protocol === "https:";
  const socket = secure
    ? tlsConnect({
        host: proxy.hostname,
        port: proxy.port,
        ALPNProtocols: ["http/1.1"],
        // SNI carries a host name, never an IP address.
        ...(isIP(proxy.hostname) === 0 && { servername: proxy.hostname }),
      })
    : netConnect({ host: proxy.hostname, port: proxy.port });
  options.track(socket);
  return new Promise((resolve, reject) => {
    const fail = (facts: Pick<ProxyFailureFacts, "cause" | "waitedMs">) => {
      finish();
      socket.destroy();
      if (facts.cause instanceof Error && classifyNetworkFailure(facts.cause).kind === "tls") {
        // A certificate check failed: the proxy's TLS, not its availability. Name the proxy as the host.
        if (!("host" in facts.cause)) Object.assign(facts.cause, { host: proxy.host });
        reject(facts.cause);
      } else reject(new ProxyTunnelError({ reason: "unreachable", proxy, target: proxy.host, ...facts }));
    };
    const timer = setTimeout(() => fail({ waitedMs: options.timeoutMs }), options.timeoutMs);
    timer.unref();
    const onError = (cause: Error) => fail({ cause });
    const onConnect = () => {
      finish();
      resolve(socket);
    };
    const finish = () => {
      clearTimeout(timer);
      socket.off("error", onError);
      socket.off(secure ? "secureConnect" : "connect", onConnect);
    };
    socket.once("error", onError);
    socket.once(secure ? "secureConnect" : "connect", onConnect);
  });
}

/**
 * Asks `proxy` for a tunnel to `target` (`CONNECT host:port`, with the proxy's Basic credentials) and
 * resolves with the socket once the proxy answers 2xx, ready for the TLS handshake with the target.
 * Rejects with a {@link ProxyTunnelError} for any other answer, a connection closed without one, or
 * no answer within `options.timeoutMs`. One connection per call: nothing here retries.
 */
export async function openTunnel(
  proxy: ProxyEndpoint,
  target: { readonly hostname: string; readonly port: number },
  options: TunnelOptions,
): Promise<Socket> {
  const socket = await connectToProxy(proxy, options);
  const hostPort = `${isIP(target.hostname) === 6 ? `[${target.hostname}]` : target.hostname}:${target.port}`;
  const facts = { proxy, target: hostPort };
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    const fail = (error: ProxyTunnelError) => {
      finish();
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new ProxyTunnelError({ ...facts, reason: "silent", waitedMs: options.timeoutMs })),
      options.timeoutMs,
    );
    timer.unref();
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) {
        if (head.length > MAX_HEAD_BYTES) fail(new ProxyTunnelError({ ...facts, reason: "garbled" }));
        return;
      }
      const answer = parseHead(head.subarray(0, end).toString("latin1"));
      if (!answer) return fail(new ProxyTunnelError({ ...facts, reason: "garbled" }));
      if (answer.status >= 200 && answer.status < 300) {
        finish();
        // Bytes after the answer already belong to the tunnel; the TLS handshake reads them first.
        socket.pause();
        const rest = head.subarray(end + 4);
        if (rest.length > 0) socket.unshift(rest);
        return resolve(socket);
      }
      const authenticate = answer.headers.get("proxy-authenticate");
      const squidError = answer.headers.get("x-squid-error");
      fail(
        new ProxyTunnelError({
          ...facts,
          reason: answer.status === 407 ? "auth" : answer.status >= 500 ? "unavailable" : "refused",
          status: answer.status,
          statusText: answer.statusText,
          ...(authenticate !== undefined && { authenticate }),
          ...(squidError !== undefined && { squidError }),
        }),
      );
    };
    const onClose = () => fail(new ProxyTunnelError({ ...facts, reason: "closed" }));
    const onError = (cause: Error) => fail(new ProxyTunnelError({ ...facts, reason: "closed", cause }));
    const finish = () => {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("close", onClose);
      socket.off("error", onError);
    };
    socket.on("data", onData);
    socket.once("close", onClose);
    socket.once("error", onError);
    const authorization = proxy.authorization ? `Proxy-Authorization: ${proxy.authorization}\r\n` : "";
    socket.write(`CONNECT ${hostPort} HTTP/1.1\r\nHost: ${hostPort}\r\n${authorization}\r\n`);
  });
}

interface ProxyAnswer {
  readonly status: number;
  readonly statusText: string;
  /** Lower-case names; the first value of each. */
  readonly headers: ReadonlyMap<string, string>;
}

function parseHead(head: string): ProxyAnswer | undefined {
  const [statusLine = "", ...lines] = head.split("\r\n");
  const match = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
  if (!match) return undefined;
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(":");
    const name = line.slice(0, colon).trim().toLowerCase();
    if (colon > 0 && !headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { status: Number(match[1]), statusText: match[2] ?? "", headers };
}
