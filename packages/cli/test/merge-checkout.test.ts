import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { createGitRunner } from "../src/git/git-runner.js";
import { environments, PR } from "./fixtures/ci-environments.js";
import { createRepository, type Repository } from "./git-repository.js";
import { IN_PROCESS_ENV, runInProcess } from "./run-in-process.js";

// Jenkins' "merge with the target" checkout: GIT_COMMIT and HEAD are a merge of the PR head into the
// target (first parent: the target's tip), made in the workspace and never pushed, so GIT_COMMIT is not the
// PR head (docs/datafold-facts.md, "Jenkins").
let repo: Repository;
beforeAll(() => {
  repo = createRepository();
});
afterAll(() => repo.remove());

const jenkinsWith = (gitCommit: string, target: string = PR.base) => ({
  ...IN_PROCESS_ENV,
  ...environments.jenkins.pr,
  CHANGE_TARGET: target,
  GIT_COMMIT: gitCommit,
});
const trigger = (env: Record<string, string>, ...flags: string[]) =>
  runInProcess(["trigger", "--ci-config-id", "12", ...flags], env, {
    git: createGitRunner({ cwd: repo.dir }),
  });

describe("a Jenkins build that checked out the PR merged into its target", () => {
  it("sends the PR head (the merge's second parent), never the merge, and the base from it", async () => {
    const run = await trigger(jenkinsWith(repo.merge));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.requests.map((request) => request.body)).toEqual([
      { pr_number: 7, pr_branch: PR.branch, base_branch: PR.base, pr_sha: repo.head, base_sha: repo.base },
    ]);
  });

  it("says in --dry-run where the PR head came from", async () => {
    const run = await trigger(jenkinsWith(repo.merge), "--dry-run");
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stdout).toMatch(
      new RegExp(
        `--pr-sha +${repo.head} +from GIT_COMMIT \\(Jenkins\\), the merge of the PR into main; its second parent, by git rev-list --parents\\n`,
      ),
    );
  });

  it("refuses, asking for --pr-sha, when the clone cannot tell whether a merge is the target merge", async () => {
    const run = await trigger(jenkinsWith(repo.merge, "release"));
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.requests).toEqual([]);
    expect(run.stderr).not.toContain("GIT_COMMIT (Jenkins) is not set");
    expect(run.stderr).toContain(
      `GIT_COMMIT (Jenkins) is the merge commit ${repo.merge}, and git cannot tell whether it is the PR merged into release (neither origin/release nor release is in this clone); pass --pr-sha with the PR's head commit`,
    );
  });

  it("sends a PR head that is itself a merge (the target merged into the PR branch) as it is", async () => {
    repo.git("checkout", "-q", "-b", "feature/y", repo.base);
    repo.git("commit", "-q", "--allow-empty", "-m", "work");
    repo.git("merge", "-q", "--no-ff", "-m", "Merge main into feature/y", repo.mainTip);
    const prHead = repo.git("rev-parse", "HEAD");
    const run = await trigger(jenkinsWith(prHead));
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.requests[0]?.body).toMatchObject({ pr_sha: prHead });
  });

  it("trusts --pr-sha over the checkout", async () => {
    const run = await trigger(jenkinsWith(repo.merge), "--pr-sha", repo.merge);
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.requests[0]?.body).toMatchObject({ pr_sha: repo.merge });
  });
});
