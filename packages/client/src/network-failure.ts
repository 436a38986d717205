import { errorChain } from "@datafold-ci/api-description";

/**
 * What kind of network failure ended an attempt that got no answer:
 * - `proxy`: the proxy named by `HTTPS_PROXY`/`HTTP_PROXY` refused, closed or could not be reached;
 * - `tls`: a certificate check failed, or the server does not speak TLS;
 * - `dns`: the host name could not be resolved;
 * - `connect`: the connection could not be made (refused, unreachable, no answer to the handshake);
 * - `reset`: a connection that was made broke (reset, closed before the answer).
 */
export type NetworkFailureKind = "proxy" | "tls" | "dns" | "connect" | "reset";

/** One network failure, classified from what `fetch` threw (or from a proxy's answer). */
export interface NetworkFailure {
  readonly kind: NetworkFailureKind;
  /** Whether another attempt can help: never for a certificate, a proxy's refusal or its 407. */
  readonly retryable: boolean;
  /**
   * Whether the request may have reached the server: `false` only when it certainly did not (no
   * connection, no tunnel, no TLS session). A retry after `true` may repeat the request's effect.
   */
  readonly maybeSent: boolean;
  /** The error code it was recognised by (`ECONNREFUSED`, `CERT_HAS_EXPIRED`, `ERR_PROXY_TUNNEL`, …), when one was found. */
  readonly code?: string;
  /** The proxy's status line, when a proxy answered (`407`, a `CONNECT` refused with `403`, …). */
  readonly proxyStatus?: number;
}

// OpenSSL's certificate verify results (Node passes them on as `code`: UNABLE_TO_VERIFY_LEAF_SIGNATURE,
// CERT_HAS_EXPIRED, …) and Node's own TLS and SSL error codes.
const TLS_CODE =
  /^(ERR_TLS_|ERR_SSL_)|CERT|SELF_SIGNED|^UNABLE_TO_|^INVALID_(CA|PURPOSE)$|^PATH_LENGTH_EXCEEDED$|^HOSTNAME_MISMATCH$/;

// Whether retrying can help, per resolver error: a busy or flaky resolver (EAI_AGAIN, and the passing
// NXDOMAIN answers CI runners are known to give) recovers; a name with nothing usable behind it does not.
const DNS_CODES: Readonly<Record<string, boolean>> = {
  ENOTFOUND: true,
  EAI_AGAIN: true,
  EAI_FAIL: false,
  EAI_NONAME: false,
  EAI_NODATA: false,
};

// No connection was made, so nothing was sent.
const CONNECT_CODES = new Set([
  "ECONNREFUSED",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
]);

// A connection that was made broke: the request may have been sent.
const RESET_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "ECONNABORTED",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
]);

// undici's proxy agents (Node's own proxy support among them) report a tunnel the proxy refused in a
// message only; their own code is that of any aborted request.
const UNDICI_TUNNEL_REFUSED = /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling$/;
const UNDICI_FORWARD_407 = /^Proxy Authentication Required \(407\)$/;

/**
 * Classifies what `fetch` threw for an attempt that got no answer, from the Node.js and undici error
 * codes down its `cause` chain (Node's failure of every address of a host, an `AggregateError`, carries
 * the first one's code):
 *
 * | kind | codes | retryable |
 * |---|---|---|
 * | `proxy` | `ERR_PROXY_TUNNEL` (with `statusCode` when the proxy answered), `UND_ERR_PRX_CONN`, undici's "Proxy response (…) !== 200" | only when the proxy closed, was unreachable, or answered 5xx |
 * | `tls` | OpenSSL's verify codes (`UNABLE_TO_VERIFY_LEAF_SIGNATURE`, `CERT_HAS_EXPIRED`, …), `ERR_TLS_*`, `ERR_SSL_*` | never |
 * | `dns` | `ENOTFOUND`, `EAI_AGAIN`, … | `ENOTFOUND`, `EAI_AGAIN` |
 * | `connect` | `ECONNREFUSED`, `EHOSTUNREACH`, `UND_ERR_CONNECT_TIMEOUT`, … | yes |
 * | `reset` | `ECONNRESET`, `UND_ERR_SOCKET`, … | yes |
 *
 * Anything else is `connect`, retryable, and may have been sent. Pure: it reads the error only. It
 * keeps what the retry decision and the error's `kind` need; a tool that words the failure for a
 * person reads the rest (the host, the step that failed) from the error chain itself.
 *
 * @example
 * classifyNetworkFailure(new TypeError("fetch failed", { cause: Object.assign(new Error("…"), { code: "CERT_HAS_EXPIRED" }) }));
 * // { kind: "tls", retryable: false, maybeSent: false, code: "CERT_HAS_EXPIRED" }
 */
export function classifyNetworkFailure(cause: unknown): NetworkFailure {
  const chain = errorChain(cause);
  // A proxy error anywhere in the chain wins over the codes beneath it: a proxy that could not be
  // reached, or that closed the tunnel, is the proxy's failure, not the server's.
  for (const { code, message, statusCode } of chain) {
    const text = typeof message === "string" ? message : "";
    const forward407 = UNDICI_FORWARD_407.test(text);
    const refused = UNDICI_TUNNEL_REFUSED.exec(text);
    if (
      code !== "ERR_PROXY_TUNNEL" &&
      code !== "UND_ERR_PRX_CONN" &&
      !refused &&
      !(code === "UND_ERR_INVALID_ARG" && forward407)
    )
      continue;
    const status =
      typeof statusCode === "number"
        ? statusCode
        : forward407
          ? 407
          : refused
            ? Number(refused[1])
            : undefined;
    return {
      kind: "proxy",
      // No answer (closed, unreachable) or a failing proxy (5xx) may recover; a refusal will not.
      retryable: status === undefined || status >= 500,
      maybeSent: false,
      ...(typeof code === "string" && { code }),
      ...(status !== undefined && { proxyStatus: status }),
    };
  }
  for (const { code, syscall } of chain) {
    if (typeof code !== "string") continue;
    const failure = (kind: NetworkFailureKind, retryable: boolean, maybeSent: boolean): NetworkFailure => ({
      kind,
      retryable,
      maybeSent,
      code,
    });
    if (TLS_CODE.test(code)) return failure("tls", false, false);
    const dnsRetryable = DNS_CODES[code];
    if (dnsRetryable !== undefined) return failure("dns", dnsRetryable, false);
    // A timeout or reset while connecting (`syscall: "connect"`) came before anything was sent.
    if (CONNECT_CODES.has(code) || (RESET_CODES.has(code) && syscall === "connect"))
      return failure("connect", true, false);
    if (RESET_CODES.has(code)) return failure("reset", true, true);
  }
  return { kind: "connect", retryable: true, maybeSent: true };
}
