import type { CiProvider } from "./ci-provider.js";
import { ciVariable, definedValues, envValue } from "./read-variable.js";

const NAME = "Bitbucket Pipelines";

/**
 * Bitbucket Pipelines pull-request pipelines. `BITBUCKET_PR_DESTINATION_COMMIT` may be abbreviated;
 * the resolver expands abbreviated CI SHAs with `git rev-parse` when git is there.
 */
export const bitbucketPipelines: CiProvider = {
  id: "bitbucket-pipelines",
  name: NAME,
  prBuild: "a pull-request pipeline (BITBUCKET_PR_ID set)",
  variables: {
    pr_number: "BITBUCKET_PR_ID",
    pr_branch: "BITBUCKET_BRANCH",
    base_branch: "BITBUCKET_PR_DESTINATION_BRANCH",
    pr_sha: "BITBUCKET_COMMIT",
    base_sha: "BITBUCKET_PR_DESTINATION_COMMIT",
  },
  isActive: (env) => envValue(env, "BITBUCKET_BUILD_NUMBER") !== undefined,
  read({ env }) {
    if (envValue(env, "BITBUCKET_PR_ID") === undefined)
      return { pullRequest: false, reason: "BITBUCKET_PR_ID is not set" };
    return {
      pullRequest: true,
      values: definedValues({
        pr_number: ciVariable(env, NAME, "BITBUCKET_PR_ID"),
        pr_branch: ciVariable(env, NAME, "BITBUCKET_BRANCH"),
        base_branch: ciVariable(env, NAME, "BITBUCKET_PR_DESTINATION_BRANCH"),
        pr_sha: ciVariable(env, NAME, "BITBUCKET_COMMIT"),
        base_sha: ciVariable(env, NAME, "BITBUCKET_PR_DESTINATION_COMMIT"),
      }),
      problems: {},
    };
  },
};
