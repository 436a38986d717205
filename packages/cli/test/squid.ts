import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";

/**
 * The proxy tests' squid: `$PROXY_TESTS_SQUID` when set (and then it must work: CI sets it so a broken
 * install fails rather than skips), else `squid` on PATH or in /usr/sbin (Debian's package).
 */
export const SQUID_VARIABLE = "PROXY_TESTS_SQUID";

/** Debian's shipped configuration, whose access rules the tests use unchanged. */
const STOCK_CONFIG = "/etc/squid/squid.conf";
/** Debian's Basic auth helper (squid's `libexecdir`), which reads an htpasswd file. */
const NCSA_AUTH = "/usr/lib/squid/basic_ncsa_auth";

/** Where squid and its helpers are, or why the squid tests cannot run here. */
export type SquidLookup =
  | { readonly found: true; readonly squid: string; readonly htpasswd: string | undefined }
  | { readonly found: false; readonly reason: string };

/** Finds squid, its stock rules and (for the Basic auth tests) htpasswd and the NCSA helper. */
export function findSquid(env: NodeJS.ProcessEnv = process.env): SquidLookup {
  const install =
    "Install Debian's squid and apache2-utils (`apt-get install squid apache2-utils`), or point PROXY_TESTS_SQUID at a squid binary.";
  const chosen = env[SQUID_VARIABLE];
  const squid =
    chosen || onPath("squid", env) || (existsSync("/usr/sbin/squid") ? "/usr/sbin/squid" : undefined);
  if (!squid || !existsSync(squid))
    return {
      found: false,
      reason: `${chosen ? `${SQUID_VARIABLE}=${chosen} does not exist` : "no squid here"}. ${install}`,
    };
  if (!existsSync(STOCK_CONFIG))
    return {
      found: false,
      reason: `${squid} has no ${STOCK_CONFIG} to take the stock rules from. ${install}`,
    };
  const htpasswd = onPath("htpasswd", env);
  return { found: true, squid, htpasswd: htpasswd && existsSync(NCSA_AUTH) ? htpasswd : undefined };
}

function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** A squid running on 127.0.0.1 for one test file. */
export interface Squid {
  /** `http://127.0.0.1:<port>`, without credentials. */
  readonly url: string;
  readonly port: number;
  /** The access log's lines so far: `… TCP_DENIED/403 3399 CONNECT 127.0.0.1:4711 - HIER_NONE/- text/html`. */
  accessLog(): Promise<string[]>;
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 15_000;
let instances = 0;

/**
 * Starts `squid` unprivileged in the foreground on a free loopback port, with the access rules of
 * Debian's shipped configuration (`CONNECT` to port 443 only, plain http forwarded for localhost), no
 * cache, logs in a temp folder, and, with `auth`, Basic authentication required of everyone. Gives
 * up after 15 s, naming what squid printed.
 */
export async function startSquid(
  lookup: Extract<SquidLookup, { found: true }>,
  options: { auth?: { user: string; password: string } } = {},
): Promise<Squid> {
  const dir = await mkdtemp(join(tmpdir(), "datafold-ci-squid-"));
  // Started as root, squid runs as its `proxy` user, which must read the configuration and write the logs.
  await chmod(dir, 0o777);
  const rules = (await readFile(STOCK_CONFIG, "utf8"))
    .split("\n")
    .filter((line) => /^(acl|http_access)\s/.test(line));
  if (options.auth) {
    if (!lookup.htpasswd)
      throw new Error(`htpasswd or ${NCSA_AUTH} is missing: install apache2-utils and squid`);
    const passwd = join(dir, "passwd");
    await promisify(execFile)(lookup.htpasswd, [
      "-b",
      "-c",
      "-m",
      passwd,
      options.auth.user,
      options.auth.password,
    ]);
    await chmod(passwd, 0o644);
    // Before the stock "allow localhost": everyone, local or not, must authenticate.
    const at = rules.findIndex((line) => /^http_access allow localhost\s*$/.test(line));
    rules.splice(
      Math.max(at, 0),
      0,
      `auth_param basic program ${NCSA_AUTH} ${passwd}`,
      "auth_param basic realm datafold-ci test proxy",
      "acl authenticated proxy_auth REQUIRED",
      "http_access deny !authenticated",
    );
  }
  const port = await freePort();
  await writeFile(
    join(dir, "squid.conf"),
    [
      ...rules,
      `http_port 127.0.0.1:${port}`,
      `pid_filename ${join(dir, "squid.pid")}`,
      `access_log stdio:${join(dir, "access.log")}`,
      `cache_log ${join(dir, "cache.log")}`,
      "cache deny all",
      `coredump_dir ${dir}`,
      "shutdown_lifetime 0 seconds",
      "",
    ].join("\n"),
  );
  await chmod(join(dir, "squid.conf"), 0o644);
  // -N: foreground; -d 1: the start-up lines on stderr too; -n: a service name of its own, so two
  // squids of parallel test files never share a pid file or a shared-memory segment.
  const child = spawn(
    lookup.squid,
    ["-N", "-d", "1", "-n", `dfci${process.pid}x${++instances}`, "-f", join(dir, "squid.conf")],
    {
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  const stopOnExit = () => child.kill("SIGKILL");
  process.once("exit", stopOnExit);
  let printed = "";
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`squid did not start within ${START_TIMEOUT_MS} ms:\n${printed}`)),
        START_TIMEOUT_MS,
      );
      child.stderr?.on("data", (chunk: Buffer) => {
        printed += chunk.toString();
        if (printed.includes("Accepting HTTP Socket connections")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`squid exited (${signal ?? code}) before accepting connections:\n${printed}`));
      });
    });
  } catch (error) {
    await stop(child);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    accessLog: async () =>
      (await readFile(join(dir, "access.log"), "utf8").catch(() => "")).split("\n").filter(Boolean),
    close: async () => {
      process.off("exit", stopOnExit);
      await stop(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** SIGTERM, then SIGKILL if squid is still shutting down after 3 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}

/** A port nothing listens on now (squid cannot be told to pick one). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
