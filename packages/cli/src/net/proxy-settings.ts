import { bypassesProxy, type NoProxy, parseNoProxy } from "./no-proxy.js";
import { decodeUrlPart, proxyUrl } from "./proxy-url.js";

/** The environment, as the CLI reads it. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A proxy from `HTTPS_PROXY` or `HTTP_PROXY`, parsed. Nothing in it but `authorization` and `secrets` holds the credentials. */
export interface ProxyEndpoint {
  /** `http://proxy.corp:3128`: the URL without credentials or path, safe to print. */
  readonly origin: string;
  readonly protocol: "http:" | "https:";
  /** The host name or IP address, IPv6 without brackets. */
  readonly hostname: string;
  readonly port: number;
  /** `proxy.corp:3128`, as messages name it. */
  readonly host: string;
  /** The variable it came from, spelled as it was set (`https_proxy`, `HTTPS_PROXY`, …). */
  readonly variable: string;
  /** `Basic …`, from the URL's percent-decoded user and password; absent when the URL has none. */
  readonly authorization?: string;
  /** The password as written and decoded, and the encoded credentials, for the output to hide. */
  readonly secrets: readonly string[];
}

/** Which proxy each scheme uses, and which hosts go direct. */
export interface ProxySettings {
  /** For `http://` targets: `http_proxy` or `HTTP_PROXY`. */
  readonly http?: ProxyEndpoint;
  /** For `https://` targets: `https_proxy` or `HTTPS_PROXY`. */
  readonly https?: ProxyEndpoint;
  readonly noProxy: NoProxy;
}

/** What the proxy variables say: the settings when any proxy is usable, and every problem with them. */
export interface ProxyReading {
  readonly settings: ProxySettings | undefined;
  readonly problems: readonly string[];
}

// Lower case first, as curl and Python's requests read them.
const VARIABLES = {
  https: ["https_proxy", "HTTPS_PROXY"],
  http: ["http_proxy", "HTTP_PROXY"],
} as const;

/**
 * Reads `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (either case; lower case wins, as with curl). A
 * value without a scheme is taken as `http://`. A value that is not an `http://` or `https://` URL is
 * a problem, named without its credentials. `settings` is `undefined` when no proxy is set.
 */
export function readProxySettings(env: Env): ProxyReading {
  const problems: string[] = [];
  const endpoint = (names: readonly string[]) => {
    const variable = names.find((name) => env[name]?.trim());
    if (variable === undefined) return undefined;
    const parsed = parseProxyUrl(variable, env[variable]?.trim() ?? "");
    if (typeof parsed === "string") problems.push(parsed);
    return typeof parsed === "string" ? undefined : parsed;
  };
  const https = endpoint(VARIABLES.https);
  const http = endpoint(VARIABLES.http);
  const noProxy = parseNoProxy(env.no_proxy ?? env.NO_PROXY);
  const settings = https || http ? { ...(https && { https }), ...(http && { http }), noProxy } : undefined;
  return { settings, problems };
}

/** The proxy a request to `url` goes through, or `undefined` when it goes direct. */
export function proxyFor(settings: ProxySettings, url: URL): ProxyEndpoint | undefined {
  const proxy =
    url.protocol === "https:" ? settings.https : url.protocol === "http:" ? settings.http : undefined;
  if (!proxy) return undefined;
  const port = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
  return bypassesProxy(settings.noProxy, url.hostname, port) ? undefined : proxy;
}

function parseProxyUrl(variable: string, value: string): ProxyEndpoint | string {
  const shown = withoutCredentials(value);
  const expected = "expected http://[user:password@]host:port (or https://)";
  const url = proxyUrl(value);
  if (url === undefined) return `${variable} (${shown}) is not a proxy URL: ${expected}.`;
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return `${variable} names a ${url.protocol.slice(0, -1)} proxy (${shown}); datafold-ci supports http:// and https:// proxies: ${expected}.`;
  if (url.hostname === "") return `${variable} (${shown}) names no host: ${expected}.`;
  const protocol = url.protocol;
  const port = Number(url.port) || (protocol === "https:" ? 443 : 80);
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  const host = `${url.hostname}:${port}`;
  const user = decodeUrlPart(url.username);
  const password = decodeUrlPart(url.password);
  const credentials = user || password ? Buffer.from(`${user}:${password}`).toString("base64") : undefined;
  return {
    origin: `${protocol}//${host}`,
    protocol,
    hostname,
    port,
    host,
    variable,
    ...(credentials && { authorization: `Basic ${credentials}` }),
    secrets: [...new Set([url.password, password, credentials ?? ""])].filter(Boolean),
  };
}

/** The value with anything between `//` and `@` replaced, for messages. */
function withoutCredentials(value: string): string {
  return value.replace(/^([^/]*\/\/)?[^@/]*@/, (_, scheme: string | undefined) => `${scheme ?? ""}***@`);
}
