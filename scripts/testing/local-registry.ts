import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A real npm registry (verdaccio) on loopback, for publish and install tests. */
export interface LocalRegistry {
  /** Where the registry answers, with a trailing slash: `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** Path of an npmrc naming this registry and a token for it (npm refuses to publish without one). */
  readonly npmrc: string;
  /**
   * The environment for npm, npx and pnpm child processes that must use this registry only:
   * `process.env` without any inherited `npm_config_*` setting, plus `npm_config_userconfig` (the npmrc),
   * `npm_config_registry`, and an `npm_config_cache` of this registry's own (npx reuses `~/.npm/_npx`
   * otherwise, so an earlier download could stand in for the package under test). `extra` wins.
   * @example execFile("npx", ["-y", "@datafold-ci/cli@0.2.0", "--version"], { env: registry.env() })
   */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /**
   * Publishes a tarball (prefer `pnpm pack` output: it has `workspace:` and `catalog:` ranges replaced) or a
   * package directory with `npm publish`, always without provenance, which exists only in CI with OIDC.
   */
  publish(tarballOrDir: string): Promise<void>;
  /** Stops the registry and deletes its storage, npmrc and cache. Safe to call more than once. */
  close(): Promise<void>;
}

/** Options of {@link startLocalRegistry}. */
export interface LocalRegistryOptions {
  /** Aborting it closes the registry (or cancels a start in progress). */
  signal?: AbortSignal;
  /**
   * Package patterns served only from what is published here, never proxied, so a test cannot pass on a
   * version that happens to exist upstream.
   * @default ["@datafold-ci/*"]
   */
  localOnly?: readonly string[];
  /**
   * The registry every other package is proxied to.
   * @default the output of `npm config get registry`, read at run time (never written into the repository)
   */
  upstream?: string;
  /**
   * How long the registry may take to start before the start fails.
   * @default 30_000
   */
  startTimeoutMs?: number;
}

// Runs in its own process, so that a test blocking its event loop (execFileSync of an `npm install` that this
// registry must answer) cannot deadlock. Verdaccio's CLI has no port 0; its programmatic API returns a plain
// http.Server that we listen on ourselves, on 127.0.0.1 port 0, and report the port on stdout.
const SERVER_SOURCE = `
const { runServer } = require(process.argv[1]);
const config = JSON.parse(process.argv[2]);
runServer(config).then((server) => {
  server.listen(0, "127.0.0.1", () => process.stdout.write(JSON.stringify({ port: server.address().port }) + "\\n"));
  const stop = () => { server.close(() => process.exit(0)); server.closeAllConnections(); };
  process.on("SIGTERM", stop);
  process.on("disconnect", stop);
}, (error) => { console.error(error); process.exit(1); });
`;

/** The token written into the npmrc: verdaccio lets anyone publish, but npm insists on sending one. */
const TOKEN = "local-registry-test-token";

/**
 * Starts verdaccio on `127.0.0.1` (a free port), with storage in a fresh temporary directory. Packages
 * matching `localOnly` come only from what is published here; every other package is proxied to the
 * upstream registry. The start is bounded by `startTimeoutMs`; always `close()` it (or abort `signal`).
 *
 * @example
 * const registry = await startLocalRegistry();
 * try {
 *   await registry.publish(tarball);
 *   await execFileAsync("npm", ["install", "@datafold-ci/client@0.2.0"], { cwd, env: registry.env() });
 * } finally {
 *   await registry.close();
 * }
 */
export async function startLocalRegistry(options: LocalRegistryOptions = {}): Promise<LocalRegistry> {
  const { signal, localOnly = ["@datafold-ci/*"], startTimeoutMs = 30_000 } = options;
  signal?.throwIfAborted();
  const upstream =
    options.upstream ?? (await run("npm", ["config", "get", "registry"], { env: cleanEnv() })).stdout.trim();
  const root = await mkdtemp(join(tmpdir(), "datafold-ci-registry-"));
  const cache = join(root, "npm-cache");
  await mkdir(cache);

  const local = { access: "$all", publish: "$all", unpublish: "$all" };
  const config = {
    self_path: join(root, "config.yaml"),
    storage: join(root, "storage"),
    uplinks: { upstream: { url: upstream, timeout: "60s", max_fails: 5 } },
    packages: {
      ...Object.fromEntries(localOnly.map((pattern) => [pattern, local])),
      "**": { ...local, proxy: "upstream" },
    },
    web: { enable: false },
    max_body_size: "200mb",
    log: { type: "stdout", format: "pretty", level: "error" },
  };
  const verdaccio = createRequire(import.meta.url).resolve("verdaccio");
  const child = spawn(process.execPath, ["-e", SERVER_SOURCE, verdaccio, JSON.stringify(config)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      signal?.removeEventListener("abort", onAbort);
      await stopProcess(child);
      await rm(root, { recursive: true, force: true });
    })();
    return closed;
  };
  const onAbort = () => void close();
  signal?.addEventListener("abort", onAbort, { once: true });

  let port: number;
  try {
    port = await readPort(child, startTimeoutMs, signal);
  } catch (error) {
    await close();
    throw error;
  }
  const url = `http://127.0.0.1:${port}/`;
  const npmrc = join(root, "npmrc");
  await writeFile(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${TOKEN}\n`);

  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    ...cleanEnv(),
    npm_config_userconfig: npmrc,
    npm_config_registry: url,
    npm_config_cache: cache,
    npm_config_update_notifier: "false",
    npm_config_audit: "false",
    npm_config_fund: "false",
    ...extra,
  });
  return {
    url,
    npmrc,
    env,
    async publish(tarballOrDir) {
      await run("npm", ["publish", tarballOrDir, "--provenance=false", "--loglevel=error"], { env: env() });
    },
    close,
  };
}

/**
 * `process.env` without inherited npm settings: when tests run under `pnpm test`, pnpm exports its own
 * `npm_config_*` variables (registry included), which would otherwise win over the npmrc.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_config_/i.test(key) && key !== "NODE_AUTH_TOKEN"),
  );
}

/** Waits for the server's `{"port":…}` line; fails with what it printed when it exits, times out or is aborted. */
async function readPort(child: ChildProcess, timeoutMs: number, signal?: AbortSignal): Promise<number> {
  let output = "";
  const timeout = AbortSignal.timeout(timeoutMs);
  const stop = signal ? AbortSignal.any([signal, timeout]) : timeout;
  return new Promise<number>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split("\n").find((l) => l.startsWith('{"port":'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.once("exit", (code) =>
      reject(new Error(`verdaccio exited (code ${code}) before listening:\n${output}`)),
    );
    stop.addEventListener("abort", () =>
      reject(
        new Error(
          timeout.aborted
            ? `verdaccio did not listen within ${timeoutMs} ms (startTimeoutMs):\n${output}`
            : "startLocalRegistry was aborted",
        ),
      ),
    );
  });
}

/** SIGTERM, then SIGKILL if the server has not exited within 5 s. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}
