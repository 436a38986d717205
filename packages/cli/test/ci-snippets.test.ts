import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type MockDatafold, startMockDatafold } from "@datafold-ci/testing";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { parse } from "yaml";
import { environments, PR, type ProviderId } from "./fixtures/ci-environments.js";
import { createRepository, type Repository } from "./git-repository.js";

// Each docs/ci page's marked block is run as written (its git steps and its command, through `npx`, with that CI's
// documented PR variables, in a clone as that CI's checkout leaves it) against the testing kit, so the docs cannot
// drift from the CLI.
const DOCS = join(import.meta.dirname, "../../../docs/ci");
const PACKAGE_DIR = join(import.meta.dirname, "..");
const MARKER = "datafold-ci-snippet";

/** The marked block of a docs page: its language and text. */
function markedBlock(page: string): { language: string; text: string } {
  const blocks = [...readFileSync(join(DOCS, page), "utf8").matchAll(/^```(\w+) +(\S+)\n([\s\S]*?)^```$/gm)];
  const marked = blocks.filter((block) => block[2] === MARKER);
  if (marked.length !== 1)
    throw new Error(`${page}: expected one \`\`\`<lang> ${MARKER} block, found ${marked.length}`);
  return { language: marked[0]?.[1] ?? "", text: marked[0]?.[3] ?? "" };
}

/** Every string in a parsed YAML document. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

/**
 * The shell steps the CI would run, in order: the YAML strings, or Groovy `sh '…'` steps, that run git or the
 * CLI. Other steps (`dbt build`) are the user's own and are not run.
 */
function commandsOf(page: string): string[] {
  const { language, text } = markedBlock(page);
  const candidates =
    language === "groovy"
      ? [...text.matchAll(/\bsh\s+'([^']*)'/g)].map((m) => m[1] ?? "")
      : strings(parse(text));
  const cli = candidates.filter((s) => s.includes("@datafold-ci/cli"));
  if (cli.length !== 1)
    throw new Error(`${page}: expected one command running @datafold-ci/cli, found ${cli.length}`);
  return candidates.filter((s) => s.includes("@datafold-ci/cli") || /^git\s/.test(s.trim()));
}

/**
 * What each CI's checkout fetches. Jenkins (with the "current pull request revision" strategy) fetches the PR's
 * ref alone, and a Buildkite agent fetches the PR's ref into a checkout it reuses between builds: in both the
 * target branch, which `git merge-base` needs, is missing (or out of date) unless the page's steps fetch it.
 * Azure's `fetchDepth: 0` and CircleCI's `checkout` fetch every branch; Bitbucket gives the base commit itself.
 */
const PR_REF_ONLY: ReadonlySet<string> = new Set(["jenkins.md", "buildkite.md"]);

const pages = readdirSync(DOCS).filter((page) => page !== "README.md" && page.endsWith(".md"));

let mock: MockDatafold;
let repo: Repository;
/** A clone of `repo` holding only the PR's ref, detached at the PR head, as {@link PR_REF_ONLY}'s CIs leave it. */
let prRefOnly: string;
/** npm's settings for every run: its own cache, and a registry nothing listens on, so nothing is fetched. */
let npmEnv: Record<string, string>;
beforeAll(async () => {
  mock = await startMockDatafold();
  repo = createRepository();
  prRefOnly = mkdtempSync(join(tmpdir(), "datafold-ci-pr-ref-only-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: prRefOnly, stdio: "pipe" });
  git("init", "-q");
  git("remote", "add", "origin", repo.dir);
  git("fetch", "-q", "--no-tags", "origin", `+refs/heads/${PR.branch}:refs/remotes/origin/PR-${PR.number}`);
  git("checkout", "-q", "--detach", repo.head);
  npmEnv = { npm_config_cache: join(repo.dir, ".npm"), npm_config_registry: "http://127.0.0.1:9/" };
  // This checkout's CLI, installed into each PR checkout as a project dependency: `npx -y @datafold-ci/cli` runs it.
  await Promise.all(
    [repo.dir, prRefOnly].map((dir) => {
      writeFileSync(join(dir, "package.json"), '{ "private": true }\n');
      return promisify(execFile)(
        "npm",
        ["install", "--offline", "--no-audit", "--no-fund", "--no-save", PACKAGE_DIR],
        { cwd: dir, env: { PATH: process.env.PATH ?? "", HOME: repo.dir, ...npmEnv } },
      );
    }),
  );
}, 60_000);
afterAll(async () => {
  await mock?.close();
  repo?.remove();
  if (prRefOnly) rmSync(prRefOnly, { recursive: true, force: true });
});
beforeEach(() => {
  mock.requests.length = 0;
});

it("docs/ci has a page for each of the five systems", () => {
  expect(pages.sort()).toEqual([
    "azure-pipelines.md",
    "bitbucket-pipelines.md",
    "buildkite.md",
    "circleci.md",
    "jenkins.md",
  ]);
});

it("the pages whose CI fetches only the PR's ref fetch the target branch before the CLI runs", () => {
  for (const page of PR_REF_ONLY) {
    const steps = commandsOf(page);
    const fetch = steps.findIndex((step) => /^git fetch --no-tags origin /.test(step.trim()));
    expect(fetch, `${page} fetches the target branch`).toBeGreaterThanOrEqual(0);
    expect(fetch, `${page} fetches before the CLI runs`).toBeLessThan(
      steps.findIndex((step) => step.includes("@datafold-ci/cli")),
    );
  }
});

it.each(pages)(
  "%s: the documented steps, in that CI's PR checkout, send the PR's facts",
  async (page) => {
    const provider = page.replace(/\.md$/, "") as ProviderId;
    const swap = (value: string) =>
      value
        .replaceAll(PR.headSha, repo.head)
        .replaceAll(PR.baseSha, repo.base)
        .replaceAll(PR.baseSha.slice(0, 12), repo.base.slice(0, 12));
    const ci = Object.fromEntries(Object.entries(environments[provider].pr).map(([k, v]) => [k, swap(v)]));
    let stdout = "";
    for (const step of commandsOf(page)) {
      const ran = await promisify(execFile)("bash", ["-eo", "pipefail", "-c", step], {
        cwd: PR_REF_ONLY.has(page) ? prRefOnly : repo.dir,
        timeout: 60_000,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: repo.dir,
          ...npmEnv,
          ...ci,
          DATAFOLD_API_KEY: mock.apiKey,
          DATAFOLD_HOST: mock.url,
        },
      });
      expect(ran.stderr).not.toContain(mock.apiKey);
      stdout += ran.stdout;
    }
    expect(stdout).toMatch(/Datafold CI run \d+ started for PR #7 \(feature\/x → main, \w{7}\)/);
    // Before the trigger the client lists the PR's runs (it looks before it retries).
    const triggers = mock.requests.filter((request) => request.path.endsWith("/trigger"));
    expect(triggers.map((request) => [request.path, request.body])).toEqual([
      [
        "/api/v1/ci/123/trigger",
        { pr_number: 7, pr_branch: PR.branch, base_branch: PR.base, pr_sha: repo.head, base_sha: repo.base },
      ],
    ]);
  },
  // npx (npm's own start-up, resolution and linking) takes seconds, more on a loaded machine.
  90_000,
);
