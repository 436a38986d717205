import { STATUS_CODES } from "node:http";

/**
 * Why the proxy gave no connection to the target:
 * - `auth`: it answered 407, wanting (other) credentials;
 * - `refused`: it answered with another 4xx, by its rules;
 * - `unavailable`: it answered 5xx, failing to reach the target itself (squid's 503 for a name it cannot resolve);
 * - `closed`: it closed the connection without answering;
 * - `silent`: it accepted the connection and never answered;
 * - `unreachable`: the connection to the proxy itself failed;
 * - `garbled`: what it answered is not HTTP.
 */
export type ProxyFailureReason =
  "auth" | "refused" | "unavailable" | "closed" | "silent" | "unreachable" | "garbled";

/** What a {@link ProxyTunnelError} is made of. */
export interface ProxyFailureFacts {
  readonly reason: ProxyFailureReason;
  /** The proxy, as messages name it (`proxy.corp:3128`), and the variable that named it. */
  readonly proxy: { readonly host: string; readonly variable: string; readonly authorization?: string };
  /** `host:port` the tunnel (or forwarded request) was for. */
  readonly target: string;
  readonly status?: number;
  readonly statusText?: string;
  /** The proxy's `Proxy-Authenticate` header: the schemes it accepts. */
  readonly authenticate?: string;
  /** Squid's `X-Squid-Error` (`ERR_DNS_FAIL 0`): what squid itself failed at. */
  readonly squidError?: string;
  /** For `silent` and a timed-out `unreachable`: how long the CLI waited. */
  readonly waitedMs?: number;
  readonly cause?: unknown;
}

/**
 * The proxy named by `HTTPS_PROXY` or `HTTP_PROXY` refused, dropped or never answered a request for
 * a tunnel (or, for an `http://` target, answered the forwarded request with 407). Its message is the
 * one the CLI prints. Its `code` is Node's for a failed proxy tunnel, `ERR_PROXY_TUNNEL`, which the
 * client classifies as a `proxy` failure: retried only when the proxy closed, was unreachable or
 * failed itself (5xx). The code must never be undici's `UND_ERR_SOCKET`: undici reconnects at once,
 * without end, after a failed connection with that code.
 */
export class ProxyTunnelError extends Error {
  override readonly name = "ProxyTunnelError";
  readonly code = "ERR_PROXY_TUNNEL";
  readonly reason: ProxyFailureReason;
  /** The proxy's `host:port` (the classifier reports it as the failure's host). */
  readonly host: string;
  readonly variable: string;
  readonly target: string;
  readonly statusCode?: number;

  constructor(facts: ProxyFailureFacts) {
    super(describe(facts), facts.cause === undefined ? undefined : { cause: facts.cause });
    this.reason = facts.reason;
    this.host = facts.proxy.host;
    this.variable = facts.proxy.variable;
    this.target = facts.target;
    if (facts.status !== undefined) this.statusCode = facts.status;
  }
}

function describe(facts: ProxyFailureFacts): string {
  const { proxy, target } = facts;
  const at = `the proxy at ${proxy.host}`;
  const status =
    facts.status === undefined
      ? ""
      : `${facts.status} ${facts.statusText || STATUS_CODES[facts.status] || ""}`.trim();
  switch (facts.reason) {
    case "auth": {
      // The schemes it offers: each challenge's first token (`Negotiate`, `Basic realm="corp"`), not its parameters.
      const schemes = [
        ...(facts.authenticate ?? "").matchAll(/(?:^|,)\s*([A-Za-z][\w-]*)(?=\s|,|$)(?!\s*=)/g),
      ].map((match) => match[1] ?? "");
      const notBasic = schemes.length > 0 && !schemes.some((scheme) => scheme.toLowerCase() === "basic");
      return (
        `${at} requires authentication (407): check the user and password in ${proxy.variable}` +
        (proxy.authorization
          ? ""
          : `; ${proxy.variable} has none: http://user:password@host:port, special characters percent-encoded`) +
        (notBasic
          ? `; the proxy asks for ${schemes.join(" or ")} authentication; datafold-ci sends Basic credentials only`
          : "")
      );
    }
    case "refused": {
      const port = Number(/:(\d+)$/.exec(target)?.[1]);
      const rule =
        facts.status === 403 && port !== 443
          ? `: proxies commonly allow tunnels (CONNECT) to port 443 only, as squid's stock rule "http_access deny CONNECT !SSL_ports" does, and port ${port} is not 443. Use a Datafold host on port 443, or have the proxy allow port ${port} (squid: "acl SSL_ports port ${port}")`
          : ": its rules do not allow this host; ask the proxy's administrators, or list the host in NO_PROXY if it is reachable directly";
      return `${at} refused the tunnel to ${target} (${status})${rule}`;
    }
    case "unavailable": {
      const squid = facts.squidError ? `; squid: ${facts.squidError.split(/\s/)[0]}` : "";
      return `${at} could not open a tunnel to ${target} (${status}${squid}): the proxy failed to reach the host; check the host name`;
    }
    case "closed":
      return `${at} closed the connection without answering the tunnel request to ${target}`;
    case "silent":
      return `${at} accepted the connection but did not answer the tunnel request to ${target} within ${seconds(facts.waitedMs)}`;
    case "unreachable": {
      const code = (facts.cause as { code?: unknown } | undefined)?.code;
      const why =
        typeof code === "string"
          ? code
          : facts.waitedMs === undefined
            ? "failed"
            : `no answer within ${seconds(facts.waitedMs)}`;
      return `could not connect to the proxy at ${proxy.host} named by ${proxy.variable} (${why})`;
    }
    case "garbled":
      return `${at} answered the tunnel request to ${target} with something that is not HTTP: is ${proxy.variable} an HTTP proxy?`;
  }
}

function seconds(ms: number | undefined): string {
  return `${Math.round((ms ?? 0) / 100) / 10} s`;
}
