import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { runStatuses, send, trigger, triggerPath, validDetails } from "./helpers.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const bin = fileURLToPath(new URL("../bin/datafold-mock.js", import.meta.url));
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

interface Running {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything written to stderr so far. */
  stderr(): string;
  exit(): Promise<number | null>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

/** The environment of a CI job with no Datafold settings. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { DATAFOLD_API_KEY: _a, DATAFOLD_APIKEY: _b, ...env } = process.env;
  return { ...env, ...extra };
}

function run(args: string[], env = cleanEnv()): ChildProcess {
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  return child;
}

async function start(args: string[], env = cleanEnv()): Promise<Running> {
  const child = run(args, env);
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, "exit").then(([code]) => code as number | null);
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes("\n")) resolve(stdout.split("\n")[0] ?? "");
    });
    void exited.then((code) => reject(new Error(`datafold-mock exited ${code}: ${stderr}`)));
  });
  return { child, url, stderr: () => stderr, exit: () => exited };
}

async function finish(args: string[], env = cleanEnv()) {
  const child = run(args, env);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = await once(child, "exit");
  return { code: code as number | null, stdout, stderr };
}

beforeAll(() => {
  if (!existsSync(fileURLToPath(new URL("../dist/bin.js", import.meta.url))))
    throw new Error(`dist/bin.js is missing: build first (cd ${packageDir} && npx tsup).`);
});

describe("datafold-mock", () => {
  it("prints only its URL on stdout and serves triggers with the key from --api-key", async () => {
    const mock = await start(["--api-key", "bin-test-key"]);
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await trigger({ url: mock.url, apiKey: "bin-test-key" })).toEqual({ ci_run_id: 1, run_id: 1 });
    const wrong = await send({ url: mock.url, apiKey: "other" }, triggerPath(1), { body: validDetails });
    expect(wrong.status).toBe(403);
  });

  it("takes the key from DATAFOLD_API_KEY and says so without printing it", async () => {
    const mock = await start([], cleanEnv({ DATAFOLD_API_KEY: "env-secret-key" }));
    expect(await trigger({ url: mock.url, apiKey: "env-secret-key" })).toEqual({ ci_run_id: 1, run_id: 1 });
    await expect.poll(() => mock.stderr()).toContain("API key from DATAFOLD_API_KEY");
    expect(mock.stderr()).not.toContain("env-secret-key");
  });

  it("prints a generated key to stderr, since the caller could not know it otherwise", async () => {
    const mock = await start([]);
    await expect.poll(() => mock.stderr()).toMatch(/API key: mock-key-[0-9a-f]{24} \(generated/);
    const key = /API key: (mock-key-[0-9a-f]+)/.exec(mock.stderr())?.[1] ?? "";
    expect(await trigger({ url: mock.url, apiKey: key })).toEqual({ ci_run_id: 1, run_id: 1 });
  });

  it("logs each request and its answer to stderr, never the key", async () => {
    const mock = await start(["--api-key", "log-secret-key"]);
    await send({ url: mock.url, apiKey: "log-secret-key" }, `${triggerPath(5)}?leak=log-secret-key`, {
      body: validDetails,
    });
    await send({ url: mock.url, apiKey: "log-secret-key" }, triggerPath("x"), { body: validDetails });
    await expect.poll(() => mock.stderr()).toContain("POST /api/v1/ci/x/trigger → 422");
    expect(mock.stderr()).toContain("POST /api/v1/ci/5/trigger?leak=%5BREDACTED%5D → 200");
    expect(mock.stderr()).not.toContain("log-secret-key");
  });

  it.each(["SIGTERM", "SIGINT"] as const)("stops cleanly on %s with exit code 0", async (signal) => {
    const mock = await start(["--api-key", "k-123456"]);
    mock.child.kill(signal);
    expect(await mock.exit()).toBe(0);
    expect(mock.stderr()).toContain(`stopped (${signal})`);
  });

  it("stops cleanly with a request still in flight", async () => {
    const mock = await start(["--api-key", "k-123456"]);
    const socket = connect(Number(new URL(mock.url).port), "127.0.0.1");
    // Promise a body that never comes, so the request stays open.
    socket.write("POST /api/v1/ci/1/trigger HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{");
    const dropped = once(socket, "close");
    await expect.poll(() => mock.stderr()).toContain("serving");
    mock.child.kill("SIGTERM");
    expect(await mock.exit()).toBe(0);
    await dropped;
  });

  it("answers null ids for --no-run-for config ids", async () => {
    const mock = await start([
      "--api-key",
      "k-123456",
      "--no-run-for",
      "42,43",
      "--no-run-for",
      "44",
      "--first-run-id",
      "9",
    ]);
    const target = { url: mock.url, apiKey: "k-123456" };
    expect(await trigger(target, 43)).toEqual({ ci_run_id: null, run_id: null });
    expect(await trigger(target, 44)).toEqual({ ci_run_id: null, run_id: null });
    expect(await trigger(target, 1)).toEqual({ ci_run_id: 9, run_id: 9 });
  });

  it("moves runs through --run-lifecycle and supersedes with --supersede", async () => {
    const mock = await start([
      "--api-key",
      "k-123456",
      "--wait-for-diffs",
      "0",
      "--run-lifecycle",
      "queued:0, processing:2, failed",
      "--supersede",
    ]);
    const target = { url: mock.url, apiKey: "k-123456" };
    await trigger(target, 1);
    await trigger(target, 1);
    const statuses = () => runStatuses(target, 1);
    expect(await statuses()).toEqual([
      [2, "processing"],
      [1, "cancelled"],
    ]);
    await expect.poll(statuses, { timeout: 10_000 }).toEqual([
      [2, "failed"],
      [1, "cancelled"],
    ]);
    const uploaded = await send(target, "/api/v1/ci/1/7", { body: [{ prod: "a", pr: "b" }] });
    expect(await uploaded.json()).toEqual({ ci_run_id: null, run_id: null });
  }, 15_000);

  it("keeps a run waiting for its diffs by default, then moves through --run-lifecycle", async () => {
    const mock = await start(["--api-key", "k-123456", "--run-lifecycle", "processing:2,failed"]);
    const target = { url: mock.url, apiKey: "k-123456" };
    await trigger(target, 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await runStatuses(target, 1)).toEqual([[1, "waiting"]]);
    const uploaded = await send(target, "/api/v1/ci/1/7", { body: [{ prod: "a", pr: "b" }] });
    expect(await uploaded.json()).toEqual({ ci_run_id: 1, run_id: 1 });
    expect(await runStatuses(target, 1)).toEqual([[1, "processing"]]);
    await expect.poll(() => runStatuses(target, 1), { timeout: 10_000 }).toEqual([[1, "failed"]]);
  }, 15_000);

  it("moves a run on without diffs after --wait-for-diffs seconds", async () => {
    const mock = await start(["--api-key", "k-123456", "--wait-for-diffs", "1", "--run-lifecycle", "done"]);
    const target = { url: mock.url, apiKey: "k-123456" };
    await trigger(target, 1);
    expect(await runStatuses(target, 1)).toEqual([[1, "waiting"]]);
    await expect.poll(() => runStatuses(target, 1), { timeout: 10_000 }).toEqual([[1, "done"]]);
  }, 15_000);

  it("listens on the --port asked for", async () => {
    const port = await freePort();
    const mock = await start(["--port", String(port), "--api-key", "k-123456"]);
    expect(mock.url).toBe(`http://127.0.0.1:${port}`);
  });

  it("prints usage for --help and the package version for --version", async () => {
    const help = await finish(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: datafold-mock [options]");
    expect(help.stdout).toContain("--api-key <key>");
    expect(help.stdout).toMatch(/--wait-for-diffs <s> +how long, in seconds, a run shows "waiting"/);
    expect(help.stdout).toContain("diffs or not (default: 600)");
    const printed = await finish(["--version"]);
    expect(printed).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it.each<[string[], string]>([
    [["--port", "http"], 'datafold-mock: --port must be an integer from 0 to 65535, got "http".'],
    [["--port", "65536"], 'datafold-mock: --port must be an integer from 0 to 65535, got "65536".'],
    [["--no-run-for", "abc"], "datafold-mock: --no-run-for must be an integer"],
    [["--api-key", ""], "datafold-mock: --api-key must not be empty."],
    [
      ["--run-lifecycle", "waiting:soon,done"],
      'datafold-mock: --run-lifecycle: each stage must be status:seconds (seconds 0 or more), got "waiting:soon"',
    ],
    [["--run-lifecycle", "waiting:1"], "datafold-mock: --run-lifecycle must end with the final status"],
    [
      ["--wait-for-diffs", "ten"],
      'datafold-mock: --wait-for-diffs must be a number of seconds, 0 or more, got "ten".',
    ],
    [["--verbose"], "Unknown option '--verbose'"],
    [["serve"], "serve"],
  ])("exits 2 on %j, naming the problem and pointing at --help", async (args, message) => {
    const result = await finish(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("Run `datafold-mock --help` for usage.");
  });

  it("refuses a key with a trailing space from the environment without echoing it", async () => {
    const result = await finish([], cleanEnv({ DATAFOLD_API_KEY: "spacey-key " }));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "the API key from DATAFOLD_API_KEY has control characters or spaces at either end.",
    );
    expect(result.stderr).not.toContain("spacey-key");
  });

  it("exits 1 when its port is taken", async () => {
    const mock = await start(["--api-key", "k-123456"]);
    const port = new URL(mock.url).port;
    const result = await finish(["--port", port]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`datafold-mock: cannot listen on 127.0.0.1:${port}: EADDRINUSE\n`);
  });

  it.skipIf(!hasCommand("curl"))("works in the README's shell pipeline", () => {
    const script = `
      set -e
      dir=$(mktemp -d)
      node "${bin}" --api-key test-key > "$dir/url" 2> "$dir/log" &
      pid=$!
      until [ -s "$dir/url" ]; do sleep 0.1; done
      curl -sS -X POST "$(cat "$dir/url")/api/v1/ci/1/trigger" \\
        -H "Authorization: Key test-key" -H "Content-Type: application/json" \\
        -d '{"pr_number":1,"pr_branch":"feature","base_branch":"main","pr_sha":"a1","base_sha":"b2"}'
      kill "$pid"
      wait "$pid"
      echo " exit=$?"
      rm -rf "$dir"
    `;
    const output = execFileSync("sh", ["-c", script], { env: cleanEnv(), encoding: "utf8", timeout: 20_000 });
    expect(output).toBe('{"ci_run_id":1,"run_id":1} exit=0\n');
  });
});

function hasCommand(name: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
}
