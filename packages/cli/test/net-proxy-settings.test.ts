import { DatafoldConnectionError } from "@datafold-ci/client";
import { describe, expect, it } from "vitest";
import { explainNetworkFailure } from "../src/net/explain-network-failure.js";
import type { NetworkContext } from "../src/net/network-context.js";
import { bypassesProxy, parseNoProxy } from "../src/net/no-proxy.js";
import { proxyFor, readProxySettings } from "../src/net/proxy-settings.js";
import { ProxyTunnelError } from "../src/net/proxy-tunnel-error.js";

describe("NO_PROXY, read as curl reads it", () => {
  const direct = (list: string, host: string, port = 443) => bypassesProxy(parseNoProxy(list), host, port);

  it("matches a host name and its subdomains, with or without a leading dot, never a mere suffix", () => {
    for (const list of ["example.com", ".example.com", "EXAMPLE.com."]) {
      expect(direct(list, "example.com")).toBe(true);
      expect(direct(list, "app.example.com")).toBe(true);
      expect(direct(list, "notexample.com")).toBe(false);
      expect(direct(list, "example.com.evil.test")).toBe(false);
    }
  });

  it("sends every host direct with *, and none with an empty list", () => {
    expect(direct("*", "app.datafold.com")).toBe(true);
    expect(direct("internal, *", "app.datafold.com")).toBe(true);
    expect(direct("", "app.datafold.com")).toBe(false);
  });

  it("separates entries by commas or spaces", () => {
    expect(direct("a.test b.test,c.test", "b.test")).toBe(true);
    expect(direct(" a.test ,  c.test ", "c.test")).toBe(true);
  });

  it("matches host:port on that port only", () => {
    expect(direct("app.datafold.com:8443", "app.datafold.com", 8443)).toBe(true);
    expect(direct("app.datafold.com:8443", "app.datafold.com", 443)).toBe(false);
  });

  it("matches IP addresses exactly, IPv6 in any spelling, and CIDR ranges", () => {
    expect(direct("10.1.2.3", "10.1.2.3")).toBe(true);
    expect(direct("10.1.2.3", "10.1.2.30")).toBe(false);
    expect(direct("10.0.0.0/8", "10.200.3.4")).toBe(true);
    expect(direct("10.0.0.0/8", "11.0.0.1")).toBe(false);
    expect(direct("::1", "[::1]")).toBe(true);
    expect(direct("[0:0:0:0:0:0:0:1]:8080", "[::1]", 8080)).toBe(true);
    expect(direct("fd00::/8", "[fd12::5]")).toBe(true);
    // An address entry does not match a name, nor a name entry an address.
    expect(direct("127.0.0.1", "localhost")).toBe(false);
  });
});

describe("readProxySettings", () => {
  it("prefers the lower-case variable, as curl does, and names the one it used", () => {
    const { settings } = readProxySettings({ https_proxy: "http://low:3128", HTTPS_PROXY: "http://up:3128" });
    expect(settings?.https).toMatchObject({ host: "low:3128", variable: "https_proxy" });
  });

  it("takes a value without a scheme as http://, with the scheme's default port", () => {
    const { settings } = readProxySettings({ HTTP_PROXY: "proxy.corp" });
    expect(settings?.http).toMatchObject({ origin: "http://proxy.corp:80", port: 80 });
  });

  it("decodes the user and password for Basic credentials, and keeps them out of everything printable", () => {
    const { settings } = readProxySettings({ HTTPS_PROXY: "http://ci%20bot:p%40ss%3Aword@proxy.corp:3128/" });
    const proxy = settings?.https;
    expect(proxy?.authorization).toBe(`Basic ${Buffer.from("ci bot:p@ss:word").toString("base64")}`);
    expect(proxy?.secrets).toEqual(expect.arrayContaining(["p%40ss%3Aword", "p@ss:word"]));
    for (const shown of [proxy?.origin, proxy?.host]) expect(shown).not.toMatch(/ci|p@ss|p%40/);
  });

  it("refuses a SOCKS or unparseable proxy, naming the variable but not the password", () => {
    const socks = readProxySettings({ HTTPS_PROXY: "socks5://me:hunter2@proxy:1080" });
    expect(socks.settings).toBeUndefined();
    expect(socks.problems).toEqual([
      "HTTPS_PROXY names a socks5 proxy (socks5://***@proxy:1080); datafold-ci supports http:// and https:// proxies: expected http://[user:password@]host:port (or https://).",
    ]);
    const garbled = readProxySettings({ HTTP_PROXY: "http://me:hunter2@[bad" });
    expect(garbled.problems).toEqual([
      "HTTP_PROXY (http://***@[bad) is not a proxy URL: expected http://[user:password@]host:port (or https://).",
    ]);
  });

  it("leaves blank variables unset", () => {
    expect(readProxySettings({ HTTPS_PROXY: " ", HTTP_PROXY: "" })).toEqual({
      settings: undefined,
      problems: [],
    });
  });

  it("routes each scheme through its own variable, and NO_PROXY hosts direct", () => {
    const { settings } = readProxySettings({
      HTTPS_PROXY: "http://tls-proxy:3128",
      HTTP_PROXY: "http://plain-proxy:3128",
      NO_PROXY: "internal.corp",
    });
    if (!settings) throw new Error("no settings");
    expect(proxyFor(settings, new URL("https://app.datafold.com"))?.host).toBe("tls-proxy:3128");
    expect(proxyFor(settings, new URL("http://datafold.local:8000"))?.host).toBe("plain-proxy:3128");
    expect(proxyFor(settings, new URL("https://datafold.internal.corp"))).toBeUndefined();
  });
});

describe("explainNetworkFailure", () => {
  const network: NetworkContext = { systemCa: true };
  const failed = (cause: unknown, attempts = 1) =>
    new DatafoldConnectionError("The connection to Datafold failed", {
      attempts,
      cause: new TypeError("fetch failed", { cause }),
    });
  const proxy = { host: "proxy.corp:3128", variable: "HTTPS_PROXY" };

  it("says a 407 is the proxy asking for credentials, not retried, and when the variable has no credentials", () => {
    const error = failed(
      new ProxyTunnelError({ reason: "auth", proxy, target: "app.datafold.com:443", status: 407 }),
    );
    expect(explainNetworkFailure(error, "https://app.datafold.com", network)).toBe(
      "the proxy at proxy.corp:3128 requires authentication (407): check the user and password in HTTPS_PROXY; HTTPS_PROXY has none: http://user:password@host:port, special characters percent-encoded. Not retried: the proxy would refuse the same credentials again.",
    );
  });

  it("names the port and squid's rule when a tunnel to a port other than 443 is refused", () => {
    const error = failed(
      new ProxyTunnelError({
        reason: "refused",
        proxy,
        target: "datafold.corp:8443",
        status: 403,
        statusText: "Forbidden",
      }),
    );
    expect(explainNetworkFailure(error, "https://datafold.corp:8443", network)).toMatch(
      /^the proxy at proxy\.corp:3128 refused the tunnel to datafold\.corp:8443 \(403 Forbidden\): .*"http_access deny CONNECT !SSL_ports".* port 8443 is not 443/,
    );
  });

  it("offers NODE_EXTRA_CA_CERTS for an untrusted certificate, and the system store only where Node has it", () => {
    const untrusted = failed(
      Object.assign(new Error("unable to verify"), { code: "UNABLE_TO_GET_ISSUER_CERT_LOCALLY" }),
    );
    const withStore = explainNetworkFailure(untrusted, "https://app.datafold.com", network) ?? "";
    expect(withStore).toMatch(
      /^the certificate of app\.datafold\.com:443 is not trusted: its issuer is not a certificate authority this machine trusts \(UNABLE_TO_GET_ISSUER_CERT_LOCALLY\)\./,
    );
    expect(withStore).toContain("NODE_EXTRA_CA_CERTS=<ca.pem>");
    expect(withStore).toContain("NODE_USE_SYSTEM_CA=1");
    const node20 = explainNetworkFailure(untrusted, "https://app.datafold.com", { systemCa: false }) ?? "";
    expect(node20).toContain("Node 20 cannot use the system's store");
    expect(node20).not.toContain("NODE_USE_SYSTEM_CA=1 (");
  });

  it("does not offer a CA for an expired certificate or the wrong name", () => {
    const expired = failed(Object.assign(new Error("certificate has expired"), { code: "CERT_HAS_EXPIRED" }));
    const message = explainNetworkFailure(expired, "https://app.datafold.com", network) ?? "";
    expect(message).toMatch(
      /^the certificate of app\.datafold\.com:443 failed a check: it has expired \(CERT_HAS_EXPIRED\)\./,
    );
    expect(message).not.toContain("NODE_EXTRA_CA_CERTS");
  });

  it("leaves DNS, refused and reset connections to the general message", () => {
    for (const code of ["ENOTFOUND", "ECONNREFUSED", "ECONNRESET"])
      expect(
        explainNetworkFailure(failed(Object.assign(new Error(code), { code })), "https://x.test", network),
      ).toBeUndefined();
  });
});
