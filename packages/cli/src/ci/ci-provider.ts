import type { Env, SourcedValue } from "../types.js";
import type { CiFact } from "./provider-spec.js";

/** What a provider may read. Injected so detection is a pure function of its inputs. */
export interface CiContext {
  readonly env: Env;
  /** Reads a UTF-8 file (GitHub's event payload). */
  readonly readFile: (path: string) => Promise<string>;
}

/** What a provider found in the build's environment. */
export type CiReading =
  | {
      /** The build is not for a pull/merge request (a push, a tag, a schedule). */
      readonly pullRequest: false;
      /** Why, in terms of the CI's own variables: `CI_PIPELINE_SOURCE is "push"`. */
      readonly reason: string;
    }
  | {
      readonly pullRequest: true;
      /** Every fact found, with the variable it came from. */
      readonly values: Readonly<Partial<Record<CiFact, SourcedValue>>>;
      /** Why a fact the provider normally has could not be read (a payload that would not parse, say). */
      readonly problems: Readonly<Partial<Record<CiFact, string>>>;
    };

/** One CI system: how to recognise it and where it keeps the pull/merge request facts. */
export interface CiProvider {
  /** Stable identifier, e.g. `gitlab-ci`. */
  readonly id: string;
  /** Display name, e.g. `GitLab CI`. */
  readonly name: string;
  /** The kind of build that carries PR facts, for messages: `a merge request pipeline (CI_PIPELINE_SOURCE=merge_request_event)`. */
  readonly prBuild: string;
  /** Why a secret set in this CI's settings is often missing or empty in a job, when it is known. */
  readonly withheldSecrets?: string;
  /** Where each fact is read from, for messages; `undefined` when this CI has no variable for it. */
  readonly variables: Readonly<Record<CiFact, string | undefined>>;
  /**
   * The `pr_sha` variable may be the PR merged into its target, made by the checkout (Jenkins' "merge
   * with the target" strategy); the PR head is then that merge's second parent.
   */
  readonly mergeCheckout?: boolean;
  /** Whether the environment is this CI's. */
  isActive(env: Env): boolean;
  /** Reads the facts of the current build. */
  read(context: CiContext): CiReading | Promise<CiReading>;
}
