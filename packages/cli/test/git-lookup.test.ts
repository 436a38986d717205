import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expandCommit, findMergeBase } from "../src/git/git-lookup.js";
import { createGitRunner } from "../src/git/git-runner.js";
import { noGit } from "./fake-git.js";
import { createRepository, type Repository } from "./git-repository.js";

let repo: Repository;
beforeAll(() => {
  repo = createRepository();
});
afterAll(() => repo.remove());

describe("findMergeBase", () => {
  it("finds the common base with origin/<target>, and says which command found it", async () => {
    const found = await findMergeBase(createGitRunner({ cwd: repo.dir }), "main", repo.head);
    expect(found).toEqual({ ok: true, sha: repo.base, command: `git merge-base origin/main ${repo.head}` });
  });

  it("uses the PR head, not a checked-out merge commit, whose base with the target is the target's tip", async () => {
    const fromHead = await findMergeBase(createGitRunner({ cwd: repo.dir }), "main", "HEAD");
    expect(fromHead).toMatchObject({ sha: repo.mainTip });
    const fromPrHead = await findMergeBase(createGitRunner({ cwd: repo.dir }), "main", repo.head);
    expect(fromPrHead).toMatchObject({ sha: repo.base });
  });

  it("falls back to the local <target> branch when origin/<target> is not there", async () => {
    repo.git("update-ref", "-d", "refs/remotes/origin/main");
    try {
      const found = await findMergeBase(createGitRunner({ cwd: repo.dir }), "main", repo.head);
      expect(found).toEqual({ ok: true, sha: repo.base, command: `git merge-base main ${repo.head}` });
    } finally {
      repo.git("update-ref", "refs/remotes/origin/main", repo.mainTip);
    }
  });

  it("says the target branch is not fetched when neither origin/<target> nor <target> exists", async () => {
    const found = await findMergeBase(createGitRunner({ cwd: repo.dir }), "develop", repo.head);
    expect(found).toEqual({
      ok: false,
      reason:
        "neither origin/develop nor develop exists in this clone (fetch it, e.g. git fetch origin develop)",
    });
  });

  it("says the PR head is not in the clone when it is not", async () => {
    const missing = "0".repeat(40);
    const found = await findMergeBase(createGitRunner({ cwd: repo.dir }), "main", missing);
    expect(found).toEqual({ ok: false, reason: `commit ${missing} is not in this clone` });
  });

  it("says the clone is shallow when its history does not reach the base", async () => {
    const dir = mkdtempSync(join(tmpdir(), "datafold-ci-shallow-"));
    try {
      execFileSync("git", ["clone", "-q", "--depth", "1", "--no-single-branch", `file://${repo.dir}`, dir], {
        stdio: "pipe",
      });
      const found = await findMergeBase(createGitRunner({ cwd: dir }), "main", repo.head);
      expect(found.ok).toBe(false);
      expect(!found.ok && found.reason).toMatch(
        /the clone is shallow.*fetch-depth: 0 or git fetch --unshallow/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("says the directory is not a git repository", async () => {
    const dir = mkdtempSync(join(tmpdir(), "datafold-ci-nogit-"));
    try {
      const found = await findMergeBase(createGitRunner({ cwd: dir }), "main", "HEAD");
      expect(found).toEqual({ ok: false, reason: "the working directory is not a git repository" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("says git is not installed when it is not", async () => {
    expect(await findMergeBase(noGit, "main", "HEAD")).toEqual({
      ok: false,
      reason: "git is not installed (or not on PATH)",
    });
  });
});

describe("expandCommit", () => {
  it("expands an abbreviated SHA to the full SHA of the commit", async () => {
    const found = await expandCommit(createGitRunner({ cwd: repo.dir }), repo.base.slice(0, 12));
    expect(found).toEqual({ ok: true, sha: repo.base, command: "git rev-parse" });
  });

  it("says so when the commit is not in the clone", async () => {
    const found = await expandCommit(createGitRunner({ cwd: repo.dir }), "abcdef123456");
    expect(found).toEqual({ ok: false, reason: "commit abcdef123456 is not in this clone" });
  });
});

describe("createGitRunner", () => {
  it("reports a git that is not on PATH as missing, rather than throwing", async () => {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      expect(await createGitRunner()(["--version"])).toEqual({ ok: false, reason: "missing", stderr: "" });
    } finally {
      process.env.PATH = path;
    }
  });
});
