import { type ChainLink, errorChain } from "@datafold-ci/api-description";
import { classifyNetworkFailure, type NetworkFailure } from "@datafold-ci/client";

/** A network failure as the CLI words it: the client's classification, plus what its messages name. */
export interface NetworkFailureDetail extends NetworkFailure {
  /** Which step failed, with the code: `a TLS check failed (CERT_HAS_EXPIRED)`, `the proxy refused the tunnel (403)`. */
  readonly detail: string;
  /** The host (or `host:port`) the failure names, when the error carries it. */
  readonly host?: string;
}

/**
 * {@link classifyNetworkFailure}'s answer for what `fetch` threw, with the step that failed worded for
 * a person and the host the error names (from the error that carries the recognised code, or the proxy's
 * error). The client keeps only what its retry decision needs; the CLI's messages need these too.
 *
 * @example
 * describeNetworkFailure(new TypeError("fetch failed", { cause: Object.assign(new Error("…"), { code: "CERT_HAS_EXPIRED" }) }));
 * // { kind: "tls", retryable: false, maybeSent: false, code: "CERT_HAS_EXPIRED", detail: "a TLS check failed (CERT_HAS_EXPIRED)" }
 */
export function describeNetworkFailure(cause: unknown): NetworkFailureDetail {
  const failure = classifyNetworkFailure(cause);
  const chain = errorChain(cause);
  const { code, proxyStatus } = failure;
  const at = chain.findIndex((facts) => code !== undefined && facts.code === code);
  // A proxy detected by its message alone carries no code of its own: the outermost error names it.
  const named = chain[at] ?? (failure.kind === "proxy" ? chain.find((facts) => hostOf(facts)) : undefined);
  const host = named === undefined ? undefined : hostOf(named);
  const coded = (what: string) => `${what} (${code})`;
  let detail: string;
  if (failure.kind === "proxy") {
    const below = chain.slice(at + 1).find((facts) => typeof facts.code === "string")?.code;
    detail =
      proxyStatus === 407
        ? "the proxy requires authentication (407)"
        : proxyStatus !== undefined
          ? `the proxy refused the tunnel (${proxyStatus})`
          : `the proxy closed or refused the connection${typeof below === "string" ? ` (${below})` : ""}`;
  } else if (code === undefined) detail = "the connection failed";
  else if (failure.kind === "tls")
    detail = coded(
      /^ERR_SSL_(WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG)$/.test(code)
        ? "the server does not speak TLS (an http:// URL given as https://?)"
        : "a TLS check failed",
    );
  else if (failure.kind === "dns") detail = coded("the host name could not be resolved");
  else if (failure.kind === "connect") detail = coded("the connection could not be made");
  else detail = coded("the connection broke before the answer");
  return { ...failure, detail, ...(host !== undefined && { host }) };
}

/** `proxy.corp:3128`, `127.0.0.1:1`, `nope.invalid`: the host an error names, with its port when it has one. */
function hostOf({ hostname, host, address, port }: ChainLink): string | undefined {
  const name = [hostname, host, address].find((value) => typeof value === "string" && value !== "");
  if (typeof name !== "string") return undefined;
  const portText = typeof port === "number" || typeof port === "string" ? String(port) : "";
  return portText && !name.includes(":") ? `${name}:${portText}` : name;
}
