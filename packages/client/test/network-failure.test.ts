import { once } from "node:events";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { classifyNetworkFailure } from "../src/index.js";

// The shapes below are what Node 20 to 26 and undici 7 and 8 throw (seen on loopback servers): `fetch`
// rejects with a TypeError("fetch failed") whose `cause` holds Node's or undici's coded error.
const fetchFailed = (cause: unknown) => new TypeError("fetch failed", { cause });
const coded = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);

describe("classifyNetworkFailure", () => {
  it.each([
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "CERT_HAS_EXPIRED",
    "ERR_TLS_CERT_ALTNAME_INVALID",
  ])("names the certificate check that failed (%s), and never retries it", (code) => {
    expect(classifyNetworkFailure(fetchFailed(coded("unable to verify", { code })))).toEqual({
      kind: "tls",
      retryable: false,
      maybeSent: false,
      code,
    });
  });

  it("never retries a server that does not speak TLS (an http:// URL given as https://)", () => {
    const failure = classifyNetworkFailure(
      fetchFailed(coded("wrong version number", { code: "ERR_SSL_WRONG_VERSION_NUMBER" })),
    );
    expect(failure).toMatchObject({ kind: "tls", retryable: false, code: "ERR_SSL_WRONG_VERSION_NUMBER" });
  });

  it("classifies DNS failures, retrying the ones a resolver recovers from", () => {
    const lookup = (code: string) =>
      classifyNetworkFailure(
        fetchFailed(
          coded(`getaddrinfo ${code} nope.invalid`, {
            code,
            hostname: "nope.invalid",
            syscall: "getaddrinfo",
          }),
        ),
      );
    expect(lookup("ENOTFOUND")).toEqual({
      kind: "dns",
      retryable: true,
      maybeSent: false,
      code: "ENOTFOUND",
    });
    expect(lookup("EAI_AGAIN")).toMatchObject({ kind: "dns", retryable: true });
    expect(lookup("EAI_FAIL")).toMatchObject({ kind: "dns", retryable: false });
  });

  it("tells a refused connection (nothing sent) from a reset one (maybe sent)", () => {
    const refused = coded("connect ECONNREFUSED 127.0.0.1:1", {
      code: "ECONNREFUSED",
      address: "127.0.0.1",
      port: 1,
      syscall: "connect",
    });
    expect(classifyNetworkFailure(fetchFailed(refused))).toMatchObject({
      kind: "connect",
      retryable: true,
      maybeSent: false,
      code: "ECONNREFUSED",
    });
    const reset = coded("read ECONNRESET", { code: "ECONNRESET", syscall: "read" });
    expect(classifyNetworkFailure(fetchFailed(reset))).toMatchObject({
      kind: "reset",
      retryable: true,
      maybeSent: true,
    });
    const closed = coded("other side closed", { code: "UND_ERR_SOCKET" });
    expect(classifyNetworkFailure(fetchFailed(closed))).toMatchObject({ kind: "reset", maybeSent: true });
    const connectTimeout = coded("connect ETIMEDOUT 10.0.0.1:443", { code: "ETIMEDOUT", syscall: "connect" });
    expect(classifyNetworkFailure(fetchFailed(connectTimeout))).toMatchObject({
      kind: "connect",
      maybeSent: false,
    });
  });

  it("reads Node's failure of every address of a host (an AggregateError)", () => {
    const each = [
      coded("connect ECONNREFUSED ::1:8080", { code: "ECONNREFUSED" }),
      coded("connect ECONNREFUSED 127.0.0.1:8080", { code: "ECONNREFUSED" }),
    ];
    // Node's NodeAggregateError carries the first address's code.
    const all = Object.assign(new AggregateError(each, ""), { code: "ECONNREFUSED" });
    expect(classifyNetworkFailure(fetchFailed(all))).toMatchObject({
      kind: "connect",
      maybeSent: false,
    });
  });

  it.each([
    [407, false],
    [403, false],
    [503, true],
  ])("classifies a tunnel the proxy answered with %i (ERR_PROXY_TUNNEL)", (status, retryable) => {
    const refused = coded(`the proxy answered ${status}`, {
      code: "ERR_PROXY_TUNNEL",
      statusCode: status,
      host: "proxy.corp:3128",
    });
    expect(classifyNetworkFailure(fetchFailed(refused))).toEqual({
      kind: "proxy",
      retryable,
      maybeSent: false,
      code: "ERR_PROXY_TUNNEL",
      proxyStatus: status,
    });
  });

  it("classifies a proxy that closed the tunnel unanswered as a retryable proxy failure, not a reset", () => {
    const closed = coded("the proxy closed the connection", {
      code: "ERR_PROXY_TUNNEL",
      cause: coded("other side closed", { code: "UND_ERR_SOCKET" }),
    });
    expect(classifyNetworkFailure(fetchFailed(closed))).toMatchObject({
      kind: "proxy",
      retryable: true,
      maybeSent: false,
      code: "ERR_PROXY_TUNNEL",
    });
  });

  it("recognises undici's own proxy agents (Node's built-in proxy support)", () => {
    // undici 6-8's ProxyAgent: the request is cancelled with an AbortError naming the proxy's status.
    const tunnel = fetchFailed(
      coded("Request was cancelled.", {
        cause: Object.assign(new Error("Proxy response (407) !== 200 when HTTP Tunneling"), {
          name: "AbortError",
          code: "UND_ERR_ABORTED",
        }),
      }),
    );
    expect(classifyNetworkFailure(tunnel)).toMatchObject({
      kind: "proxy",
      retryable: false,
      proxyStatus: 407,
    });
    // undici 8 forwarding plain http: a 407 answer becomes an error.
    const forward = fetchFailed(
      coded("Proxy Authentication Required (407)", { code: "UND_ERR_INVALID_ARG" }),
    );
    expect(classifyNetworkFailure(forward)).toMatchObject({
      kind: "proxy",
      retryable: false,
      proxyStatus: 407,
    });
    // undici 8: the proxy closed a CONNECT without answering.
    const dropped = fetchFailed(
      coded("Proxy Connection failed", {
        code: "UND_ERR_PRX_CONN",
        cause: coded("other side closed", { code: "UND_ERR_SOCKET" }),
      }),
    );
    expect(classifyNetworkFailure(dropped)).toMatchObject({ kind: "proxy", retryable: true });
  });

  it("treats what it does not recognise as a retryable failure that may have been sent", () => {
    expect(classifyNetworkFailure(new TypeError("fetch failed"))).toEqual({
      kind: "connect",
      retryable: true,
      maybeSent: true,
    });
    expect(classifyNetworkFailure("a string")).toMatchObject({ kind: "connect", maybeSent: true });
    expect(classifyNetworkFailure(undefined)).toMatchObject({ kind: "connect" });
  });

  it("classifies what the platform's fetch really throws for a closed port and a reset", async () => {
    const free = createServer();
    free.listen(0, "127.0.0.1");
    await once(free, "listening");
    const closedPort = (free.address() as AddressInfo).port;
    await new Promise((resolve) => free.close(resolve));
    const refused = await fetch(`http://127.0.0.1:${closedPort}/`).catch((error: unknown) => error);
    expect(classifyNetworkFailure(refused)).toMatchObject({
      kind: "connect",
      maybeSent: false,
      code: "ECONNREFUSED",
    });

    const resetting = createServer((socket: Socket) => socket.once("data", () => socket.resetAndDestroy()));
    resetting.listen(0, "127.0.0.1");
    await once(resetting, "listening");
    try {
      const reset = await fetch(`http://127.0.0.1:${(resetting.address() as AddressInfo).port}/`).catch(
        (error: unknown) => error,
      );
      expect(classifyNetworkFailure(reset)).toMatchObject({ kind: "reset", maybeSent: true });
    } finally {
      await new Promise((resolve) => resetting.close(resolve));
    }
  });
});
