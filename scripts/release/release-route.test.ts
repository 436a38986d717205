import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PNPM, publishedPackages } from "../packaging/published-packages.js";
import { type LocalRegistry, startLocalRegistry } from "../testing/local-registry.js";
import { copyRepository } from "../testing/repository-copy.js";

// The release route as a release engineer outside GitHub Actions runs it (no OIDC, so no
// provenance): `changeset version`, then the project's own `pnpm release` against a real registry whose
// address and token live in an npmrc; then a new user installs and runs what was published.
const run = promisify(execFile);
const packages = await publishedPackages();

let work: string;
let registry: LocalRegistry;
let released: { version: string };
const consumer = () => join(work, "consumer");

/** The directory of the pinned pnpm's bin: `changeset publish` runs `pnpm publish` from PATH. */
async function pnpmBinDir(): Promise<string> {
  const { stdout } = await run("npx", ["-y", "-p", PNPM[1], "-c", "command -v pnpm"]);
  return dirname(stdout.trim());
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "datafold-ci-release-"));
  const repo = join(work, "repo");
  // Assigned as soon as it listens, so afterAll closes it even when the copy fails.
  const [pnpmDir] = await Promise.all([
    pnpmBinDir(),
    startLocalRegistry().then((started) => {
      registry = started;
    }),
    copyRepository(repo),
  ]);
  // A bump of our own, so the route is exercised even when no changeset is pending (right after a release).
  await writeFile(
    join(repo, ".changeset/release-route-test.md"),
    '---\n"@datafold-ci/cli": patch\n---\n\nRelease route test.\n',
  );
  const env = registry.env({
    PATH: [pnpmDir, process.env.PATH].join(delimiter),
    TURBO_TELEMETRY_DISABLED: "1",
    // What a CI without OIDC (Jenkins, GitLab) looks like to npm: no GitHub Actions variables, so this holds
    // when the test itself runs in GitHub Actions too.
    GITHUB_ACTIONS: undefined,
    ACTIONS_ID_TOKEN_REQUEST_URL: undefined,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined,
    CI: "true",
  });
  await run("npx", [...PNPM, "changeset", "version"], { cwd: repo, env });
  const cli = JSON.parse(await readFile(join(repo, "packages/cli/package.json"), "utf8")) as {
    version: string;
  };
  await run("npx", [...PNPM, "release"], { cwd: repo, env, maxBuffer: 16 * 1024 * 1024 });
  released = { version: cli.version };

  await mkdir(consumer());
  await writeFile(join(consumer(), "package.json"), '{ "name": "release-consumer", "private": true }\n');
  await run(
    "npm",
    [
      "install",
      "--no-package-lock",
      `@datafold-ci/client@${released.version}`,
      `@datafold-ci/testing@${released.version}`,
    ],
    { cwd: consumer(), env: registry.env() },
  );
}, 600_000);
afterAll(async () => {
  await registry?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

it("changeset version bumps every published package to one new version, and pnpm release publishes them all", async () => {
  const old = packages[0]?.version;
  expect(released.version).not.toBe(old);
  const published = await Promise.all(
    packages.map(async ({ name }) => {
      const view = await run("npm", ["view", `${name}@${released.version}`, "version"], {
        env: registry.env(),
      });
      return [name, view.stdout.trim()];
    }),
  );
  expect(Object.fromEntries(published)).toEqual(
    Object.fromEntries(packages.map(({ name }) => [name, released.version])),
  );
});

it("the consumer's client brings @datafold-ci/types at the same version", async () => {
  const manifest = async (name: string) =>
    JSON.parse(await readFile(join(consumer(), "node_modules", name, "package.json"), "utf8")) as {
      version: string;
    };
  expect((await manifest("@datafold-ci/client")).version).toBe(released.version);
  expect((await manifest("@datafold-ci/types")).version).toBe(released.version);
  expect((await manifest("@datafold-ci/testing")).version).toBe(released.version);
});

it("the consumer starts a run against the testing kit with the installed client", async () => {
  const script = `
    import { createDatafoldClient } from "@datafold-ci/client";
    import { startMockDatafold } from "@datafold-ci/testing";
    const mock = await startMockDatafold({ firstRunId: 900 });
    try {
      const client = createDatafoldClient({ apiKey: mock.apiKey, baseUrl: mock.url });
      const job = await client.triggerPrRun(7, {
        pr_number: 42, pr_branch: "feature/release", base_branch: "main",
        pr_sha: "a".repeat(40), base_sha: "b".repeat(40),
      });
      console.log(JSON.stringify({ job, requests: mock.requests.map((r) => r.method + " " + r.path) }));
    } finally {
      await mock.close();
    }
  `;
  await writeFile(join(consumer(), "trigger.mjs"), script);
  const { stdout } = await run(process.execPath, ["trigger.mjs"], { cwd: consumer() });
  // The PR head's runs (the look before any retry), then the trigger.
  expect(JSON.parse(stdout)).toEqual({
    job: { ci_run_id: 900, run_id: 900 },
    requests: ["GET /api/v1/ci/7/runs", "POST /api/v1/ci/7/trigger"],
  });
});

it("npx @datafold-ci/cli@<new version> --version downloads the published CLI and prints that version", async () => {
  const { stdout } = await run("npx", ["-y", `@datafold-ci/cli@${released.version}`, "--version"], {
    cwd: work,
    env: registry.env(),
  });
  expect(stdout.trim()).toBe(released.version);
});
