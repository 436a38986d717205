import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";

const APP = join(import.meta.dirname, "datafold_app.py");

/** A Python that can serve the app, or why none was found. */
export type FastApiPython =
  | { readonly found: true; readonly command: string; readonly fastapi: string; readonly pydantic: string }
  | { readonly found: false; readonly reason: string };

/**
 * Finds a Python with FastAPI and uvicorn: `$CONFORMANCE_PYTHON` when set (and only it), else `python3`,
 * then `/usr/bin/python3`. The last one matters: apt installs python3-fastapi for the system Python, while
 * `python3` on PATH is often another one (pyenv, a venv) that cannot import it.
 */
export function findFastApiPython(): FastApiPython {
  const chosen = process.env.CONFORMANCE_PYTHON;
  const failures: string[] = [];
  for (const command of chosen ? [chosen] : ["python3", "/usr/bin/python3"]) {
    const probe = spawnSync(
      command,
      ["-c", "import fastapi, pydantic, uvicorn; print(fastapi.__version__, pydantic.VERSION)"],
      { encoding: "utf8", timeout: 15_000 },
    );
    const [fastapi, pydantic] = probe.status === 0 ? probe.stdout.trim().split(" ") : [];
    if (fastapi && pydantic) return { found: true, command, fastapi, pydantic };
    const why = probe.error?.message || probe.stderr.trim().split("\n").at(-1) || `exit ${probe.status}`;
    failures.push(`${command}: ${why}`);
  }
  return {
    found: false,
    reason: `no Python here can \`import fastapi, uvicorn\` (${failures.join("; ")}). Install them with \`apt-get install python3-fastapi python3-uvicorn\`, or point CONFORMANCE_PYTHON at a Python that has them.`,
  };
}

/** What the app recorded of one request (never its headers, so never the key). */
export interface AppRequest {
  readonly method: string;
  readonly path: string;
  /** The raw body as sent, "" when empty. */
  readonly body: string;
}

/** A run the app's trigger started. */
export interface AppRun {
  readonly ci_config_id: number;
  readonly run_id: number;
  readonly details: Record<string, unknown>;
}

/** The independent FastAPI implementation, running. */
export interface FastApiApp {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Every request that reached the app, its debug routes aside. */
  requests(): Promise<AppRequest[]>;
  /** Every run the trigger started. */
  runs(): Promise<AppRun[]>;
  /** Stops the uvicorn process group and waits for it to exit. */
  close(): Promise<void>;
}

/** Starts `datafold_app.py` on 127.0.0.1 and a free port; resolves once it accepts connections. */
export async function startFastApiApp(python: string, apiKey: string): Promise<FastApiApp> {
  // detached: its own process group, so close() can signal uvicorn and anything it spawned at once.
  const child = spawn(python, [APP, "--exit-on-stdin-eof"], {
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, DATAFOLD_CONFORMANCE_API_KEY: apiKey, PYTHONUNBUFFERED: "1" },
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  let url: string;
  try {
    url = await listeningUrl(child, () => stderr);
  } catch (error) {
    await stopGroup(child);
    throw error;
  }
  const debug = async <T>(route: string): Promise<T> => {
    const response = await fetch(`${url}/__conformance/${route}`);
    return (await response.json()) as T;
  };
  return {
    url,
    requests: () => debug<AppRequest[]>("requests"),
    runs: () => debug<AppRun[]>("runs"),
    close: () => stopGroup(child),
  };
}

function listeningUrl(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail("it printed no URL within 20 s"), 20_000);
    let stdout = "";
    function fail(why: string) {
      clearTimeout(timer);
      reject(new Error(`datafold_app.py did not start: ${why}.\n${stderr()}`));
    }
    child.on("error", (error) => fail(error.message));
    child.on("exit", (code, signal) => fail(`it exited (${signal ?? code})`));
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  signalGroup(child.pid, "SIGTERM");
  const timer = setTimeout(() => signalGroup(child.pid!, "SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
  child.stdin?.destroy();
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
