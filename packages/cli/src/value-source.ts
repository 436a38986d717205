import type { BaseShaKind } from "./base-sha-kind.js";

/**
 * Where a value came from, so `--dry-run` and every error message can say it.
 *
 * - `flag`: a command-line flag (`name` is the flag as typed, e.g. `--pr-number`).
 * - `env`: a `DATAFOLD_*` environment variable (`name` is the variable).
 * - `ci`: the CI system (`name` is the variable or event field, `provider` the CI's name).
 * - `git`: a git command run for the value (`name` is the command line).
 * - `default`: the CLI's default.
 */
export interface ValueSource {
  readonly kind: "flag" | "env" | "ci" | "git" | "default";
  readonly name: string;
  /** The CI system's display name, for `ci` sources. */
  readonly provider?: string;
  /** What happened to the value on the way, e.g. `expanded with git rev-parse`. */
  readonly detail?: string;
  /** For a base SHA from a CI or git: which commit it is. Absent for a flag or a variable, which do not say. */
  readonly baseShaKind?: BaseShaKind;
}

/** A value and where it came from. Values stay strings until the request is built, as argv and env give them. */
export interface SourcedValue {
  readonly value: string;
  readonly source: ValueSource;
}

/** `flag --pr-num`, `DATAFOLD_HOST`, `CI_MERGE_REQUEST_IID (GitLab CI)`, `git merge-base origin/main HEAD`. */
export function describeSource(source: ValueSource): string {
  const base =
    source.kind === "flag"
      ? `flag ${source.name}`
      : source.kind === "ci" && source.provider !== undefined
        ? `${source.name} (${source.provider})`
        : source.name;
  return source.detail === undefined ? base : `${base}, ${source.detail}`;
}
