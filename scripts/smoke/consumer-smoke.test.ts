import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packPackages, publishedPackages } from "../packaging/published-packages.js";
import { createConsumer, TSC } from "./consumer-projects.js";
import { type NodeRuntime, RUNTIME_MAJORS, resolveRuntimes } from "./node-runtimes.js";

// What a new user does: install the packed tarballs into fresh projects of each kind and use them, on
// every supported Node. One pack and one install serve all projects and runtimes.
const run = promisify(execFile);
const packages = await publishedPackages();
const cliVersion = packages.find((p) => p.name === "@datafold-ci/cli")?.version;

/** The part of the installed testing kit's API this file uses (the root does not depend on the package). */
type StartMock = (options: { firstRunId: number }) => Promise<{
  url: string;
  apiKey: string;
  requests: { body: unknown }[];
  close(): Promise<void>;
}>;

let work: string;
let consumer: string;
let runtimes: Map<number, NodeRuntime>;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "datafold-ci-smoke-"));
  consumer = join(work, "consumer");
  await mkdir(join(work, "tarballs"));
  const [tarballs, resolved] = await Promise.all([
    packPackages(packages, join(work, "tarballs")),
    resolveRuntimes(RUNTIME_MAJORS),
  ]);
  runtimes = resolved;
  await createConsumer(consumer, [...tarballs.values()]);
  // Emit the ESM project's JavaScript without checking; type-checking is a test of its own below.
  await run(process.execPath, [TSC, "-p", join(consumer, "esm"), "--noCheck"]);
}, 300_000);
afterAll(() => rm(work, { recursive: true, force: true }));

async function typeCheck(project: string): Promise<string> {
  return run(process.execPath, [TSC, "-p", join(consumer, project), "--noEmit"]).then(
    () => "no errors",
    (e: { stdout: string }) => e.stdout,
  );
}

it("an ESM TypeScript project (node16 resolution, strict) type-checks against the installed declarations", async () => {
  expect(await typeCheck("esm")).toBe("no errors");
});

it("a moduleResolution: bundler project type-checks against every package's declarations", async () => {
  expect(await typeCheck("bundler")).toBe("no errors");
});

describe.each(RUNTIME_MAJORS.map((major) => ({ major })))("on Node $major", ({ major }) => {
  const node = () => runtimes.get(major)?.execPath ?? "";
  const json = async (args: string[], cwd: string) => JSON.parse((await run(node(), args, { cwd })).stdout);

  it("the ESM project starts a run against the testing kit, and invalid input never leaves the process", async () => {
    expect(await json(["dist/trigger.js"], join(consumer, "esm"))).toEqual({
      job: { ci_run_id: 1, run_id: 1 },
      unchecked: { ci_run_id: 2, run_id: 2 },
      rejectedBeforeSending: true,
      outcome: "done",
      undeclared: ["details.pr_shaa"],
      // triggerPrRun lists the PR's runs before its first attempt (look before retrying), unless told not to;
      // the wait, from @datafold-ci/client/wait, lists them once more.
      requests: [
        "GET /api/v1/ci/7/runs 200",
        "POST /api/v1/ci/7/trigger 200",
        "POST /api/v1/ci/8/trigger 200",
        "GET /api/v1/ci/7/runs 200",
      ],
    });
  });

  it("require() loads the CommonJS builds of the client, its subpaths and the testing kit", async () => {
    expect(await json(["trigger.cjs"], join(consumer, "cjs"))).toEqual({
      job: { ci_run_id: 100, run_id: 100 },
      inputErrorClass: true,
      subpaths: ["function", 0],
      requests: 2, // the list of the PR's runs, then the trigger
    });
  });

  it("npx datafold-ci --version runs the installed CLI", async () => {
    const env = { ...process.env, PATH: [dirname(node()), process.env.PATH].join(delimiter) };
    const { stdout } = await run("npx", ["--no-install", "datafold-ci", "--version"], { cwd: consumer, env });
    expect(stdout.trim()).toBe(cliVersion);
  });
});

it("the installed CLI starts a run against the installed testing kit, configured by environment as in CI", async () => {
  const testingKit = join(consumer, "node_modules/@datafold-ci/testing/dist/index.js");
  const { startMockDatafold } = (await import(testingKit)) as { startMockDatafold: StartMock };
  const mock = await startMockDatafold({ firstRunId: 500 });
  try {
    const flags = [
      "--ci-config-id",
      "7",
      "--pr-num",
      "42",
      "--pr-branch",
      "feature/smoke",
      "--base-branch",
      "main",
    ];
    const shas = ["--pr-sha", "a".repeat(40), "--base-sha", "b".repeat(40)];
    const { stdout } = await run(
      "npx",
      ["--no-install", "datafold-ci", "trigger", ...flags, ...shas, "--json"],
      {
        cwd: consumer,
        // Only what a pipeline sets for us: no CI provider variables, so every fact comes from flags.
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DATAFOLD_API_KEY: mock.apiKey,
          DATAFOLD_HOST: mock.url,
        },
      },
    );
    expect(JSON.parse(stdout)).toEqual({ ci_run_id: 500, run_id: 500 });
    const triggers = mock.requests.filter((r) => r.body !== undefined);
    expect(triggers.map((r) => r.body)).toEqual([
      {
        pr_number: 42,
        pr_branch: "feature/smoke",
        base_branch: "main",
        pr_sha: "a".repeat(40),
        base_sha: "b".repeat(40),
      },
    ]);
  } finally {
    await mock.close();
  }
});
