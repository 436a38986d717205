import type { CiDetection } from "./ci/detect-ci.js";
import { envValue } from "./ci/read-variable.js";
import { expandCommit, FULL_SHA, findMergeBase } from "./git/git-lookup.js";
import type { GitRunner } from "./git/git-runner.js";
import { prHeadOfMergeCheckout } from "./git/merge-checkout.js";
import type { FlagValue } from "./parse-command-line.js";
import { ALL_TRIGGER_FIELDS, TRIGGER_FIELDS, type TriggerField } from "./pr-fields.js";
import type { SourcedValue } from "./value-source.js";

/** The trigger values found, each with its source, and why the others were not. */
export interface TriggerValues {
  readonly values: Readonly<Partial<Record<TriggerField, SourcedValue>>>;
  /** For a value not found: what was tried and failed (a git command, an unreadable payload). */
  readonly gaps: Readonly<Partial<Record<TriggerField, string>>>;
  /** Things the user should know although the value was found. */
  readonly warnings: readonly string[];
}

/** Inputs of {@link resolveTriggerValues}. */
export interface ResolveInputs {
  /** String flags by canonical name (`pr-num`). */
  readonly flags: ReadonlyMap<string, FlagValue>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly detection: CiDetection;
  readonly git: GitRunner;
}

/**
 * Picks each trigger value from, in order: its flag, its `DATAFOLD_*` variable, the CI. Then, for
 * values from the CI only: expands an abbreviated SHA (Bitbucket's destination commit) with
 * `git rev-parse`; replaces a CI's checkout of the PR merged into its target with the PR head; and
 * when no base SHA was found, computes `git merge-base` against the target branch.
 */
export async function resolveTriggerValues({
  flags,
  env,
  detection,
  git,
}: ResolveInputs): Promise<TriggerValues> {
  const ci = detection.provider && detection.reading.pullRequest ? detection.reading : undefined;
  const values: Partial<Record<TriggerField, SourcedValue>> = {};
  const gaps: Partial<Record<TriggerField, string>> = { ...ci?.problems };
  const warnings: string[] = [];
  for (const field of ALL_TRIGGER_FIELDS) {
    const spec = TRIGGER_FIELDS[field];
    const flag = flags.get(spec.flag.slice(2));
    const fromEnv = envValue(env, spec.env);
    const found: SourcedValue | undefined = flag
      ? { value: flag.value, source: { kind: "flag", name: flag.typed } }
      : fromEnv !== undefined
        ? { value: fromEnv, source: { kind: "env", name: spec.env } }
        : field === "ci_config_id"
          ? undefined
          : ci?.values[field];
    if (found) values[field] = found;
  }
  for (const field of ["pr_sha", "base_sha"] as const) {
    const found = values[field];
    if (found?.source.kind !== "ci" || FULL_SHA.test(found.value)) continue;
    const expanded = await expandCommit(git, found.value);
    if (expanded.ok)
      values[field] = {
        value: expanded.sha,
        source: { ...found.source, detail: `"${found.value}" expanded with ${expanded.command}` },
      };
    else
      warnings.push(
        `${found.source.name} is "${found.value}", not a full commit SHA, and git could not expand it: ${expanded.reason}. ` +
          `Pass ${TRIGGER_FIELDS[field].flag} with the full SHA if Datafold does not find the commit.`,
      );
  }
  const prSha = values.pr_sha;
  if (prSha?.source.kind === "ci" && detection.provider?.mergeCheckout && values.base_branch) {
    const checkout = await prHeadOfMergeCheckout(git, prSha, values.base_branch.value);
    if (checkout.ok) values.pr_sha = checkout.value;
    else {
      delete values.pr_sha;
      gaps.pr_sha = checkout.reason;
    }
  }
  if (values.base_sha === undefined && gaps.base_sha === undefined) {
    const target = values.base_branch?.value;
    if (target === undefined)
      gaps.base_sha = `git merge-base needs the target branch (${TRIGGER_FIELDS.base_branch.flag})`;
    else {
      const found = await findMergeBase(git, target, values.pr_sha?.value ?? "HEAD");
      if (found.ok)
        values.base_sha = {
          value: found.sha,
          source: { kind: "git", name: found.command, baseShaKind: "merge base" },
        };
      else gaps.base_sha = `git merge-base could not compute it: ${found.reason}`;
    }
  }
  return { values, gaps, warnings };
}
