import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runScript } from "../testing/run-script.js";
import { actionTags } from "./action-tags.js";

const run = promisify(execFile);

describe("actionTags", () => {
  it.each([
    ["0.2.0", "v0.2.0", "v0.2"],
    ["0.2.7", "v0.2.7", "v0.2"],
    ["1.0.0", "v1.0.0", "v1"],
    ["2.13.4", "v2.13.4", "v2"],
    ["1.1.0-next.0", "v1.1.0-next.0", undefined],
  ])("%s is tagged %s and moves %s", (version, exact, floating) => {
    expect(actionTags(version)).toEqual({ exact, floating });
  });

  it("refuses what is not a version", () => {
    expect(() => actionTags("v1.2")).toThrow('"v1.2" is not a semver version');
  });
});

describe("pnpm release:tag-action", () => {
  let work: string;
  let repo: string;
  const git = async (...args: string[]) => (await run("git", args, { cwd: repo })).stdout.trim();
  const tagged = async (tag: string, where = repo) =>
    (await run("git", ["rev-parse", `${tag}^{commit}`], { cwd: where })).stdout.trim();
  /** Commits a release: packages/cli/package.json at `version`, as the Version Packages PR leaves it. */
  async function release(version: string): Promise<string> {
    await writeFile(
      join(repo, "packages/cli/package.json"),
      JSON.stringify({ name: "@datafold-ci/cli", version }),
    );
    await git("add", "--all");
    await git("-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "--quiet", "-m", version);
    return git("rev-parse", "HEAD");
  }
  const tag = (version: string, ...extra: string[]) =>
    runScript("tag-action-release.ts", [
      "--published",
      JSON.stringify([
        { name: "@datafold-ci/client", version },
        { name: "@datafold-ci/cli", version },
      ]),
      "--root",
      repo,
      ...extra,
    ]);

  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), "datafold-ci-tags-"));
    repo = join(work, "repo");
    await mkdir(join(repo, "packages/cli"), { recursive: true });
    await run("git", ["init", "--quiet", "--bare", join(work, "origin.git")]);
    await git("init", "--quiet");
    await git("remote", "add", "origin", join(work, "origin.git"));
  });
  afterEach(() => rm(work, { recursive: true, force: true }));

  it("tags a 0.x release v0.<minor>.<patch> and v0.<minor>, pushes both, and moves only v0.<minor> on the next patch", async () => {
    const first = await release("0.2.0");
    expect(await tag("0.2.0", "--remote", "origin")).toMatchObject({ code: 0 });
    const second = await release("0.2.1");
    const result = await tag("0.2.1", "--remote", "origin");
    expect(result.stdout).toContain("v0.2.1, v0.2; pushed to origin");
    const origin = join(work, "origin.git");
    expect(await tagged("v0.2.0", origin)).toBe(first);
    expect(await tagged("v0.2.1", origin)).toBe(second);
    expect(await tagged("v0.2", origin)).toBe(second);
  });

  it("from 1.0 on, the floating tag is v<major>; a pre-release moves no floating tag", async () => {
    const stable = await release("1.0.0");
    await tag("1.0.0");
    expect(await tagged("v1")).toBe(stable);
    await release("1.1.0-next.0");
    expect((await tag("1.1.0-next.0")).stdout).toContain("pre-release: no floating tag");
    expect(await tagged("v1")).toBe(stable);
  });

  it("tags nothing when the CLI was not published", async () => {
    await release("0.2.0");
    const result = await runScript("tag-action-release.ts", [
      "--published",
      '[{"name":"@datafold-ci/types","version":"0.2.0"}]',
      "--root",
      repo,
    ]);
    expect(result).toMatchObject({
      code: 0,
      stdout: "@datafold-ci/cli was not published: no action tags.\n",
    });
    expect(await git("tag")).toBe("");
  });

  it("refuses to tag a commit whose action would run another CLI version by default", async () => {
    await release("0.2.0");
    const result = await tag("0.3.0");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "packages/cli/package.json says 0.2.0, but --published says @datafold-ci/cli@0.3.0",
    );
    expect(await git("tag")).toBe("");
  });

  it("never moves a version tag, and a rerun on the same commit is harmless", async () => {
    const first = await release("0.2.0");
    await tag("0.2.0");
    expect(await tag("0.2.0")).toMatchObject({ code: 0 });
    await git(
      "-c",
      "user.name=t",
      "-c",
      "user.email=t@localhost",
      "commit",
      "--quiet",
      "--allow-empty",
      "-m",
      "x",
    );
    const result = await tag("0.2.0");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Tag v0.2.0 already names commit ${first}, not HEAD`);
    expect(await tagged("v0.2")).toBe(first);
  });

  it("names the flag when --published is missing or not JSON", async () => {
    expect((await runScript("tag-action-release.ts", [])).stderr).toContain("--published <json> is required");
    const bad = await runScript("tag-action-release.ts", ["--published", "{nope"]);
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.stderr).toContain("--published is not JSON");
  });
});
