import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyRepository, editYaml, generateAndBuild } from "./testing/repository-copy.js";

// The CLI's inputs come from the operations: a field Datafold adds to the trigger's body, optional or
// required, becomes a flag and a variable with no edit outside spec/; an operation Datafold removes (with
// its override entry) leaves its command saying it is unavailable. On a copy of the repository, built.

const run = promisify(execFile);
let copy: string;
let cwd: string;
type Kit = typeof import("../packages/testing/src/index.js");
let mock: Awaited<ReturnType<Kit["startMockDatafold"]>>;

const UPLOAD = "/api/v1/ci/{ci_config_id}/{pr_num}";
const PR_FLAGS = [
  "--ci-config-id=12",
  "--pr-num=7",
  "--pr-branch=feature/x",
  "--base-branch=main",
  "--pr-sha=1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d",
  "--base-sha=9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c",
];

interface Spec {
  paths: Record<string, unknown>;
  components: { schemas: { APIPrDetails: { properties: Record<string, unknown>; required: string[] } } };
}

beforeAll(async () => {
  copy = await copyRepository("datafold-ci-cli-inputs-");
  await editYaml<Spec>(copy, "spec/datafold-api.yaml", (spec) => {
    const details = spec.components.schemas.APIPrDetails;
    details.properties.pr_title = { type: "string", title: "Pr Title" };
    details.properties.repository_id = {
      type: "integer",
      title: "Repository Id",
      description: "the repository's id in Datafold",
    };
    details.required.push("repository_id");
    delete spec.paths[UPLOAD];
  });
  await editYaml<Record<string, unknown>>(copy, "spec/overrides/datafold-api.yaml", (overrides) => {
    delete overrides[`POST ${UPLOAD}`];
  });
  await generateAndBuild(copy, ["types", "client", "testing", "cli"]);
  const kit: Kit = await import(join(copy, "packages", "testing", "dist", "index.js"));
  mock = await kit.startMockDatafold();
  cwd = await mkdtemp(join(tmpdir(), "datafold-ci-cli-inputs-cwd-"));
}, 300_000);

afterAll(async () => {
  await mock?.close();
  if (cwd) await rm(cwd, { recursive: true, force: true });
  if (copy) await rm(copy, { recursive: true, force: true });
});

/** The copy's built CLI, with only PATH and `env` (no CI variables of wherever the tests run). */
async function cli(args: readonly string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(copy, "packages", "cli", "bin", "datafold-ci.js"), ...args],
      {
        cwd,
        env: { PATH: process.env.PATH ?? "", DATAFOLD_API_KEY: mock.apiKey, DATAFOLD_HOST: mock.url, ...env },
        timeout: 30_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const triggers = () => mock.requests.filter((request) => request.method === "POST");

describe("a field added to the trigger's body", () => {
  it("builds, and typechecks with the CLI's tests", async () => {
    await run(join(copy, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.json"], {
      cwd: join(copy, "packages", "cli"),
    });
  }, 120_000);

  it("has its flag and variable in trigger --help, by rule, labelled from the spec", async () => {
    const help = await cli(["trigger", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ +--pr-title <text> +Pr Title\n +env DATAFOLD_PR_TITLE\n/m);
    expect(help.stdout).toMatch(
      /^ +--repository-id <n> +the repository's id in Datafold\n +env DATAFOLD_REPOSITORY_ID; default: none\n/m,
    );
  });

  it("is sent when given, by flag or by variable", async () => {
    mock.requests.length = 0;
    const given = await cli([...trigger(), "--pr-title", "Add the orders model"], {
      DATAFOLD_REPOSITORY_ID: "31",
    });
    expect(given.stderr).toBe("");
    expect(given.code).toBe(0);
    expect(triggers().at(-1)?.body).toMatchObject({
      pr_number: 7,
      pr_title: "Add the orders model",
      repository_id: 31,
    });
  });

  it("an optional one is not sent when not given", async () => {
    mock.requests.length = 0;
    const sent = await cli([...trigger(), "--repository-id", "31"]);
    expect(sent.code).toBe(0);
    expect(triggers().at(-1)?.body).not.toHaveProperty("pr_title");
  });

  it("a required one, when missing, exits 2 naming its flag and variable, and sends nothing", async () => {
    mock.requests.length = 0;
    const missing = await cli(trigger());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      "error: --repository-id is missing (the repository's id in Datafold): pass --repository-id or set DATAFOLD_REPOSITORY_ID; no CI system supplies it.",
    );
    expect(mock.requests).toEqual([]);
  });
});

describe("an operation removed with its override", () => {
  it("leaves its command unavailable in this build: exit 2, nothing sent", async () => {
    mock.requests.length = 0;
    const submit = await cli(["submit", "--ci-config-id", "12", "--pr-num", "7"]);
    expect(submit.code).toBe(2);
    expect(submit.stderr).toMatch(/datafold-ci submit is not available in this build: .* uploadPrChanges/);
    expect(mock.requests).toEqual([]);
    const help = await cli(["submit", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("datafold-ci submit is not available in this build");
  });

  it("leaves the other commands as they were", async () => {
    const runs = await cli(["runs", "--ci-config-id", "12", "--pr-num", "7", "--json"]);
    expect(runs.code).toBe(0);
    expect(JSON.parse(runs.stdout)).toEqual(expect.any(Array));
  });
});

/** `trigger` with every PR fact as a flag, without the look at the PR's runs (it is the client's, tested there). */
function trigger(): string[] {
  return ["trigger", ...PR_FLAGS, "--no-run-check"];
}
