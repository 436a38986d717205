import type { BaseShaKind, CliInput, Env } from "../types.js";

/**
 * The pull/merge request facts CI systems supply, named as the trigger body's fields. An operation input
 * takes the fact named like it, or the one its `cli` override names (`fact:`); `pnpm generate` fails when
 * a fact here is no command input's, so a field Datafold drops cannot be read from CI systems unnoticed. A
 * field Datafold adds is no fact until it is added here and to each provider: until then it is sent when
 * given by its flag or variable.
 */
export const CI_FACTS = ["pr_number", "pr_branch", "base_branch", "pr_sha", "base_sha"] as const;

/** One of {@link CI_FACTS}. */
export type CiFact = (typeof CI_FACTS)[number];

/** Whether `name` is one of the {@link CI_FACTS}. */
export function isCiFact(name: string): name is CiFact {
  return (CI_FACTS as readonly string[]).includes(name);
}

/** The CI fact an operation input takes: the one its override names (`fact:`), else the one named like it. */
export function factOf(input: CliInput): CiFact | undefined {
  const name = input.fact ?? input.name;
  return isCiFact(name) ? name : undefined;
}

/** Facts the CLI computes with git when no flag, variable or CI gives them, and how, as `--help` says it. */
export const GIT_FALLBACKS: Readonly<Partial<Record<CiFact, string>>> = {
  base_sha: "git merge-base with the target branch",
};

/** A test of one CI variable: set (not empty), or equal to a value, or matching a pattern. */
export interface VariableTest {
  readonly variable: string;
  /** The value it must have: a string exactly, a pattern by match. Absent: any value. */
  readonly is?: string | RegExp;
  /** A value that does not count although the variable is set (Buildkite's `false`). */
  readonly isNot?: string;
}

/** One place a fact may be read from; of a fact's sources, the first that yields a value wins. */
export type FactSource =
  | {
      /** A CI variable. */
      readonly variable: string;
      /** Reshapes the value, `undefined` when it holds no usable fact (a URL without a trailing number). */
      readonly transform?: (value: string) => string | undefined;
      /** Skipped when this holds (Azure's PULLREQUESTID, which is no PR number in a GitHub repository). */
      readonly unless?: VariableTest;
      /** Said after the variable's name in messages, e.g. `(GitHub repos)`. */
      readonly note?: string;
    }
  | {
      /** A dotted path into the JSON file that the provider's `payloadFile` variable names. */
      readonly payload: string;
    };

/** Where a base SHA is read, and which commit it is there: CI systems differ. */
export type BaseShaSource = FactSource & {
  /** `base branch tip` (GitHub's `base.sha`) or `merge base` (GitLab's `CI_MERGE_REQUEST_DIFF_BASE_SHA`). */
  readonly baseShaKind: BaseShaKind;
};

/** Where each fact is read, in order of preference; a base SHA's sources each say which commit it is. */
export type Facts = {
  readonly [F in CiFact]: readonly (F extends "base_sha" ? BaseShaSource : FactSource)[];
};

/** A trap that leaves a fact unknown for a reason the user must hear: applies when the fact was not found. */
export interface Trap {
  readonly field: CiFact;
  readonly when: VariableTest;
  readonly message: string | ((env: Env) => string);
}

/**
 * One CI system as data: how to recognise it, when its build is a PR build, where each fact is, and
 * its traps. `defineProvider` turns it into a `CiProvider`.
 */
export interface ProviderSpec {
  /** Stable identifier, e.g. `gitlab-ci`. */
  readonly id: string;
  /** Display name, e.g. `GitLab CI`. */
  readonly name: string;
  /** The kind of build that carries PR facts, for messages. */
  readonly prBuild: string;
  /**
   * Why a secret set in this CI's settings is often missing or empty in a job: the first thing to check when
   * the API key variable is. Each vendor's documentation: docs/datafold-facts.md, "Secrets withheld from pull
   * request builds".
   */
  readonly withheldSecrets?: string;
  /** The environment is this CI's when this holds. */
  readonly active: VariableTest;
  /** The build is for a PR when any of these holds. */
  readonly pullRequestWhen: readonly VariableTest[];
  /** Where each fact is read, in order of preference; empty when the CI has no variable for it. */
  readonly facts: Facts;
  /** How messages name a fact's sources, where listing them all would mislead. */
  readonly labels?: Readonly<Partial<Record<CiFact, string>>>;
  /** The variable naming a JSON event payload, for `payload` sources (GitHub's `GITHUB_EVENT_PATH`). */
  readonly payloadFile?: string;
  readonly traps?: readonly Trap[];
  /**
   * The `pr_sha` variable may be the PR merged into its target, made by the checkout (Jenkins' "merge
   * with the target" strategy); the PR head is then that merge's second parent.
   */
  readonly mergeCheckout?: boolean;
}
