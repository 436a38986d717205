import type { GitRunner, SourcedValue } from "../types.js";

/** What {@link prHeadOfMergeCheckout} made of a CI's head commit. */
export type MergeCheckout =
  /** Not a merge of the PR into the target (or git cannot read it): send it as it is. */
  | { readonly ok: true; readonly value: SourcedValue }
  /** A merge git cannot place: the PR head is unknown, and the merge must not be sent. */
  | { readonly ok: false; readonly reason: string };

/**
 * Some checkouts build the PR merged into its target (Jenkins' "merge with the target" strategy):
 * the CI's head commit is then a merge made in the workspace, first parent the target's tip, second
 * the PR head. Datafold has never seen that merge, and its merge base with the target is the target's
 * tip. Such a merge is replaced by its second parent; a merge whose first parent git cannot
 * compare with the target is refused, so that the user says which commit is the PR's.
 */
export async function prHeadOfMergeCheckout(
  git: GitRunner,
  head: SourcedValue,
  target: string,
): Promise<MergeCheckout> {
  const commit = await git(["rev-list", "--parents", "-n", "1", head.value]);
  const parents = commit.ok ? commit.stdout.split(" ").slice(1) : [];
  // Not a two-parent merge, or not in this clone: nothing says it is a merge, so it is sent as given.
  if (parents.length !== 2) return { ok: true, value: head };
  const refs = [`origin/${target}`, target];
  const tips: string[] = [];
  for (const ref of refs) {
    const tip = await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
    if (tip.ok) tips.push(tip.stdout);
  }
  if (tips.length === 0)
    return {
      ok: false,
      reason: `${head.source.name}${head.source.provider ? ` (${head.source.provider})` : ""} is the merge commit ${head.value}, and git cannot tell whether it is the PR merged into ${target} (neither ${refs.join(" nor ")} is in this clone); pass --pr-sha with the PR's head commit, or fetch ${target}`,
    };
  // A merge whose first parent is not the target's tip is the PR's own (the target merged into it).
  if (!tips.includes(parents[0]!)) return { ok: true, value: head };
  return {
    ok: true,
    value: {
      value: parents[1]!,
      source: {
        ...head.source,
        detail: `the merge of the PR into ${target}; its second parent, by git rev-list --parents`,
      },
    },
  };
}
