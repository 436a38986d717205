import { describe, expect, it } from "vitest";
import { CI_OPERATION_NAMES } from "@datafold-ci/api-description";
import { readArguments } from "../src/args/arguments.js";
import { parseCommandLine } from "../src/args/command-line.js";
import { everyFlag, operationInputs } from "../src/args/flag-table.js";
import { detectCi } from "../src/ci/detect-ci.js";
import type { CiFact } from "../src/ci/provider-spec.js";
import { ciProviders } from "../src/ci/providers.js";
import { resolveInputs } from "../src/core/inputs.js";
import { describeSource } from "../src/output/describe.js";
import type { GitRunner } from "../src/types.js";
import { fakeGit, noGit } from "./fake-git.js";
import {
  environments,
  type Fixture,
  GITHUB_EVENT_PATH,
  githubPullRequestEvent,
  MERGE_SHA,
  PR,
  type ProviderId,
} from "./fixtures/ci-environments.js";

const MERGE_BASE = "0123456789abcdef0123456789abcdef01234567";
const readFile = async (path: string) => {
  if (path === GITHUB_EVENT_PATH) return JSON.stringify(githubPullRequestEvent);
  throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
};
// The answers a repository with origin/main fetched would give.
const repoGit = () =>
  fakeGit({
    [`merge-base origin/main ${PR.headSha}`]: MERGE_BASE,
    [`rev-parse --verify --quiet ${PR.baseSha.slice(0, 12)}^{commit}`]: PR.baseSha,
  });

/** The trigger's values as the CLI resolves them for `trigger <argv>` in `env`, by field name. */
async function resolve(env: Fixture, git: GitRunner = repoGit(), argv: string[] = []) {
  const inputs = operationInputs(CI_OPERATION_NAMES.trigger)?.inputs ?? [];
  const line = parseCommandLine(["trigger", ...argv], { commands: ["trigger"], flags: everyFlag() });
  const args = readArguments(line, env, { inputs, takes: [] });
  const resolution = await resolveInputs(inputs, args.inputs, {
    argv,
    env,
    stdout: sink,
    stderr: sink,
    git,
    readFile,
  });
  return {
    detection: resolution.detection,
    values: Object.fromEntries(resolution.values),
    gaps: Object.fromEntries(resolution.gaps),
    warnings: resolution.warnings,
  };
}
const sink = { write: () => true };

describe("flags", () => {
  it("win over the CI, and spare git when they give the SHAs", async () => {
    const git = repoGit();
    const { values } = await resolve(environments["azure-pipelines"].pr, git, [
      "--pr-sha",
      "abcdef1",
      "--base-sha=1234567",
    ]);
    expect(values.pr_sha).toEqual({ value: "abcdef1", source: { kind: "flag", name: "--pr-sha" } });
    expect(values.base_sha).toEqual({ value: "1234567", source: { kind: "flag", name: "--base-sha" } });
    expect(values.pr_number?.source.kind).toBe("ci");
    expect(git.calls).toEqual([]);
  });
});

const sources = (values: Partial<Record<CiFact, { source: Parameters<typeof describeSource>[0] }>>) =>
  Object.fromEntries(Object.entries(values).map(([field, found]) => [field, describeSource(found!.source)]));
const plain = (values: Partial<Record<string, { value: string }>>) =>
  Object.fromEntries(Object.entries(values).map(([field, found]) => [field, found!.value]));

const expected: Record<ProviderId, { baseSha: string; sources: Record<CiFact, string> }> = {
  "github-actions": {
    baseSha: PR.baseSha,
    sources: {
      pr_number: "pull_request.number in $GITHUB_EVENT_PATH (GitHub Actions)",
      pr_branch: "pull_request.head.ref in $GITHUB_EVENT_PATH (GitHub Actions)",
      base_branch: "pull_request.base.ref in $GITHUB_EVENT_PATH (GitHub Actions)",
      pr_sha: "pull_request.head.sha in $GITHUB_EVENT_PATH (GitHub Actions)",
      base_sha: "pull_request.base.sha in $GITHUB_EVENT_PATH (GitHub Actions)",
    },
  },
  "gitlab-ci": {
    baseSha: PR.baseSha,
    sources: {
      pr_number: "CI_MERGE_REQUEST_IID (GitLab CI)",
      pr_branch: "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME (GitLab CI)",
      base_branch: "CI_MERGE_REQUEST_TARGET_BRANCH_NAME (GitLab CI)",
      pr_sha: "CI_COMMIT_SHA (GitLab CI)",
      base_sha: "CI_MERGE_REQUEST_DIFF_BASE_SHA (GitLab CI)",
    },
  },
  "bitbucket-pipelines": {
    baseSha: PR.baseSha,
    sources: {
      pr_number: "BITBUCKET_PR_ID (Bitbucket Pipelines)",
      pr_branch: "BITBUCKET_BRANCH (Bitbucket Pipelines)",
      base_branch: "BITBUCKET_PR_DESTINATION_BRANCH (Bitbucket Pipelines)",
      pr_sha: "BITBUCKET_COMMIT (Bitbucket Pipelines)",
      base_sha: `BITBUCKET_PR_DESTINATION_COMMIT (Bitbucket Pipelines), "${PR.baseSha.slice(0, 12)}" expanded with git rev-parse`,
    },
  },
  "azure-pipelines": {
    baseSha: MERGE_BASE,
    sources: {
      pr_number: "SYSTEM_PULLREQUEST_PULLREQUESTNUMBER (Azure Pipelines)",
      pr_branch: "SYSTEM_PULLREQUEST_SOURCEBRANCH (Azure Pipelines)",
      base_branch: "SYSTEM_PULLREQUEST_TARGETBRANCH (Azure Pipelines)",
      pr_sha: "SYSTEM_PULLREQUEST_SOURCECOMMITID (Azure Pipelines)",
      base_sha: `git merge-base origin/main ${PR.headSha}`,
    },
  },
  circleci: {
    baseSha: MERGE_BASE,
    sources: {
      pr_number: "CIRCLE_PULL_REQUEST (CircleCI)",
      pr_branch: "CIRCLE_BRANCH (CircleCI)",
      base_branch: "DATAFOLD_BASE_BRANCH",
      pr_sha: "CIRCLE_SHA1 (CircleCI)",
      base_sha: `git merge-base origin/main ${PR.headSha}`,
    },
  },
  jenkins: {
    baseSha: MERGE_BASE,
    sources: {
      pr_number: "CHANGE_ID (Jenkins)",
      pr_branch: "CHANGE_BRANCH (Jenkins)",
      base_branch: "CHANGE_TARGET (Jenkins)",
      pr_sha: "GIT_COMMIT (Jenkins)",
      base_sha: `git merge-base origin/main ${PR.headSha}`,
    },
  },
  buildkite: {
    baseSha: MERGE_BASE,
    sources: {
      pr_number: "BUILDKITE_PULL_REQUEST (Buildkite)",
      pr_branch: "BUILDKITE_BRANCH (Buildkite)",
      base_branch: "BUILDKITE_PULL_REQUEST_BASE_BRANCH (Buildkite)",
      pr_sha: "BUILDKITE_COMMIT (Buildkite)",
      base_sha: `git merge-base origin/main ${PR.headSha}`,
    },
  },
};

describe.each(Object.keys(environments) as ProviderId[])("%s", (id) => {
  const { pr, push } = environments[id];
  // CircleCI has no variable for the target branch: its users set DATAFOLD_BASE_BRANCH in the project.
  const prEnv: Fixture = id === "circleci" ? { ...pr, DATAFOLD_BASE_BRANCH: PR.base } : pr;

  it("is detected from its documented variables, and no other provider claims the build", () => {
    const active = ciProviders.filter((provider) => provider.isActive(prEnv)).map((provider) => provider.id);
    expect(active).toEqual([id]);
  });

  it("finds the PR's five facts in a PR build, each with the variable it came from", async () => {
    const { detection, values, gaps } = await resolve(prEnv);
    expect(detection.provider?.id).toBe(id);
    expect(plain(values)).toEqual({
      pr_number: PR.number,
      pr_branch: PR.branch,
      base_branch: PR.base,
      pr_sha: PR.headSha,
      base_sha: expected[id].baseSha,
    });
    expect(sources(values)).toEqual(expected[id].sources);
    expect(gaps).toEqual({});
  });

  it("reports a push build as not a PR build, with the variable that says so", async () => {
    const detection = await detectCi({ env: push, readFile });
    expect(detection.provider?.id).toBe(id);
    expect(detection.provider && !detection.reading.pullRequest && detection.reading.reason).toMatch(/\S/);
  });
});

describe("provider traps", () => {
  it("GitHub Actions never takes GITHUB_SHA (the test merge commit) as the PR head", async () => {
    const { values } = await resolve(environments["github-actions"].pr);
    expect(values.pr_sha?.value).toBe(PR.headSha);
    expect(JSON.stringify(values)).not.toContain(MERGE_SHA);
  });

  it("GitHub Actions falls back to GITHUB_HEAD_REF and GITHUB_BASE_REF but not GITHUB_SHA when the payload is unreadable", async () => {
    const env = { ...environments["github-actions"].pr, GITHUB_EVENT_PATH: "/nowhere/event.json" };
    const { values, gaps } = await resolve(env, fakeGit());
    expect(plain(values)).toEqual({ pr_branch: PR.branch, base_branch: PR.base });
    expect(gaps.pr_sha).toMatch(/\/nowhere\/event\.json could not be read \(ENOENT\)/);
    expect(gaps.base_sha).toMatch(/could not be read/);
  });

  it("GitHub Actions treats pull_request_target like pull_request", async () => {
    const { values } = await resolve({
      ...environments["github-actions"].pr,
      GITHUB_EVENT_NAME: "pull_request_target",
    });
    expect(values.pr_number?.value).toBe(PR.number);
  });

  it("GitLab CI reads the MR number from CI_MERGE_REQUEST_IID, never the instance-wide CI_MERGE_REQUEST_ID", async () => {
    const { values } = await resolve(environments["gitlab-ci"].pr);
    expect(values.pr_number?.value).toBe("7");
    const withoutIid = { ...environments["gitlab-ci"].pr, CI_MERGE_REQUEST_IID: "" };
    expect((await resolve(withoutIid)).values.pr_number).toBeUndefined();
  });

  it("GitLab CI prefers CI_MERGE_REQUEST_SOURCE_BRANCH_SHA over CI_COMMIT_SHA in merged-results pipelines", async () => {
    const env = {
      ...environments["gitlab-ci"].pr,
      CI_COMMIT_SHA: MERGE_SHA,
      CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: PR.headSha,
    };
    const { values } = await resolve(env);
    expect(values.pr_sha).toEqual({
      value: PR.headSha,
      source: { kind: "ci", name: "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA", provider: "GitLab CI" },
    });
  });

  it("Azure Pipelines takes PULLREQUESTNUMBER, not PULLREQUESTID, for a GitHub repository", async () => {
    const { values } = await resolve(environments["azure-pipelines"].pr);
    expect(values.pr_number?.value).toBe("7");
    const noNumber = { ...environments["azure-pipelines"].pr, SYSTEM_PULLREQUEST_PULLREQUESTNUMBER: "" };
    const { values: without, gaps } = await resolve(noNumber);
    expect(without.pr_number).toBeUndefined();
    expect(gaps.pr_number).toMatch(/PULLREQUESTID is not the PR number/);
  });

  it("Azure Pipelines takes PULLREQUESTID for an Azure Repos repository, where it is the PR number", async () => {
    const env = {
      ...environments["azure-pipelines"].pr,
      BUILD_REPOSITORY_PROVIDER: "TfsGit",
      SYSTEM_PULLREQUEST_PULLREQUESTNUMBER: "",
      SYSTEM_PULLREQUEST_PULLREQUESTID: "42",
    };
    expect((await resolve(env)).values.pr_number?.value).toBe("42");
  });

  it("Azure Pipelines strips refs/heads/ and never takes BUILD_SOURCEVERSION (the merge commit)", async () => {
    const { values } = await resolve(environments["azure-pipelines"].pr);
    expect([values.pr_branch?.value, values.base_branch?.value]).toEqual([PR.branch, PR.base]);
    expect(values.pr_sha?.value).toBe(PR.headSha);
  });

  it("CircleCI takes the PR number from the end of the CIRCLE_PULL_REQUEST URL", async () => {
    const env = {
      ...environments.circleci.pr,
      CIRCLE_PULL_REQUEST: "https://bitbucket.org/octo/wh/pull-requests/123",
    };
    expect((await resolve(env)).values.pr_number?.value).toBe("123");
  });

  it("CircleCI takes CIRCLE_PR_NUMBER in a build of a PR from a fork", async () => {
    const { CIRCLE_PULL_REQUEST: _, CIRCLE_PULL_REQUESTS: __, ...fork } = environments.circleci.pr;
    const { values } = await resolve({ ...fork, CIRCLE_PR_NUMBER: "31" });
    expect(values.pr_number).toEqual({
      value: "31",
      source: { kind: "ci", name: "CIRCLE_PR_NUMBER", provider: "CircleCI" },
    });
  });

  it("CircleCI has no target branch variable, so without --base-branch both base facts are missing", async () => {
    const { values, gaps } = await resolve(environments.circleci.pr);
    expect(values.base_branch).toBeUndefined();
    expect(values.base_sha).toBeUndefined();
    expect(gaps.base_sha).toMatch(/needs the target branch \(--base-branch\)/);
  });

  it('Buildkite treats BUILDKITE_PULL_REQUEST="false" as a non-PR build', async () => {
    const detection = await detectCi({ env: environments.buildkite.push, readFile });
    expect(detection.provider && !detection.reading.pullRequest && detection.reading.reason).toBe(
      'BUILDKITE_PULL_REQUEST is "false"',
    );
  });

  it("Bitbucket keeps an abbreviated destination commit, with a warning, when git cannot expand it", async () => {
    const { values, warnings } = await resolve(environments["bitbucket-pipelines"].pr, noGit);
    expect(values.base_sha?.value).toBe(PR.baseSha.slice(0, 12));
    expect(warnings).toEqual([
      expect.stringMatching(/BITBUCKET_PR_DESTINATION_COMMIT .* git is not installed/),
    ]);
  });

  it("finds no provider outside CI", async () => {
    expect(await detectCi({ env: { PATH: "/usr/bin", HOME: "/root" }, readFile })).toEqual({
      provider: undefined,
    });
  });
});
