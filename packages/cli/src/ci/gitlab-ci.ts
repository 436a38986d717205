import type { CiProvider } from "./ci-provider.js";
import { ciVariable, definedValues, envValue, firstCiVariable } from "./read-variable.js";

const NAME = "GitLab CI";

/**
 * GitLab CI merge request pipelines. Traps: the MR number is `CI_MERGE_REQUEST_IID` (`CI_MERGE_REQUEST_ID`
 * is instance-wide); in merged-results pipelines `CI_COMMIT_SHA` is the merge commit, so the source
 * branch SHA wins when set.
 */
export const gitlabCi: CiProvider = {
  id: "gitlab-ci",
  name: NAME,
  prBuild: "a merge request pipeline (CI_PIPELINE_SOURCE=merge_request_event)",
  variables: {
    pr_number: "CI_MERGE_REQUEST_IID",
    pr_branch: "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME",
    base_branch: "CI_MERGE_REQUEST_TARGET_BRANCH_NAME",
    pr_sha: "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA or CI_COMMIT_SHA",
    base_sha: "CI_MERGE_REQUEST_DIFF_BASE_SHA",
  },
  isActive: (env) => env.GITLAB_CI === "true",
  read({ env }) {
    const source = envValue(env, "CI_PIPELINE_SOURCE");
    if (source !== "merge_request_event" && envValue(env, "CI_MERGE_REQUEST_IID") === undefined)
      return {
        pullRequest: false,
        reason:
          source === undefined
            ? "CI_PIPELINE_SOURCE and CI_MERGE_REQUEST_IID are not set"
            : `CI_PIPELINE_SOURCE is "${source}"`,
      };
    return {
      pullRequest: true,
      values: definedValues({
        pr_number: ciVariable(env, NAME, "CI_MERGE_REQUEST_IID"),
        pr_branch: ciVariable(env, NAME, "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"),
        base_branch: ciVariable(env, NAME, "CI_MERGE_REQUEST_TARGET_BRANCH_NAME"),
        pr_sha: firstCiVariable(env, NAME, ["CI_MERGE_REQUEST_SOURCE_BRANCH_SHA", "CI_COMMIT_SHA"]),
        base_sha: ciVariable(env, NAME, "CI_MERGE_REQUEST_DIFF_BASE_SHA"),
      }),
      problems: {},
    };
  },
};
