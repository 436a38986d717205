import { describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { environments, PR_FLAGS } from "./fixtures/ci-environments.js";
import { runInProcess } from "./run-in-process.js";

const HOST = { DATAFOLD_HOST: "http://127.0.0.1:9" };
const MISPLACED = "dfk_misplaced_R4nD0mV4lu3";

/** The key-related errors of a trigger run with `env` (the run's other errors, if any, aside). */
async function keyErrors(env: Record<string, string>, argv: string[] = ["trigger", ...PR_FLAGS]) {
  const run = await runInProcess(argv, { ...HOST, ...env });
  expect(run.code).toBe(ExitCode.Usage);
  expect(run.requests).toEqual([]);
  const errors = run.stderr.split("\n").filter((line) => /API_?KEY/.test(line) && line.startsWith("error:"));
  return { ...run, errors };
}

describe("a key in the wrong variable", () => {
  it.each(["DATAFOLD_TOKEN", "DATAFOLD_API_TOKEN", "DATAFOLD_KEY", "DATAFLOD_API_KEY", "datafold_api_key"])(
    "names %s and the variable the key is read from, never its value",
    async (name) => {
      const run = await keyErrors({ [name]: MISPLACED });
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toContain(`found ${name}; the key is read from DATAFOLD_API_KEY`);
      expect(run.stdout + run.stderr).not.toContain(MISPLACED);
    },
  );

  it("hides that variable's value from everything printed", async () => {
    const run = await runInProcess(["trigger", ...PR_FLAGS, `--pr-branch=${MISPLACED}`, "--dry-run"], {
      ...HOST,
      DATAFOLD_TOKEN: ` ${MISPLACED} `,
    });
    expect(run.stdout).toMatch(/--pr-branch +\[REDACTED\]/);
    expect(run.stdout + run.stderr).not.toContain(MISPLACED);
  });

  it("leaves the CLI's own DATAFOLD_ variables alone", async () => {
    const run = await keyErrors({ DATAFOLD_CI_CONFIG_ID: "12" });
    expect(run.stderr).not.toContain("found DATAFOLD_CI_CONFIG_ID");
  });
});

describe("an empty key", () => {
  it("says one thing: set but empty, never also 'not set'", async () => {
    for (const blank of ["", "   "]) {
      const run = await keyErrors({ DATAFOLD_API_KEY: blank });
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toMatch(/^error: DATAFOLD_API_KEY is set but empty: /);
      expect(run.stderr).not.toContain("is not set");
    }
  });

  it.each([
    ["github-actions", /GitHub Actions passes no secrets to workflows run for pull requests from forks/],
    ["gitlab-ci", /GitLab CI passes protected variables only to pipelines of protected branches/],
    [
      "bitbucket-pipelines",
      /Bitbucket Pipelines passes no secured variables to pipelines of pull requests from forks/,
    ],
  ] as const)("names the usual cause on %s, and only that CI's", async (id, cause) => {
    const run = await keyErrors({ ...environments[id].pr, DATAFOLD_API_KEY: "" });
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(cause);
    const others = ["GitHub Actions", "GitLab CI", "Bitbucket Pipelines"].filter(
      (name) => !run.errors[0]!.includes(`${name} passes`),
    );
    expect(others).toHaveLength(2);
    for (const other of others) expect(run.errors[0]).not.toContain(`${other} passes`);
  });

  it("names every CI's usual cause when no CI is detected", async () => {
    const run = await keyErrors({ DATAFOLD_API_KEY: "" });
    for (const name of ["GitHub Actions", "GitLab CI", "Bitbucket Pipelines"])
      expect(run.errors[0]).toContain(`${name} passes`);
  });
});

describe("no key", () => {
  it("asks for DATAFOLD_API_KEY from the CI's secret store, with the detected CI's usual cause", async () => {
    const local = await keyErrors({});
    expect(local.errors).toEqual([
      "error: DATAFOLD_API_KEY is not set: set it to a Datafold API key from your CI's secret store (the key is never read from a flag).",
    ]);
    const gitlab = await keyErrors({ ...environments["gitlab-ci"].pr });
    expect(gitlab.errors).toHaveLength(1);
    expect(gitlab.errors[0]).toMatch(/ If it is set there: GitLab CI passes protected variables only/);
  });
});
