import { describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { PR, PR_FLAGS } from "./fixtures/ci-environments.js";
import { IN_PROCESS_ENV, runInProcess } from "./run-in-process.js";

// The key is hidden whatever its length: a filter that registered only keys of 8 characters or more
// would print a 5-character key.
const SHORT_KEY = "k3y_x";
const SHORT_KEY_ENV = { ...IN_PROCESS_ENV, DATAFOLD_API_KEY: SHORT_KEY };

// runInProcess fails the test if SHORT_KEY is printed anywhere; each test also checks where it went.
describe("the API key, whatever its length", () => {
  it("is redacted where a server echoes it in an error answer", async () => {
    const run = await runInProcess(["trigger", ...PR_FLAGS, "--retries", "0"], SHORT_KEY_ENV, {
      answer: () => Response.json({ detail: `bad header: Key ${SHORT_KEY}` }, { status: 500 }),
    });
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toContain("bad header: Key [REDACTED]");
  });

  it("is redacted where a server echoes it in the runs it lists", async () => {
    const echoed = {
      id: 5,
      status: "done",
      source: "api",
      pr_num: "7",
      pr_branch: `echo-${SHORT_KEY}`,
      base_branch: PR.base,
      pr_sha: PR.headSha,
      base_sha: PR.baseSha,
    };
    for (const extra of [[], ["--json"]]) {
      const run = await runInProcess(
        ["runs", "--ci-config-id", "12", "--pr-num", "7", ...extra],
        SHORT_KEY_ENV,
        { fetch: async () => Response.json([echoed]) },
      );
      expect(run.code).toBe(ExitCode.Ok);
      expect(run.stdout).toContain("echo-[REDACTED]");
    }
  });

  it("is redacted where a fetch's error names it in a --debug trace", async () => {
    const run = await runInProcess(["trigger", ...PR_FLAGS, "--retries", "0", "--debug"], SHORT_KEY_ENV, {
      fetch: async () => {
        throw new TypeError(`fetch failed (authorization: Key ${SHORT_KEY})`);
      },
    });
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toContain("authorization: Key [REDACTED]");
  });

  it("is redacted in a value the user typed", async () => {
    const run = await runInProcess(
      ["trigger", ...PR_FLAGS, `--pr-branch=${SHORT_KEY}`, "--dry-run"],
      SHORT_KEY_ENV,
    );
    expect(run.stdout).toMatch(/--pr-branch +\[REDACTED\]/);
  });

  it("leaves output alone when the key variable is blank", async () => {
    const run = await runInProcess(["trigger", ...PR_FLAGS], { ...IN_PROCESS_ENV, DATAFOLD_API_KEY: "   " });
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toContain("DATAFOLD_API_KEY is set but empty");
    expect(run.stderr).not.toContain("[REDACTED]");
  });
});
