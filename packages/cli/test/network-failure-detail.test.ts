import { describe, expect, it } from "vitest";
import { describeNetworkFailure } from "../src/net/network-failure-detail.js";

// The shapes below are what Node 20 to 26 and undici 7 and 8 throw (seen on loopback servers): `fetch`
// rejects with a TypeError("fetch failed") whose `cause` holds Node's or undici's coded error.
const fetchFailed = (cause: unknown) => new TypeError("fetch failed", { cause });
const coded = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);

describe("describeNetworkFailure", () => {
  it.each(["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "CERT_HAS_EXPIRED", "ERR_TLS_CERT_ALTNAME_INVALID"])(
    "names the certificate check that failed (%s)",
    (code) => {
      expect(describeNetworkFailure(fetchFailed(coded("unable to verify", { code })))).toEqual({
        kind: "tls",
        retryable: false,
        maybeSent: false,
        code,
        detail: `a TLS check failed (${code})`,
      });
    },
  );

  it("keeps the host a name mismatch is about", () => {
    const mismatch = coded("Hostname/IP does not match certificate's altnames", {
      code: "ERR_TLS_CERT_ALTNAME_INVALID",
      host: "datafold.example",
    });
    expect(describeNetworkFailure(fetchFailed(mismatch))).toMatchObject({
      kind: "tls",
      host: "datafold.example",
    });
  });

  it("says a server that does not speak TLS may be an http:// URL", () => {
    const failure = describeNetworkFailure(
      fetchFailed(coded("wrong version number", { code: "ERR_SSL_WRONG_VERSION_NUMBER" })),
    );
    expect(failure.detail).toMatch(/does not speak TLS \(an http:\/\/ URL given as https:\/\/\?\)/);
  });

  it("names the host a DNS lookup failed for", () => {
    const failure = describeNetworkFailure(
      fetchFailed(
        coded("getaddrinfo ENOTFOUND nope.invalid", {
          code: "ENOTFOUND",
          hostname: "nope.invalid",
          syscall: "getaddrinfo",
        }),
      ),
    );
    expect(failure).toEqual({
      kind: "dns",
      retryable: true,
      maybeSent: false,
      code: "ENOTFOUND",
      host: "nope.invalid",
      detail: "the host name could not be resolved (ENOTFOUND)",
    });
  });

  it("names a refused connection's address and port, and a reset as broken before the answer", () => {
    const refused = coded("connect ECONNREFUSED 127.0.0.1:1", {
      code: "ECONNREFUSED",
      address: "127.0.0.1",
      port: 1,
      syscall: "connect",
    });
    expect(describeNetworkFailure(fetchFailed(refused))).toMatchObject({
      kind: "connect",
      host: "127.0.0.1:1",
      detail: "the connection could not be made (ECONNREFUSED)",
    });
    const reset = coded("read ECONNRESET", { code: "ECONNRESET", syscall: "read" });
    expect(describeNetworkFailure(fetchFailed(reset)).detail).toBe(
      "the connection broke before the answer (ECONNRESET)",
    );
  });

  it.each([
    [407, "the proxy requires authentication (407)"],
    [403, "the proxy refused the tunnel (403)"],
    [503, "the proxy refused the tunnel (503)"],
  ])("says what a proxy that answered %i did, and names the proxy", (status, detail) => {
    const refused = coded(`the proxy answered ${status}`, {
      code: "ERR_PROXY_TUNNEL",
      statusCode: status,
      host: "proxy.corp:3128",
    });
    expect(describeNetworkFailure(fetchFailed(refused))).toMatchObject({
      kind: "proxy",
      proxyStatus: status,
      host: "proxy.corp:3128",
      detail,
    });
  });

  it("names the code beneath a proxy that closed the tunnel unanswered", () => {
    const closed = coded("the proxy closed the connection", {
      code: "ERR_PROXY_TUNNEL",
      cause: coded("other side closed", { code: "UND_ERR_SOCKET" }),
    });
    expect(describeNetworkFailure(fetchFailed(closed))).toMatchObject({
      kind: "proxy",
      retryable: true,
      detail: "the proxy closed or refused the connection (UND_ERR_SOCKET)",
    });
  });

  it("says only that the connection failed when nothing in the error is recognised", () => {
    expect(describeNetworkFailure(new TypeError("fetch failed"))).toEqual({
      kind: "connect",
      retryable: true,
      maybeSent: true,
      detail: "the connection failed",
    });
  });
});
