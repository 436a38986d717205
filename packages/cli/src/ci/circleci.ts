import type { CiProvider } from "./ci-provider.js";
import { ciVariable, definedValues, envValue } from "./read-variable.js";

const NAME = "CircleCI";

/**
 * CircleCI. Traps: `CIRCLE_PULL_REQUEST` is the PR's URL (the number is its last path segment);
 * `CIRCLE_PR_NUMBER` exists only for PRs from forks; there is no variable for the target branch
 * (a flag or `DATAFOLD_BASE_BRANCH` must give it) and none for the base SHA.
 */
export const circleci: CiProvider = {
  id: "circleci",
  name: NAME,
  prBuild: "a pipeline for a pull request (CIRCLE_PULL_REQUEST set)",
  variables: {
    pr_number: "CIRCLE_PULL_REQUEST (the number at the end of the URL) or CIRCLE_PR_NUMBER",
    pr_branch: "CIRCLE_BRANCH",
    base_branch: undefined,
    pr_sha: "CIRCLE_SHA1",
    base_sha: undefined,
  },
  isActive: (env) => env.CIRCLECI === "true",
  read({ env }) {
    const url = envValue(env, "CIRCLE_PULL_REQUEST");
    if (url === undefined && envValue(env, "CIRCLE_PR_NUMBER") === undefined)
      return { pullRequest: false, reason: "CIRCLE_PULL_REQUEST is not set" };
    const prNumber =
      ciVariable(env, NAME, "CIRCLE_PULL_REQUEST", (value) => /\/(\d+)\/?$/.exec(value)?.[1]) ??
      ciVariable(env, NAME, "CIRCLE_PR_NUMBER");
    return {
      pullRequest: true,
      values: definedValues({
        pr_number: prNumber,
        pr_branch: ciVariable(env, NAME, "CIRCLE_BRANCH"),
        base_branch: undefined,
        pr_sha: ciVariable(env, NAME, "CIRCLE_SHA1"),
        base_sha: undefined,
      }),
      problems:
        prNumber === undefined && url !== undefined
          ? { pr_number: `CIRCLE_PULL_REQUEST "${url}" does not end in a PR number` }
          : {},
    };
  },
};
