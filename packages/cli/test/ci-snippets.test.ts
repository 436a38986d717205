import { execFile } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { type MockDatafold, startMockDatafold } from "@datafold-ci/testing";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { parse } from "yaml";
import { environments, PR, type ProviderId } from "./fixtures/ci-environments.js";
import { createRepository, type Repository } from "./git-repository.js";

// Issue 12: each docs/ci page's marked block is run as written — its command, through `npx`, with that CI's
// documented PR variables, in a PR checkout — against the testing kit, so the docs cannot drift from the CLI.
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

/** The shell text the CI would run: the one YAML string, or Groovy `sh '…'` step, that calls the CLI. */
function commandOf(page: string): string {
  const { language, text } = markedBlock(page);
  const candidates =
    language === "groovy"
      ? [...text.matchAll(/\bsh\s+'([^']*)'/g)].map((m) => m[1] ?? "")
      : strings(parse(text));
  const commands = candidates.filter((s) => s.includes("@datafold-ci/cli"));
  if (commands.length !== 1)
    throw new Error(`${page}: expected one command running @datafold-ci/cli, found ${commands.length}`);
  return commands[0] ?? "";
}

const pages = readdirSync(DOCS).filter((page) => page !== "README.md" && page.endsWith(".md"));

let mock: MockDatafold;
let repo: Repository;
/** npm's settings for every run: its own cache, and a registry nothing listens on, so nothing is fetched. */
let npmEnv: Record<string, string>;
beforeAll(async () => {
  mock = await startMockDatafold();
  repo = createRepository();
  npmEnv = { npm_config_cache: join(repo.dir, ".npm"), npm_config_registry: "http://127.0.0.1:9/" };
  // This checkout's CLI, installed into the PR checkout as a project dependency: `npx -y @datafold-ci/cli` runs it.
  writeFileSync(join(repo.dir, "package.json"), '{ "private": true }\n');
  await promisify(execFile)(
    "npm",
    ["install", "--offline", "--no-audit", "--no-fund", "--no-save", PACKAGE_DIR],
    {
      cwd: repo.dir,
      env: { PATH: process.env.PATH ?? "", HOME: repo.dir, ...npmEnv },
    },
  );
}, 60_000);
afterAll(async () => {
  await mock?.close();
  repo?.remove();
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

it.each(pages)(
  "%s: the documented command, in that CI's PR build, sends the PR's facts",
  async (page) => {
    const provider = page.replace(/\.md$/, "") as ProviderId;
    const swap = (value: string) =>
      value
        .replaceAll(PR.headSha, repo.head)
        .replaceAll(PR.baseSha, repo.base)
        .replaceAll(PR.baseSha.slice(0, 12), repo.base.slice(0, 12));
    const ci = Object.fromEntries(Object.entries(environments[provider].pr).map(([k, v]) => [k, swap(v)]));
    const { stdout, stderr } = await promisify(execFile)("bash", ["-eo", "pipefail", "-c", commandOf(page)], {
      cwd: repo.dir,
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
    expect(stderr).not.toContain(mock.apiKey);
    expect(stdout).toMatch(/Datafold CI run \d+ started for PR #7 \(feature\/x → main, \w{7}\)/);
    // Before the trigger the client lists the PR's runs (it looks before retrying, issue 11).
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
