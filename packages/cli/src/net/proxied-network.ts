import type { Socket } from "node:net";
import { Agent, buildConnector, type Dispatcher, Pool, fetch as undiciFetch } from "undici";
import { type ProxyEndpoint, type ProxySettings, proxyFor } from "./proxy-settings.js";
import { ProxyTunnelError } from "./proxy-tunnel-error.js";
import { connectToProxy, openTunnel, type TunnelOptions } from "./tunnel.js";

/** A `fetch` that honours the proxy settings, and the way to end its connections. */
export interface ProxiedNetwork {
  readonly fetch: typeof globalThis.fetch;
  /** Ends every connection, tunnels still being set up included, so nothing keeps the process alive. */
  close(): Promise<void>;
}

/** undici's own limit for making a connection, applied to the proxy's answer too. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * One network path for every Node major: the bundled undici's own `fetch` with a dispatcher of its
 * own undici (never Node's `fetch` with another undici's dispatcher), which
 * - forwards `http://` requests to the proxy in absolute form (`POST http://host/path`), as curl and
 *   Python's requests do, and as proxies' stock rules allow (squid tunnels to port 443 only);
 * - tunnels `https://` requests through `CONNECT`, one connection per attempt, naming what the proxy
 *   answered; undici's proxy agent reconnects without end when a proxy closes a tunnel unanswered;
 * - sends hosts in `NO_PROXY` direct.
 * The proxy's credentials go in `Proxy-Authorization` (Basic). The undici and proxy facts behind this, with
 * sources: docs/datafold-facts.md, "Node, undici and proxies".
 */
export function createProxiedNetwork(settings: ProxySettings): ProxiedNetwork {
  const sockets = new Set<Socket>();
  const options: TunnelOptions = {
    timeoutMs: CONNECT_TIMEOUT_MS,
    track: (socket) => {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
    },
  };
  const overTunnel = buildConnector({ timeout: CONNECT_TIMEOUT_MS });
  const forwarding = new Map<string, ProxyEndpoint>();
  const tunnelTo =
    (proxy: ProxyEndpoint): buildConnector.connector =>
    (target, callback) => {
      openTunnel(proxy, { hostname: target.hostname, port: Number(target.port) || 443 }, options).then(
        (socket) => overTunnel({ ...target, httpSocket: socket }, callback),
        (error: Error) => callback(error, null),
      );
    };
  const toProxy =
    (proxy: ProxyEndpoint): buildConnector.connector =>
    (_, callback) => {
      connectToProxy(proxy, options).then(
        (socket) => callback(null, socket),
        (error: Error) => callback(error, null),
      );
    };
  const agent = new Agent({
    factory: (origin, poolOptions) => {
      const url = new URL(String(origin));
      const forwardVia = forwarding.get(url.origin);
      const tunnelVia = url.protocol === "https:" ? proxyFor(settings, url) : undefined;
      const connect = forwardVia ? toProxy(forwardVia) : tunnelVia ? tunnelTo(tunnelVia) : undefined;
      return new Pool(origin, { ...poolOptions, ...(connect && { connect }) });
    },
  });
  // An http:// request for a proxied host goes to the proxy, its target in the request line.
  const dispatcher = agent.compose((dispatch): Dispatcher.Dispatch => (request, handler) => {
    const url = new URL(String(request.origin));
    const proxy = url.protocol === "http:" ? proxyFor(settings, url) : undefined;
    if (!proxy) return dispatch(request, handler);
    forwarding.set(proxy.origin, proxy);
    const headers = {
      ...headerRecord(request.headers),
      host: url.host,
      ...(proxy.authorization && { "proxy-authorization": proxy.authorization }),
    };
    // `fetch` makes any 407 a bare "fetch failed" (the Fetch standard's rule for a proxy's 407): the
    // request is ended here instead, with the error that names the proxy and its variable.
    const refused = (authenticate: string | undefined) =>
      new ProxyTunnelError({
        reason: "auth",
        proxy,
        target: url.host,
        status: 407,
        ...(authenticate !== undefined && { authenticate }),
      });
    return dispatch(
      { ...request, origin: proxy.origin, path: `${url.origin}${request.path}`, headers },
      endOn407(handler, refused),
    );
  });
  const fetch = async (
    input: Parameters<typeof globalThis.fetch>[0],
    init?: RequestInit,
  ): Promise<Response> => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const answer = await undiciFetch(request.url, {
      method: request.method,
      headers: [...request.headers],
      body: request.body ? await request.arrayBuffer() : null,
      signal: request.signal,
      redirect: request.redirect,
      dispatcher,
    });
    // The platform's Response, which the client (and `instanceof Response`) expect.
    return new Response(answer.body, {
      status: answer.status,
      statusText: answer.statusText,
      headers: [...answer.headers],
    });
  };
  return {
    fetch,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await agent.destroy();
    },
  };
}

/**
 * `handler` for a forwarded request, ending it with `error()` when the proxy answers 407. undici
 * hands interceptors its handler interface of `onRequestStart`, `onResponseStart`, … (a `compose`d
 * dispatcher wraps older handlers in it), so that is the one to pass on.
 */
function endOn407(
  handler: Dispatcher.DispatchHandler,
  error: (authenticate: string | undefined) => Error,
): Dispatcher.DispatchHandler {
  return {
    onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
    onRequestUpgrade: (controller, status, headers, socket) =>
      handler.onRequestUpgrade?.(controller, status, headers, socket),
    onResponseStart: (controller, status, headers, statusMessage) => {
      if (status !== 407) return handler.onResponseStart?.(controller, status, headers, statusMessage);
      const authenticate = headers["proxy-authenticate"];
      controller.abort(error(Array.isArray(authenticate) ? authenticate.join(", ") : authenticate));
    },
    onResponseData: (controller, chunk) => handler.onResponseData?.(controller, chunk),
    onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(controller, trailers),
    onResponseError: (controller, reason) => handler.onResponseError?.(controller, reason),
  };
}

/** undici's request headers (an object, a flat `[name, value, …]` list, or pairs) as one record. */
function headerRecord(headers: Dispatcher.DispatchOptions["headers"]): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  const add = (name: string, value: string | string[] | undefined) => {
    if (value !== undefined) record[name.toLowerCase()] = value;
  };
  if (!headers) return record;
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) add(String(headers[i]), String(headers[i + 1]));
  } else if (isIterable(headers)) {
    for (const [name, value] of headers) add(name, value);
  } else {
    for (const [name, value] of Object.entries(headers)) add(name, value);
  }
  return record;
}

function isIterable(value: object): value is Iterable<[string, string | string[] | undefined]> {
  return Symbol.iterator in value;
}
