import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MockDatafold, startMockDatafold } from "@datafold-ci/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import {
  environments,
  type Fixture,
  githubPullRequestEvent,
  MERGE_SHA,
  PR,
  type ProviderId,
} from "./fixtures/ci-environments.js";
import { createRepository, type Repository } from "./git-repository.js";
import { runBin } from "./run-bin.js";

let mock: MockDatafold;
/** What reached Datafold besides the trigger's look at the PR's runs before its first attempt (a GET). */
const triggers = () => mock.requests.filter((request) => request.method !== "GET");
let repo: Repository;
let eventDir: string;
beforeAll(async () => {
  mock = await startMockDatafold();
  repo = createRepository();
  eventDir = mkdtempSync(join(tmpdir(), "datafold-ci-event-"));
});
afterAll(async () => {
  await mock.close();
  repo.remove();
  rmSync(eventDir, { recursive: true, force: true });
});
beforeEach(() => {
  mock.requests.length = 0;
});

/** The fixture with its SHAs swapped for the real repository's, as the CI would set them for this clone. */
function forRepository(fixture: Fixture): Record<string, string> {
  const swap = (value: string) =>
    value
      .replaceAll(PR.headSha, repo.head)
      .replaceAll(PR.baseSha, repo.base)
      .replaceAll(PR.baseSha.slice(0, 12), repo.base.slice(0, 12))
      .replaceAll(MERGE_SHA, repo.merge);
  const env = Object.fromEntries(Object.entries(fixture).map(([name, value]) => [name, swap(value)]));
  if (env.GITHUB_EVENT_PATH) {
    const path = join(eventDir, "event.json");
    writeFileSync(path, swap(JSON.stringify(githubPullRequestEvent)));
    env.GITHUB_EVENT_PATH = path;
  }
  return env;
}

describe.each(Object.keys(environments) as ProviderId[])("in a %s PR build", (id) => {
  it("sends the PR's five facts, found without flags but the config id", async () => {
    const env = {
      ...forRepository(environments[id].pr),
      // CircleCI has no variable for the target branch: its users set it in the project's settings.
      ...(id === "circleci" ? { DATAFOLD_BASE_BRANCH: PR.base } : {}),
      DATAFOLD_API_KEY: mock.apiKey,
      DATAFOLD_HOST: mock.url,
    };
    const run = await runBin(["trigger", "--ci-config-id", "12"], env, {
      cwd: repo.dir,
      secrets: [mock.apiKey],
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stdout).toMatch(/^Datafold CI run \d+ started for PR #7 \(feature\/x → main, \w{7}\)\n$/);
    expect(triggers().map((request) => request.body)).toEqual([
      { pr_number: 7, pr_branch: PR.branch, base_branch: PR.base, pr_sha: repo.head, base_sha: repo.base },
    ]);
  });

  it("exits 2 in a push build, naming the provider, and sends nothing", async () => {
    const env = {
      ...forRepository(environments[id].push),
      DATAFOLD_API_KEY: mock.apiKey,
      DATAFOLD_HOST: mock.url,
    };
    const run = await runBin(["trigger", "--ci-config-id", "12"], env, {
      cwd: repo.dir,
      secrets: [mock.apiKey],
    });
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr.split("\n")[0]).toMatch(/^error: [\w ]+ was detected, but this build is not /);
    expect(mock.requests).toEqual([]);
  });

  it("lets flags win over every CI value", async () => {
    const env = {
      ...forRepository(environments[id].pr),
      DATAFOLD_API_KEY: mock.apiKey,
      DATAFOLD_HOST: mock.url,
    };
    const flags = [
      "--pr-num",
      "70",
      "--pr-branch",
      "other",
      "--base-branch",
      "release",
      "--pr-sha",
      "abcdef1",
      "--base-sha",
      "1234567",
    ];
    const run = await runBin(["trigger", "--ci-config-id", "12", ...flags], env, { cwd: repo.dir });
    expect(run.code).toBe(ExitCode.Ok);
    expect(triggers()[0]?.body).toEqual({
      pr_number: 70,
      pr_branch: "other",
      base_branch: "release",
      pr_sha: "abcdef1",
      base_sha: "1234567",
    });
  });
});

describe("--dry-run in a CI build", () => {
  it("shows the CI variable or git command behind each value", async () => {
    const env = {
      ...forRepository(environments["azure-pipelines"].pr),
      DATAFOLD_API_KEY: mock.apiKey,
      DATAFOLD_HOST: mock.url,
    };
    const run = await runBin(["trigger", "--ci-config-id", "12", "--dry-run"], env, { cwd: repo.dir });
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stdout).toContain("CI: Azure Pipelines, a pull request build (BUILD_REASON=PullRequest)\n");
    expect(run.stdout).toMatch(
      /--pr-num +7 +from SYSTEM_PULLREQUEST_PULLREQUESTNUMBER \(Azure Pipelines\)\n/,
    );
    expect(run.stdout).toMatch(
      /--pr-branch +feature\/x +from SYSTEM_PULLREQUEST_SOURCEBRANCH \(Azure Pipelines\)\n/,
    );
    expect(run.stdout).toMatch(
      new RegExp(`--base-sha +${repo.base} +from git merge-base origin/main ${repo.head}: the merge base\\n`),
    );
    expect(mock.requests).toEqual([]);
  });
});
