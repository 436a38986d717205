import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ciProviders } from "../src/ci/providers.js";
import { ExitCode } from "../src/exit-codes.js";
import { fakeGit } from "./fake-git.js";
import { environments, PR, type ProviderId, prFlagsWithout } from "./fixtures/ci-environments.js";
import { IN_PROCESS_ENV, runInProcess } from "./run-in-process.js";

// GitHub's and Bitbucket's base SHA is the base branch's tip, GitLab's and git's the merge
// base. The CLI sends each as the CI gives it, and says which it is.

const MERGE_BASE = "0123456789abcdef0123456789abcdef01234567";
/** A clone with origin/main fetched: git can compute the merge base and expand Bitbucket's short SHA. */
const repoGit = () =>
  fakeGit({
    [`merge-base origin/main ${PR.headSha}`]: MERGE_BASE,
    [`rev-parse --verify --quiet ${PR.baseSha.slice(0, 12)}^{commit}`]: PR.baseSha,
  });

/** The PR build's variables, with the target branch CircleCI has no variable for. */
const prEnv = (id: ProviderId) => ({
  ...IN_PROCESS_ENV,
  ...environments[id].pr,
  ...(id === "circleci" ? { DATAFOLD_BASE_BRANCH: PR.base } : {}),
});

/** The `--base-sha` line of the value report, as printed. */
const baseShaLine = (output: string) => output.split("\n").find((line) => /^ {2}--base-sha /.test(line));

async function dryRun(id: ProviderId, args: string[] = []) {
  const run = await runInProcess(["trigger", "--ci-config-id=12", "--dry-run", ...args], prEnv(id), {
    git: repoGit(),
  });
  expect(run.code).toBe(ExitCode.Ok);
  return run;
}

describe("--dry-run says which commit the base SHA is", () => {
  it("GitHub Actions' pull_request.base.sha: the base branch tip", async () => {
    const run = await dryRun("github-actions");
    expect(baseShaLine(run.stdout)).toMatch(
      new RegExp(
        `^ +--base-sha +${PR.baseSha} +from pull_request\\.base\\.sha in \\$GITHUB_EVENT_PATH \\(GitHub Actions\\): the base branch tip$`,
      ),
    );
  });

  it("Bitbucket's destination commit, expanded by git: the base branch tip", async () => {
    const run = await dryRun("bitbucket-pipelines");
    expect(baseShaLine(run.stdout)).toMatch(
      new RegExp(
        `^ +--base-sha +${PR.baseSha} +from BITBUCKET_PR_DESTINATION_COMMIT \\(Bitbucket Pipelines\\), .*expanded with git rev-parse: the base branch tip$`,
      ),
    );
  });

  it("GitLab's CI_MERGE_REQUEST_DIFF_BASE_SHA: the merge base", async () => {
    const run = await dryRun("gitlab-ci");
    expect(baseShaLine(run.stdout)).toMatch(
      new RegExp(
        `^ +--base-sha +${PR.baseSha} +from CI_MERGE_REQUEST_DIFF_BASE_SHA \\(GitLab CI\\): the merge base$`,
      ),
    );
  });

  it("git merge-base, for a CI with no base SHA of its own: the merge base", async () => {
    const run = await dryRun("buildkite");
    expect(baseShaLine(run.stdout)).toMatch(
      new RegExp(
        `^ +--base-sha +${MERGE_BASE} +from git merge-base origin/main ${PR.headSha}: the merge base$`,
      ),
    );
  });

  it("git merge-base for flags outside any CI: the merge base", async () => {
    const run = await runInProcess(
      ["trigger", ...prFlagsWithout("--base-sha"), "--dry-run"],
      IN_PROCESS_ENV,
      {
        git: repoGit(),
      },
    );
    expect(run.code).toBe(ExitCode.Ok);
    expect(baseShaLine(run.stdout)).toMatch(/ from git merge-base origin\/main \w+: the merge base$/);
  });

  it("--base-sha over a CI's own: sent as given, the CLI cannot tell which it is", async () => {
    const run = await dryRun("gitlab-ci", ["--base-sha", "1234567"]);
    expect(baseShaLine(run.stdout)).toMatch(
      /^ +--base-sha +1234567 +from flag --base-sha: as given by --base-sha \(the base branch tip or the merge base: the CLI cannot tell\)$/,
    );
  });

  it("DATAFOLD_BASE_SHA: sent as given", async () => {
    const run = await runInProcess(["trigger", "--ci-config-id=12", "--dry-run"], {
      ...prEnv("github-actions"),
      DATAFOLD_BASE_SHA: MERGE_BASE,
    });
    expect(baseShaLine(run.stdout)).toMatch(
      new RegExp(`^ +--base-sha +${MERGE_BASE} +from DATAFOLD_BASE_SHA: as given by DATAFOLD_BASE_SHA \\(`),
    );
  });

  it("puts the kind in --json's row too", async () => {
    const run = await dryRun("gitlab-ci", ["--json"]);
    const rows: { name: string }[] = JSON.parse(run.stdout).rows;
    expect(rows.find((row) => row.name === "--base-sha")).toEqual({
      name: "--base-sha",
      value: PR.baseSha,
      from: "from CI_MERGE_REQUEST_DIFF_BASE_SHA (GitLab CI): the merge base",
      kind: "merge base",
    });
    expect(rows.find((row) => row.name === "--pr-sha")).not.toHaveProperty("kind");
  });

  it("and --debug says it on stderr when the run is triggered", async () => {
    const run = await runInProcess(["trigger", "--ci-config-id=12", "--debug"], prEnv("github-actions"), {
      git: repoGit(),
    });
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.requests).toHaveLength(1);
    expect(baseShaLine(run.stderr)).toMatch(/\(GitHub Actions\): the base branch tip$/);
  });
});

// The docs cannot drift from the data: each provider's row of the CLI README's per-CI table, and its docs/ci page
// where it has one, names the kind of base SHA it sends and the flag that overrides it.
describe.each(ciProviders.map((provider) => [provider.id, provider.name] as [ProviderId, string]))(
  "the docs of %s",
  (id, name) => {
    it("name the kind of base SHA it sends, as --dry-run reports it, and --base-sha", async () => {
      const run = await dryRun(id, ["--json"]);
      const rows: { name: string; kind?: string }[] = JSON.parse(run.stdout).rows;
      const kind = rows.find((row) => row.name === "--base-sha")?.kind;
      expect(["base branch tip", "merge base"]).toContain(kind);
      const readme = readFileSync(join(import.meta.dirname, "../README.md"), "utf8");
      const row = readme.split("\n").find((line) => line.startsWith(`| ${name} `));
      expect(row, `README.md's per-CI table has a row for ${name}`).toBeDefined();
      expect(row?.split("|").at(-2)).toContain(`the ${kind}`);
      const page = join(import.meta.dirname, "../../../docs/ci", `${id}.md`);
      // GitHub Actions and GitLab CI have no page there: the README's sections are theirs.
      if (existsSync(page)) {
        // Prose wraps: words, not lines.
        const docs = readFileSync(page, "utf8").replace(/\s+/g, " ");
        expect(docs).toContain(`the ${kind}`);
        expect(docs).toContain("--base-sha");
      }
    });
  },
);
