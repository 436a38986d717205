import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { BIN } from "./run-bin.js";
import { IN_PROCESS_ENV, runInProcess } from "./run-in-process.js";

const diffs = [{ prod: "db.analytics.orders", pr: "db.pr_7.orders", pk: ["id"] }];
const SUBMIT = ["submit", "--ci-config-id", "12", "--pr-num", "7"];
const WAITING = "waiting for the diffs on standard input";

/** A stdin that sends `text` after `ms`, as a build step that is slow to write would. */
async function* later(text: string, ms: number): AsyncGenerator<string> {
  await sleep(ms);
  yield text;
}

describe("submit's diffs from standard input", () => {
  it("reads --diffs - from standard input, as the official CLI does", async () => {
    const run = await runInProcess([...SUBMIT, "--diffs", "-"], IN_PROCESS_ENV, {
      stdin: [JSON.stringify(diffs)],
      readFile: async (path) => {
        throw new Error(`read ${path} as a file`);
      },
    });
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.requests).toEqual([{ method: "POST", url: "http://127.0.0.1:9/api/v1/ci/12/7", body: diffs }]);
  });

  it("reads DATAFOLD_DIFFS=- from standard input too, and names it in messages", async () => {
    const run = await runInProcess(
      SUBMIT,
      { ...IN_PROCESS_ENV, DATAFOLD_DIFFS: "-" },
      {
        stdin: [JSON.stringify([{ pr: "x" }])],
      },
    );
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toMatch(/^error: diffs\[0\]\.prod \(from stdin \(DATAFOLD_DIFFS -\)\): /);
  });

  it("says after a second that it is waiting for the diffs on standard input, then reads them", async () => {
    const run = await runInProcess(SUBMIT, IN_PROCESS_ENV, { stdin: later(JSON.stringify(diffs), 1500) });
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stderr).toContain(`${WAITING} (nothing has come for 1 s)`);
    expect(run.requests).toHaveLength(1);
  });

  it("says nothing of waiting when the diffs come at once", async () => {
    const run = await runInProcess([...SUBMIT, "--diffs", "-"], IN_PROCESS_ENV, {
      stdin: later(JSON.stringify(diffs), 10),
    });
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stderr).not.toContain(WAITING);
  });

  it("tells a real pipe that stays silent (sleep 100 | datafold-ci submit …) what it is waiting for", async () => {
    const child = spawn(process.execPath, [BIN, ...SUBMIT], {
      env: { PATH: process.env.PATH ?? "", ...IN_PROCESS_ENV },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    try {
      const deadline = Date.now() + 20_000;
      while (!stderr.includes(WAITING) && Date.now() < deadline) await sleep(50);
      expect(stderr).toContain(
        `${WAITING} (nothing has come for 1 s): pipe the JSON array in, or pass --diffs <file>`,
      );
    } finally {
      // Closing the pipe ends the wait: nothing came, which is no JSON.
      child.stdin.end();
      expect(await closed).toBe(ExitCode.Usage);
    }
    expect(stderr).toContain("stdin is not JSON");
  }, 30_000);
});

describe("a diff field the API does not declare", () => {
  const typo = [{ prod: "db.analytics.orders", pr: "db.pr_7.orders", include_column: ["id"] }];

  it("is named with --debug (Datafold ignores it), and the diffs are sent as given", async () => {
    const run = await runInProcess([...SUBMIT, "--debug"], IN_PROCESS_ENV, { stdin: [JSON.stringify(typo)] });
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stderr).toContain(
      "diffs[0].include_column is not a field of CiDiff in the API description, so Datafold ignores it (did you mean include_columns?)",
    );
    expect(run.requests[0]?.body).toEqual(typo);
  });

  it("is not mentioned without --debug", async () => {
    const run = await runInProcess(SUBMIT, IN_PROCESS_ENV, { stdin: [JSON.stringify(typo)] });
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stderr).not.toContain("include_column");
  });
});
