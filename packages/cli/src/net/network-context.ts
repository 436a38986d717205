import { type Env, type ProxyEndpoint, proxyFor, readProxySettings } from "./proxy-settings.js";

/** What failure messages need to know about the network path: the proxy, and the CA options this Node and CI offer. */
export interface NetworkContext {
  /** The proxy requests to the base URL go through, when one does. */
  readonly proxy?: Pick<ProxyEndpoint, "origin" | "host" | "variable">;
  /** Whether this Node has `--use-system-ca` (Node 20 has not), to offer the system's store. */
  readonly systemCa: boolean;
  /** The CI's variable holding the CA file its runner trusts (GitLab's `CI_SERVER_TLS_CA_FILE`), when set. */
  readonly ciCaFileVariable?: string;
}

/** What {@link inspectNetwork} found: the context, and what is wrong with the proxy variables. */
export interface NetworkReport {
  readonly context: NetworkContext;
  /** One per unusable proxy variable (a SOCKS URL, no host, …): a usage error. */
  readonly problems: readonly string[];
}

/**
 * Reads the proxy variables for the requests to `baseUrl`: registers the proxies' passwords with `out`
 * so no line can print them, says with `--debug` which way the requests go, and returns the context
 * failure messages use. The `fetch` that follows these variables is the bin's (see `proxied-network.ts`).
 */
export function inspectNetwork(
  env: Env,
  baseUrl: string | undefined,
  out: { hide(secret: string): void; debug(text: string): void },
): NetworkReport {
  const { settings, problems } = readProxySettings(env);
  for (const endpoint of [settings?.https, settings?.http])
    for (const secret of endpoint?.secrets ?? []) out.hide(secret);
  let target: URL | undefined;
  try {
    target = baseUrl === undefined ? undefined : new URL(baseUrl);
  } catch {
    target = undefined;
  }
  const proxy = settings && target ? proxyFor(settings, target) : undefined;
  if (proxy)
    out.debug(
      `Requests to ${target?.origin} go through the proxy at ${proxy.origin} (from ${proxy.variable}${proxy.authorization ? ", with a user and password" : ""}).`,
    );
  else if (settings && target && (target.protocol === "https:" ? settings.https : settings.http))
    out.debug(`Requests to ${target.origin} go direct: NO_PROXY lists the host.`);
  const ciCaFileVariable =
    env.GITLAB_CI === "true" && env.CI_SERVER_TLS_CA_FILE ? "CI_SERVER_TLS_CA_FILE" : undefined;
  return {
    context: {
      ...(proxy && { proxy: { origin: proxy.origin, host: proxy.host, variable: proxy.variable } }),
      systemCa: process.allowedNodeEnvironmentFlags.has("--use-system-ca"),
      ...(ciCaFileVariable && { ciCaFileVariable }),
    },
    problems,
  };
}
