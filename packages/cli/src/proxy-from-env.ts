import type { Env } from "./types.js";

/**
 * How the CLI's requests reach a proxy named by `HTTPS_PROXY` / `HTTP_PROXY` (issue 12):
 * - `none`: no proxy variable is set; nothing is loaded.
 * - `node`: Node's own support — already on (`NODE_USE_ENV_PROXY=1` or `--use-env-proxy` on recent Node 22
 *   and 24 install it as `fetch`'s global dispatcher at start-up), or switched on here with
 *   `http.setGlobalProxyFromEnv` (recent Node 24: 24.21 has it, 22.23 not).
 * - `undici`: the bundled undici's `EnvHttpProxyAgent` as `fetch`'s global dispatcher (Node 20, and 22
 *   without `NODE_USE_ENV_PROXY`): Node 20's `fetch` ignores the variables. undici 7, because undici 6's
 *   agent prints an "experimental" warning on every run.
 */
export type ProxyRoute = "none" | "node" | "undici";

/** The variables that name a proxy, each spelling both runtimes read. `NO_PROXY` alone proxies nothing. */
const PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"] as const;

/** Where `fetch` (Node's and undici's alike) looks up its global dispatcher: undici's interop symbol. */
const GLOBAL_DISPATCHER = Symbol.for("undici.globalDispatcher.1");

/** `setGlobalProxyFromEnv` is newer than the `@types/node` this repository pins (Node 20). */
type HttpWithProxy = { setGlobalProxyFromEnv?: (env?: Env) => () => void };

/**
 * Makes `fetch` honour the proxy variables in `env`, once, before any request. Called by the bin only:
 * the programmatic `runCli` leaves the process's networking to its host program. Loads `node:http` or
 * undici only when a proxy variable is set, so `--version` and unproxied runs pay nothing.
 */
export async function useProxyFromEnv(env: Env): Promise<ProxyRoute> {
  if (!PROXY_VARIABLES.some((name) => env[name]?.trim())) return "none";
  // A dispatcher before the first request means Node's own proxy support is on: leave it be. Node 20 has
  // none, so there `NODE_USE_ENV_PROXY=1` changes nothing and the check below takes over.
  if ((globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER] !== undefined) return "node";
  const http = (await import("node:http")) as HttpWithProxy;
  if (typeof http.setGlobalProxyFromEnv === "function") {
    http.setGlobalProxyFromEnv(env);
    return "node";
  }
  const undici = await import("undici");
  // In the bundle, undici (CommonJS) is its chunk's default export; from source it has named exports.
  const { EnvHttpProxyAgent, setGlobalDispatcher } = (
    "default" in undici ? undici.default : undici
  ) as typeof undici;
  const settings = {
    httpProxy: env.http_proxy ?? env.HTTP_PROXY,
    httpsProxy: env.https_proxy ?? env.HTTPS_PROXY,
    noProxy: env.no_proxy ?? env.NO_PROXY,
  };
  // Unset ones are left out: undici would read them from process.env, the bin's `env` anyway.
  setGlobalDispatcher(
    new EnvHttpProxyAgent(
      Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)),
    ),
  );
  return "undici";
}
