import { expect } from "vitest";
import { runCli } from "../src/cli.js";
import type { CliOptions } from "../src/types.js";
import { fakeGit } from "./fake-git.js";
import { GITHUB_EVENT_PATH, githubPullRequestEvent } from "./fixtures/ci-environments.js";

/** The key every in-process test runs with; {@link runInProcess} fails the test if it is ever printed. */
export const TEST_KEY = "dfk_test_Zq8vN3xR7pL2mK9w";

/** The key and a loopback host that the injected fetch answers for (nothing listens there). */
export const IN_PROCESS_ENV: Readonly<Record<string, string>> = {
  DATAFOLD_API_KEY: TEST_KEY,
  DATAFOLD_HOST: "http://127.0.0.1:9",
};

/** What one run printed and sent. */
export interface InProcessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Requests that reached `fetch`, except the run lists the trigger makes to look before retrying. */
  readonly requests: { method: string; url: string; body: unknown }[];
}

/**
 * Runs the CLI in this process with `env` only (never the test runner's own), a fetch that answers
 * `answer` (default: a started run) and records what reached it, and a git without a repository.
 */
export async function runInProcess(
  argv: string[],
  env: Record<string, string>,
  overrides: Partial<CliOptions> & { answer?: () => Response; isTTY?: boolean } = {},
): Promise<InProcessRun> {
  let stdout = "";
  let stderr = "";
  const requests: InProcessRun["requests"] = [];
  const { answer = () => Response.json({ ci_run_id: 42, run_id: 17 }), isTTY, ...options } = overrides;
  const code = await runCli({
    argv,
    env,
    stdout: { write: (text: string) => (stdout += text), isTTY: isTTY ?? false },
    stderr: { write: (text: string) => (stderr += text), isTTY: isTTY ?? false },
    git: fakeGit(),
    readFile: async (path) => {
      if (path === GITHUB_EVENT_PATH) return JSON.stringify(githubPullRequestEvent);
      throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
    },
    fetch: async (input, init) => {
      const request = new Request(input, init);
      // The trigger's look at the PR's runs before its first attempt (checkForStartedRun): none yet.
      if (request.method === "GET" && new URL(request.url).pathname.endsWith("/runs"))
        return Response.json([]);
      const text = await request.text();
      requests.push({ method: request.method, url: request.url, body: text ? JSON.parse(text) : undefined });
      return answer();
    },
    ...options,
  });
  for (const secret of [TEST_KEY, env.DATAFOLD_API_KEY?.trim(), env.DATAFOLD_APIKEY?.trim()])
    if (secret) {
      expect(stdout).not.toContain(secret);
      expect(stderr).not.toContain(secret);
    }
  return { code, stdout, stderr, requests };
}
