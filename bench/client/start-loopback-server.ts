import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { REPO_ROOT } from "../lib/repo.js";

/** A running loopback server process. */
export interface LoopbackServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts bench/client/loopback-server.ts in a child process and waits until it listens. */
export async function startLoopbackServer(): Promise<LoopbackServer> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/client/loopback-server.ts"], {
    cwd: REPO_ROOT,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`loopback server exited with ${code} before listening`)));
  });
  const { port } = JSON.parse(firstLine) as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      child.stdin.end();
      await exited;
    },
  };
}
