import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { environments } from "../packages/cli/test/fixtures/ci-environments.js";
import { packPackages, publishedPackages, REPO_ROOT } from "./packaging/published-packages.js";
import { type LocalRegistry, startLocalRegistry } from "./testing/local-registry.js";

// The GitLab CI/CD component (templates/trigger.yml), run by gitlab-ci-local 4.73.0 (shell executor)
// from a real .gitlab-ci.yml that includes it the way users do, with the merge-request variables GitLab sets.
// The job's `npx -y @datafold-ci/cli@<version>` installs the freshly packed CLI from a local registry, and
// talks to the testing kit.
const run = promisify(execFile);
const GITLAB_CI_LOCAL = join(REPO_ROOT, "node_modules/.bin/gitlab-ci-local");
const cli = (await publishedPackages()).find((p) => p.name === "@datafold-ci/cli");
if (!cli) throw new Error("packages/cli is not a published package");

/** The part of the testing kit this file drives (the root does not depend on the package). */
interface Kit {
  url: string;
  apiKey: string;
  requests: { path: string; body: unknown }[];
  scriptRuns(
    ...lifecycles: { waitForDiffsMs?: number; stages?: { status: string; ms: number }[]; outcome?: string }[]
  ): void;
  close(): Promise<void>;
}

const testing = join(REPO_ROOT, "packages/testing/dist/index.js");

/**
 * A merge-request pipeline's variables as GitLab sets them (the CLI's fixture: MR !7, feature/x into main).
 * `CI_COMMIT_*` and `CI_PROJECT_*` stay gitlab-ci-local's own: the clone's real commit, where the component is
 * included from.
 */
const MR: Record<string, string> = Object.fromEntries(
  Object.entries(environments["gitlab-ci"].pr).filter(([name]) => !/^CI_(COMMIT|PROJECT)_/.test(name)),
);

let work: string;
let project: string;
let head: string;
let registry: LocalRegistry;
let kit: Kit;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "datafold-ci-gitlab-component-"));
  const [tarballs, started] = await Promise.all([
    packPackages([cli], work),
    startLocalRegistry({ signal: AbortSignal.timeout(300_000) }),
  ]);
  registry = started;
  await registry.publish(tarballs.get(cli.name) ?? "");
  kit = await (await import(testing)).startMockDatafold();

  // The user's project: a clone whose origin is the GitLab project holding the component (gitlab-ci-local
  // resolves `$CI_SERVER_FQDN/<group>/<project>/trigger@$CI_COMMIT_SHA` from its templates/).
  project = join(work, "project");
  await mkdir(join(project, "templates"), { recursive: true });
  await copyFile(join(REPO_ROOT, "templates/trigger.yml"), join(project, "templates/trigger.yml"));
  const git = (...args: string[]) => run("git", args, { cwd: project });
  await git("init", "-q", "-b", "feature/x");
  await git("remote", "add", "origin", "git@gitlab.com:datafold-ci/datafold-ci.git");
  await git("add", ".");
  await git("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qm", "component");
  head = (await git("rev-parse", "HEAD")).stdout.trim();
}, 300_000);
afterAll(async () => {
  await Promise.all([kit?.close(), registry?.close()]);
  await rm(work, { recursive: true, force: true });
});
beforeEach(() => {
  kit.requests.length = 0;
});

/** Writes a .gitlab-ci.yml including the component with `inputs`, runs the pipeline, reads the dotenv report. */
async function pipeline(inputs: Record<string, unknown>, ci: Record<string, string> = MR) {
  const include = { component: "$CI_SERVER_FQDN/datafold-ci/datafold-ci/trigger@$CI_COMMIT_SHA", inputs };
  await writeFile(join(project, ".gitlab-ci.yml"), stringify({ stages: ["test"], include: [include] }));
  await rm(join(project, ".gitlab-ci-local"), { recursive: true, force: true });
  const variables = {
    ...ci,
    // CI/CD variables of the project: the key, and npm pointed at the local registry with a cache of its own.
    DATAFOLD_API_KEY: kit.apiKey,
    npm_config_registry: registry.url,
    npm_config_userconfig: registry.npmrc,
    npm_config_cache: join(work, "npm-cache"),
  };
  const args = [
    "--force-shell-executor",
    "--no-color",
    "--ignore-predefined-vars",
    Object.keys(ci).join(","),
    ...Object.entries(variables).flatMap(([name, value]) => ["--variable", `${name}=${value}`]),
  ];
  const result = await run(GITLAB_CI_LOCAL, args, {
    cwd: project,
    env: registry.env(),
    timeout: 180_000,
  }).then(
    // The job log is both streams, as GitLab shows it: gitlab-ci-local relays the job's stderr on its own.
    ({ stdout, stderr }) => ({ code: 0, log: stdout + stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, log: e.stdout + e.stderr }),
  );
  return { ...result, report: await dotenvReport() };
}

/** The job's dotenv artifact, as GitLab hands it to later jobs. */
async function dotenvReport(): Promise<Record<string, string>> {
  const state = join(project, ".gitlab-ci-local");
  const files = (await readdir(state, { recursive: true }).catch(() => [])).filter((f) =>
    f.endsWith("artifacts/datafold-ci-trigger/.gitlab-ci-reports/dotenv/datafold-ci.env"),
  );
  if (files.length === 0) return {};
  const text = await readFile(join(state, files[0] ?? ""), "utf8");
  return Object.fromEntries(
    text
      .trim()
      .split("\n")
      .map((line) => line.split(/=(.*)/s).slice(0, 2)),
  );
}

describe("templates/trigger.yml in a merge-request pipeline", () => {
  it("sends the MR's facts and reports the run it started", async () => {
    const result = await pipeline({ ci_config_id: 12, host: kit.url });
    expect(result.code, result.log).toBe(0);
    // The trigger lists the PR's runs first (it looks before it retries), then starts one.
    const triggers = kit.requests.filter((r) => r.path.endsWith("/trigger"));
    expect(triggers.map((r) => [r.path, r.body])).toEqual([
      [
        "/api/v1/ci/12/trigger",
        {
          pr_number: 7,
          pr_branch: "feature/x",
          base_branch: "main",
          pr_sha: head,
          base_sha: MR.CI_MERGE_REQUEST_DIFF_BASE_SHA,
        },
      ],
    ]);
    expect(result.report).toEqual({
      DATAFOLD_CI_RUN_ID: expect.stringMatching(/^\d+$/),
      DATAFOLD_CI_RUN_STATUS: "started",
      DATAFOLD_CI_EXIT_CODE: "0",
    });
    expect(result.log).not.toContain(kit.apiKey);
  });

  it("logs the CLI's line that the run started, once", async () => {
    const result = await pipeline({ ci_config_id: 12, host: kit.url });
    expect(result.code, result.log).toBe(0);
    const id = result.report.DATAFOLD_CI_RUN_ID;
    const started = [
      ...result.log.matchAll(/Datafold CI run (\d+) started for PR #7 \(feature\/x → main, (\w+)\)/g),
    ];
    expect(
      started.map((m) => [m[1], m[2]]),
      result.log,
    ).toEqual([[id, head.slice(0, 7)]]);
  });

  it("with wait: true, a run that ends done passes the job", async () => {
    kit.scriptRuns({ waitForDiffsMs: 0, stages: [{ status: "processing", ms: 1500 }], outcome: "done" });
    const result = await pipeline({ ci_config_id: 12, host: kit.url, wait: true, wait_timeout: 60 });
    expect(result.code, result.log).toBe(0);
    expect(result.report).toMatchObject({ DATAFOLD_CI_RUN_STATUS: "done", DATAFOLD_CI_EXIT_CODE: "0" });
  });

  it("with wait: true, a run that ends failed fails the job, and the report still says so", async () => {
    kit.scriptRuns({ waitForDiffsMs: 0, stages: [{ status: "processing", ms: 1500 }], outcome: "failed" });
    const result = await pipeline({ ci_config_id: 12, host: kit.url, wait: true, wait_timeout: 60 });
    expect(result.code, result.log).not.toBe(0);
    expect(result.log).toMatch(/Datafold CI run \d+ failed/);
    expect(result.report).toMatchObject({
      DATAFOLD_CI_RUN_ID: expect.stringMatching(/^\d+$/),
      DATAFOLD_CI_RUN_STATUS: "failed",
      DATAFOLD_CI_EXIT_CODE: "4",
    });
  });

  it("adds no job to a push pipeline: nothing is sent, no report", async () => {
    const result = await pipeline(
      { ci_config_id: 12, host: kit.url },
      { GITLAB_CI: "true", CI_PIPELINE_SOURCE: "push" },
    );
    expect(result.log).not.toContain("datafold-ci-trigger starting");
    expect(kit.requests).toEqual([]);
    expect(result.report).toEqual({});
  });
});
