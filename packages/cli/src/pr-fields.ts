import type { APIPrDetails } from "@datafold-ci/client";

/** A field of the trigger body (`APIPrDetails`). */
export type PrField = keyof APIPrDetails;

/** A value the `trigger` command sends: the path's config id or a body field. */
export type TriggerField = "ci_config_id" | PrField;

/** How one trigger value can be given by hand. */
export interface FieldSpec {
  /** The official CLI's flag. */
  readonly flag: `--${string}`;
  /** Other spellings accepted for the same flag. */
  readonly aliases: readonly `--${string}`[];
  /** The environment variable read when the flag is absent. */
  readonly env: string;
  /** `integer` values are parsed from their decimal string before validation. */
  readonly kind: "integer" | "string";
  /** What the value is, for help and messages. */
  readonly label: string;
  /** The value's placeholder in `--help`. */
  readonly placeholder: "<n>" | "<branch>" | "<sha>";
  /** Where the value comes from without the flag or its variable, for `--help`. */
  readonly default: string;
}

// The mapped type ties this table to the generated `APIPrDetails`: a field added to or removed from
// spec/ breaks the build here, and `kind` must agree with the field's generated type.
type FieldTable = {
  readonly [K in TriggerField]: FieldSpec & {
    readonly kind: (K extends PrField ? APIPrDetails[K] : number) extends number ? "integer" : "string";
  };
};

// The config id is no CI fact: only the flag or its variable give it. A missing base SHA is computed
// (resolve-trigger-values.ts).
const FROM_CI = "detected from the CI";

/**
 * The values `datafold-ci trigger` sends, with the official CLI's flag names (`datafold ci trigger`).
 * `DATAFOLD_CI_CONFIG_ID` is the one the brief names; the others let a CI without a variable for a fact
 * (CircleCI has none for the target branch) supply it from project settings.
 */
export const TRIGGER_FIELDS: FieldTable = {
  ci_config_id: {
    flag: "--ci-config-id",
    aliases: [],
    env: "DATAFOLD_CI_CONFIG_ID",
    kind: "integer",
    label: "the Datafold CI config id",
    placeholder: "<n>",
    default: "none",
  },
  pr_number: {
    flag: "--pr-num",
    aliases: ["--pr-number"],
    env: "DATAFOLD_PR_NUMBER",
    kind: "integer",
    label: "the pull/merge request number",
    placeholder: "<n>",
    default: FROM_CI,
  },
  pr_branch: {
    flag: "--pr-branch",
    aliases: [],
    env: "DATAFOLD_PR_BRANCH",
    kind: "string",
    label: "the PR's source (head) branch",
    placeholder: "<branch>",
    default: FROM_CI,
  },
  base_branch: {
    flag: "--base-branch",
    aliases: [],
    env: "DATAFOLD_BASE_BRANCH",
    kind: "string",
    label: "the PR's target (base) branch",
    placeholder: "<branch>",
    default: FROM_CI,
  },
  pr_sha: {
    flag: "--pr-sha",
    aliases: [],
    env: "DATAFOLD_PR_SHA",
    kind: "string",
    label: "the SHA of the PR's head commit",
    placeholder: "<sha>",
    default: FROM_CI,
  },
  base_sha: {
    flag: "--base-sha",
    aliases: [],
    env: "DATAFOLD_BASE_SHA",
    kind: "string",
    label: "the SHA of the PR's base: its target branch's tip or the merge base",
    placeholder: "<sha>",
    default: `${FROM_CI}, else git merge-base with the target branch`,
  },
};

/** Every trigger field, config id first, in the order of {@link TRIGGER_FIELDS}. */
export const ALL_TRIGGER_FIELDS = Object.keys(TRIGGER_FIELDS) as readonly TriggerField[];

/** Whether `field` is a trigger field the CLI knows, e.g. one named by the client's input check. */
export function isTriggerField(field: string): field is TriggerField {
  return Object.hasOwn(TRIGGER_FIELDS, field);
}
