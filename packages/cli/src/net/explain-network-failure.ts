import { errorChain } from "@datafold-ci/api-description";
import type { DatafoldConnectionError } from "@datafold-ci/client";
import type { NetworkContext } from "./network-context.js";
import { describeNetworkFailure } from "./network-failure-detail.js";
import { ProxyTunnelError } from "./proxy-tunnel-error.js";

// The certificate checks Node reports (OpenSSL's verify results), as a person would say them.
const CHECKS: Readonly<Record<string, string>> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "its issuer is not a certificate authority this machine trusts",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "its issuer is not a certificate authority this machine trusts",
  UNABLE_TO_GET_ISSUER_CERT: "its issuer is not a certificate authority this machine trusts",
  SELF_SIGNED_CERT_IN_CHAIN: "its chain ends in a root certificate this machine does not trust",
  DEPTH_ZERO_SELF_SIGNED_CERT: "it is self-signed",
  CERT_UNTRUSTED: "it is not trusted for a TLS server",
  CERT_HAS_EXPIRED: "it has expired",
  CERT_NOT_YET_VALID: "it is not valid yet (is this machine's clock right?)",
  CERT_REVOKED: "it has been revoked",
  CERT_SIGNATURE_FAILURE: "its signature is invalid",
  ERR_TLS_CERT_ALTNAME_INVALID: "it is not for this host name",
  HOSTNAME_MISMATCH: "it is not for this host name",
};

// The checks a missing trusted CA explains: what NODE_EXTRA_CA_CERTS or the system's store fixes.
const UNTRUSTED = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_GET_ISSUER_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
]);

/**
 * The message for a connection error of kind `proxy` or `tls`: what failed, where, and what fixes it.
 * `undefined` for the other kinds, whose messages stay the CLI's general ones.
 */
export function explainNetworkFailure(
  error: DatafoldConnectionError,
  baseUrl: string,
  network: NetworkContext,
): string | undefined {
  const attempts = error.attempts !== undefined && error.attempts > 1 ? ` (${error.attempts} attempts)` : "";
  if (error.kind === "proxy") return explainProxy(error, network, attempts);
  if (error.kind === "tls") return explainTls(error, baseUrl, network, attempts);
  return undefined;
}

function explainProxy(error: DatafoldConnectionError, network: NetworkContext, attempts: string): string {
  const tunnel = errorChain(error).find((cause) => cause instanceof ProxyTunnelError);
  const failure = describeNetworkFailure(error.cause);
  const proxy = network.proxy;
  if (!tunnel) {
    // Another proxy stack than the CLI's (Node's own, an embedder's): only the classification is known.
    const at = proxy ? `the proxy at ${proxy.host}` : "a proxy";
    const variable = proxy?.variable ?? "HTTPS_PROXY or HTTP_PROXY";
    return failure.proxyStatus === 407
      ? `${at} requires authentication (407): check the user and password in ${variable}.`
      : `${at} failed the request: ${failure.detail}${attempts}. Check ${variable}.`;
  }
  const advice: Record<ProxyTunnelError["reason"], string> = {
    auth: " Not retried: the proxy would refuse the same credentials again.",
    refused: " Not retried: the proxy's rules would refuse it again.",
    unavailable: "",
    closed: ` Check ${tunnel.variable}: its host and port must be the proxy's; a proxy that blocks a host may also close its tunnels.`,
    silent: ` Check ${tunnel.variable}: is it a proxy's host and port?`,
    unreachable: ` Check ${tunnel.variable}: its host and port, and that the proxy is running and reachable from here.`,
    garbled: "",
  };
  return `${tunnel.message}${attempts}.${advice[tunnel.reason]}`;
}

function explainTls(
  error: DatafoldConnectionError,
  baseUrl: string,
  network: NetworkContext,
  attempts: string,
): string {
  const failure = describeNetworkFailure(error.cause);
  const code = failure.code ?? "";
  const host = failure.host ?? hostPort(baseUrl);
  const check = CHECKS[code];
  const notRetried = "Not retried: a certificate fails every attempt alike.";
  if (code === "ERR_SSL_WRONG_VERSION_NUMBER")
    return `the server at ${host} did not answer in TLS (${code})${attempts}: is the host http://, not https://? Check --host.`;
  if (!UNTRUSTED.has(code))
    return (
      `${check ? `the certificate of ${host} failed a check: ${check} (${code})` : `the TLS connection to ${host} failed: ${failure.detail}`}${attempts}. ` +
      `The server's certificate (or that of a proxy inspecting TLS) must be fixed; check --host. ${notRetried}`
    );
  const gateway = network.proxy
    ? ` The proxy at ${network.proxy.host} (from ${network.proxy.variable}) may be inspecting TLS, signing with a CA of its own.`
    : " An internal CA, or a TLS-inspecting gateway, may have signed it.";
  const systemStore = network.systemCa
    ? ", or, when that CA is in the system's store, NODE_USE_SYSTEM_CA=1 (Node 22.19, 24.6 and later) or NODE_OPTIONS=--use-system-ca"
    : "; Node 20 cannot use the system's store (NODE_USE_SYSTEM_CA=1 and --use-system-ca need Node 22.19, 24.6 or later)";
  const ci = network.ciCaFileVariable
    ? ` On this GitLab runner: NODE_EXTRA_CA_CERTS=$${network.ciCaFileVariable}.`
    : " In CI, point NODE_EXTRA_CA_CERTS at the CA file your runner trusts (GitLab: $CI_SERVER_TLS_CA_FILE).";
  return (
    `the certificate of ${host} is not trusted: ${check} (${code})${attempts}.${gateway} ` +
    `Give Node that CA: NODE_EXTRA_CA_CERTS=<ca.pem> (a PEM file, read as Node starts)${systemStore}.${ci} ${notRetried}`
  );
}

/** `datafold.example:443`: the host and port of `baseUrl`, the default port included. */
function hostPort(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    return `${url.hostname}:${url.port || (url.protocol === "http:" ? "80" : "443")}`;
  } catch {
    return baseUrl;
  }
}
