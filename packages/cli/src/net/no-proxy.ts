import { BlockList, isIP } from "node:net";

/** The hosts `NO_PROXY` sends direct: every host (`*`), or the listed ones. */
export interface NoProxy {
  readonly all: boolean;
  readonly rules: readonly NoProxyRule[];
}

/** One `NO_PROXY` entry: a host name (matching its subdomains too), an IP address or range, and maybe a port. */
export interface NoProxyRule {
  /** Lower case, without a leading or trailing dot or brackets. */
  readonly host: string;
  readonly port?: number;
  /** For an address range (`10.0.0.0/8`, `fd00::/8`). */
  readonly range?: BlockList;
}

/**
 * Reads `NO_PROXY` as curl does: entries separated by commas or spaces; `*` alone matches every host;
 * `example.com` and `.example.com` match that host and its subdomains (not `notexample.com`); IP
 * addresses match exactly, ranges in CIDR form (`10.0.0.0/8`) by prefix. As Python's requests and
 * undici do, and curl does not, `host:port` (`[::1]:8080` for IPv6) matches only that port.
 */
export function parseNoProxy(value: string | undefined): NoProxy {
  const entries = (value ?? "").split(/[\s,]+/).filter(Boolean);
  if (entries.includes("*")) return { all: true, rules: [] };
  return { all: false, rules: entries.flatMap((entry) => parseEntry(entry.toLowerCase())) };
}

function parseEntry(entry: string): NoProxyRule[] {
  let host = entry;
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  const hostPort = /^([^:]+):(\d+)$/.exec(entry);
  if (bracketed?.[1]) [host, port] = [bracketed[1], bracketed[2] ? Number(bracketed[2]) : undefined];
  else if (hostPort?.[1]) [host, port] = [hostPort[1], Number(hostPort[2])];
  host = host.replace(/^\.+|\.+$/g, "");
  if (host === "") return [];
  const rule = port === undefined ? {} : { port };
  const cidr = /^(.+)\/(\d{1,3})$/.exec(host);
  if (cidr?.[1] && isIP(cidr[1])) {
    const range = new BlockList();
    const family = isIP(cidr[1]) === 6 ? "ipv6" : "ipv4";
    const prefix = Number(cidr[2]);
    if (prefix > (family === "ipv6" ? 128 : 32)) return [];
    range.addSubnet(cidr[1], prefix, family);
    return [{ host, range, ...rule }];
  }
  return [{ host, ...rule }];
}

/** Whether a request to `hostname`:`port` goes direct under `noProxy`. `hostname` as a URL gives it (IPv6 in brackets). */
export function bypassesProxy(noProxy: NoProxy, hostname: string, port: number): boolean {
  if (noProxy.all) return true;
  const name = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "");
  const family = isIP(name);
  return noProxy.rules.some((rule) => {
    if (rule.port !== undefined && rule.port !== port) return false;
    if (rule.range) return family !== 0 && rule.range.check(name, family === 6 ? "ipv6" : "ipv4");
    if (family !== 0 || isIP(rule.host) !== 0) return sameAddress(name, rule.host);
    return name === rule.host || name.endsWith(`.${rule.host}`);
  });
}

function sameAddress(a: string, b: string): boolean {
  if (a === b) return true;
  const family = isIP(a);
  if (family === 0 || family !== isIP(b)) return false;
  // `::1` and `0:0:0:0:0:0:0:1` are one address.
  const list = new BlockList();
  list.addAddress(b, family === 6 ? "ipv6" : "ipv4");
  return list.check(a, family === 6 ? "ipv6" : "ipv4");
}
