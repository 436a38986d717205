import type { ProxiedNetwork } from "./proxied-network.js";
import type { ProxySettings } from "./proxy-settings.js";

/**
 * {@link ProxiedNetwork} for `settings`, loaded (with the bundled undici) at the first request, so
 * `--help`, usage errors and `--dry-run` behind a proxy start as fast as without one.
 */
export function lazyProxiedNetwork(settings: ProxySettings): ProxiedNetwork {
  let loaded: Promise<ProxiedNetwork> | undefined;
  const load = () => {
    loaded ??= import("./proxied-network.js").then((module) => module.createProxiedNetwork(settings));
    return loaded;
  };
  return {
    fetch: async (input, init) => (await load()).fetch(input, init),
    close: async () => {
      if (loaded) await (await loaded).close();
    },
  };
}
