import type { CiProvider } from "./ci-provider.js";
import { ciVariable, definedValues, envValue } from "./read-variable.js";

const NAME = "Buildkite";

/**
 * Buildkite. Trap: `BUILDKITE_PULL_REQUEST` is the string `false` when the build is not for a PR.
 * No base SHA variable.
 */
export const buildkite: CiProvider = {
  id: "buildkite",
  name: NAME,
  prBuild: "a build for a pull request (BUILDKITE_PULL_REQUEST set to a number)",
  variables: {
    pr_number: "BUILDKITE_PULL_REQUEST",
    pr_branch: "BUILDKITE_BRANCH",
    base_branch: "BUILDKITE_PULL_REQUEST_BASE_BRANCH",
    pr_sha: "BUILDKITE_COMMIT",
    base_sha: undefined,
  },
  isActive: (env) => env.BUILDKITE === "true",
  read({ env }) {
    const pr = envValue(env, "BUILDKITE_PULL_REQUEST");
    if (pr === undefined || pr === "false")
      return {
        pullRequest: false,
        reason: pr === undefined ? "BUILDKITE_PULL_REQUEST is not set" : 'BUILDKITE_PULL_REQUEST is "false"',
      };
    return {
      pullRequest: true,
      values: definedValues({
        pr_number: ciVariable(env, NAME, "BUILDKITE_PULL_REQUEST"),
        pr_branch: ciVariable(env, NAME, "BUILDKITE_BRANCH"),
        base_branch: ciVariable(env, NAME, "BUILDKITE_PULL_REQUEST_BASE_BRANCH"),
        pr_sha: ciVariable(env, NAME, "BUILDKITE_COMMIT"),
        base_sha: undefined,
      }),
      problems: {},
    };
  },
};
