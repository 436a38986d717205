import type { BaseShaKind, ValueSource } from "../types.js";

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

/**
 * Why `command` cannot run in this build: the API description it was generated from has no operation for
 * the client method `method` (removed upstream, with its override), so nothing can be sent.
 */
export function unavailableMessage(command: string, method: string): string {
  return (
    `datafold-ci ${command} is not available in this build: the Datafold API description it was generated ` +
    `from has no operation for ${method}, which it sends. Use a datafold-ci release whose API has it.`
  );
}
