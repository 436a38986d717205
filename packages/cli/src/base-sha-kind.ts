import type { ValueSource } from "./value-source.js";

/**
 * Which commit a base SHA is. CI systems differ (issue 14): GitHub's `pull_request.base.sha` and Bitbucket's
 * destination commit are the tip of the PR's target branch; GitLab's `CI_MERGE_REQUEST_DIFF_BASE_SHA` and
 * `git merge-base` are the merge base of the PR and its target. Each is sent as the CI gives it (Datafold's
 * own docs send `base.sha` for GitHub): the kind is only reported, by the provider's data and the git
 * fallback, never guessed from a provider's id.
 */
export type BaseShaKind = "base branch tip" | "merge base";

/** A base SHA's kind as `--dry-run --json` reports it: `as given` for a flag or `DATAFOLD_BASE_SHA`. */
export type ReportedBaseShaKind = BaseShaKind | "as given";

/**
 * What a base SHA is, for `--dry-run` and `--debug`: `the merge base`, or, for a value the user gave, that it
 * is sent as given. A flag or variable says nothing about which commit it names, so the CLI does not claim to know.
 *
 * @example
 * describeBaseShaKind({ kind: "flag", name: "--base-sha" }).text
 * // "as given by --base-sha (the base branch tip or the merge base: the CLI cannot tell)"
 */
export function describeBaseShaKind(source: ValueSource): {
  readonly kind: ReportedBaseShaKind;
  readonly text: string;
} {
  return source.baseShaKind === undefined
    ? {
        kind: "as given",
        text: `as given by ${source.name} (the base branch tip or the merge base: the CLI cannot tell)`,
      }
    : { kind: source.baseShaKind, text: `the ${source.baseShaKind}` };
}
