import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The commits of {@link createRepository}'s history. */
export interface Repository {
  readonly dir: string;
  /** The common base of `feature/x` and `main`. */
  readonly base: string;
  /** main's tip, one commit after the base. */
  readonly mainTip: string;
  /** feature/x's tip: the PR head. */
  readonly head: string;
  /** The merge of feature/x into main, as Azure Pipelines and some Jenkins setups check out; HEAD. */
  readonly merge: string;
  git(...args: string[]): string;
  remove(): void;
}

const identity = ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"];

/**
 * A throw-away repository: base ← mainTip (main, also origin/main) and base ← head (feature/x),
 * with HEAD detached at the merge of the two, as a PR build checks it out.
 */
export function createRepository(): Repository {
  const dir = mkdtempSync(join(tmpdir(), "datafold-ci-git-"));
  const git = (...args: string[]) =>
    execFileSync("git", [...identity, ...args], { cwd: dir, encoding: "utf8", stdio: "pipe" }).trim();
  git("init", "-q", "-b", "main");
  git("commit", "-q", "--allow-empty", "-m", "base");
  const base = git("rev-parse", "HEAD");
  git("commit", "-q", "--allow-empty", "-m", "main moves on");
  const mainTip = git("rev-parse", "HEAD");
  git("update-ref", "refs/remotes/origin/main", mainTip);
  git("checkout", "-q", "-b", "feature/x", base);
  git("commit", "-q", "--allow-empty", "-m", "the PR");
  const head = git("rev-parse", "HEAD");
  git("checkout", "-q", "--detach", mainTip);
  git("merge", "-q", "--no-ff", "-m", "Merge feature/x into main", head);
  const merge = git("rev-parse", "HEAD");
  return {
    dir,
    base,
    mainTip,
    head,
    merge,
    git,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
