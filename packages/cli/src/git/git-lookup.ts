import type { GitRunner } from "../types.js";

/** A commit git found, with the command that found it, or why it could not. */
export type GitLookup =
  | { readonly ok: true; readonly sha: string; readonly command: string }
  | { readonly ok: false; readonly reason: string };

/** A full commit SHA: SHA-1 (40 hex digits) or SHA-256 (64). */
export const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

/**
 * `git merge-base <remote>/<target> <head>`, trying `origin/<target>` and then `<target>`. `head` is the PR's
 * head SHA when known rather than `HEAD`, because Azure Pipelines and some Jenkins setups check out a
 * merge commit, whose merge base with the target is the target's tip, not the PR's common base.
 * When it fails, the reason says why in terms the user can act on (git missing, shallow clone, ref not fetched).
 */
export async function findMergeBase(git: GitRunner, target: string, head: string): Promise<GitLookup> {
  for (const ref of [`origin/${target}`, target]) {
    const args = ["merge-base", ref, head];
    const result = await git(args);
    if (result.ok && FULL_SHA.test(result.stdout))
      return { ok: true, sha: result.stdout, command: `git ${args.join(" ")}` };
    if (!result.ok && result.reason !== "failed") return { ok: false, reason: gitUnavailable(result.reason) };
  }
  return { ok: false, reason: await diagnose(git, [`origin/${target}`, target], head) };
}

/** Expands an abbreviated SHA (or a name like `HEAD`) to the full SHA of the commit, via `git rev-parse`. */
export async function expandCommit(git: GitRunner, rev: string): Promise<GitLookup> {
  const args = ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`];
  const result = await git(args);
  if (result.ok && FULL_SHA.test(result.stdout))
    return { ok: true, sha: result.stdout, command: "git rev-parse" };
  if (!result.ok && result.reason !== "failed") return { ok: false, reason: gitUnavailable(result.reason) };
  return { ok: false, reason: await diagnose(git, [], rev) };
}

function gitUnavailable(reason: "missing" | "timeout"): string {
  return reason === "missing" ? "git is not installed (or not on PATH)" : "git did not answer in time";
}

async function exists(git: GitRunner, rev: string): Promise<boolean> {
  return (await git(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`])).ok;
}

async function diagnose(git: GitRunner, targetRefs: readonly string[], head: string): Promise<string> {
  const shallow = await git(["rev-parse", "--is-shallow-repository"]);
  if (!shallow.ok)
    return shallow.reason === "failed"
      ? "the working directory is not a git repository"
      : gitUnavailable(shallow.reason);
  const found = await Promise.all(targetRefs.map((ref) => exists(git, ref)));
  if (targetRefs.length > 0 && !found.includes(true))
    return `neither ${targetRefs.join(" nor ")} exists in this clone (fetch it, e.g. git fetch origin ${targetRefs.at(-1)})`;
  if (!(await exists(git, head)))
    return `commit ${head} is not in this clone${shallow.stdout === "true" ? " (it is a shallow clone)" : ""}`;
  if (shallow.stdout === "true")
    return "the clone is shallow, so its history does not reach the common base (fetch the full history, e.g. fetch-depth: 0 or git fetch --unshallow)";
  return `${targetRefs.join(" and ")} share no history with ${head}`;
}
