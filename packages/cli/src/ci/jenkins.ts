import type { CiProvider } from "./ci-provider.js";
import { ciVariable, definedValues, envValue } from "./read-variable.js";

const NAME = "Jenkins";

/**
 * Jenkins multibranch pipelines (the `CHANGE_*` variables of the branch-source plugins).
 * `GIT_COMMIT` is a merge of the PR into its target under the "merge with the target" checkout
 * strategy (`mergeCheckout`). No base SHA variable.
 */
export const jenkins: CiProvider = {
  id: "jenkins",
  name: NAME,
  prBuild: "a multibranch pipeline build of a change request (CHANGE_ID set)",
  mergeCheckout: true,
  variables: {
    pr_number: "CHANGE_ID",
    pr_branch: "CHANGE_BRANCH",
    base_branch: "CHANGE_TARGET",
    pr_sha: "GIT_COMMIT",
    base_sha: undefined,
  },
  isActive: (env) => envValue(env, "JENKINS_URL") !== undefined,
  read({ env }) {
    if (envValue(env, "CHANGE_ID") === undefined)
      return { pullRequest: false, reason: "CHANGE_ID is not set" };
    return {
      pullRequest: true,
      values: definedValues({
        pr_number: ciVariable(env, NAME, "CHANGE_ID"),
        pr_branch: ciVariable(env, NAME, "CHANGE_BRANCH"),
        base_branch: ciVariable(env, NAME, "CHANGE_TARGET"),
        pr_sha: ciVariable(env, NAME, "GIT_COMMIT"),
        base_sha: undefined,
      }),
      problems: {},
    };
  },
};
