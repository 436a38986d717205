import type { CiProvider } from "./ci-provider.js";
import { ciVariable, definedValues, envValue } from "./read-variable.js";

const NAME = "Azure Pipelines";

const stripHeads = (ref: string) => ref.replace(/^refs\/heads\//, "");

/**
 * Azure Pipelines PR builds. Traps: for GitHub repos `PULLREQUESTID` is not the PR number
 * (`PULLREQUESTNUMBER` is, and only GitHub repos set it); branches come as `refs/heads/…`;
 * `BUILD_SOURCEVERSION` is the merge commit, the head is `SOURCECOMMITID`. No base SHA variable.
 */
export const azurePipelines: CiProvider = {
  id: "azure-pipelines",
  name: NAME,
  prBuild: "a pull request build (BUILD_REASON=PullRequest)",
  variables: {
    pr_number: "SYSTEM_PULLREQUEST_PULLREQUESTNUMBER (GitHub repos) or SYSTEM_PULLREQUEST_PULLREQUESTID",
    pr_branch: "SYSTEM_PULLREQUEST_SOURCEBRANCH",
    base_branch: "SYSTEM_PULLREQUEST_TARGETBRANCH",
    pr_sha: "SYSTEM_PULLREQUEST_SOURCECOMMITID",
    base_sha: undefined,
  },
  isActive: (env) => env.TF_BUILD?.toLowerCase() === "true",
  read({ env }) {
    const reason = envValue(env, "BUILD_REASON");
    if (reason !== "PullRequest")
      return {
        pullRequest: false,
        reason: reason === undefined ? "BUILD_REASON is not set" : `BUILD_REASON is "${reason}"`,
      };
    const github = /^github/i.test(env.BUILD_REPOSITORY_PROVIDER ?? "");
    const prNumber =
      ciVariable(env, NAME, "SYSTEM_PULLREQUEST_PULLREQUESTNUMBER") ??
      (github ? undefined : ciVariable(env, NAME, "SYSTEM_PULLREQUEST_PULLREQUESTID"));
    return {
      pullRequest: true,
      values: definedValues({
        pr_number: prNumber,
        pr_branch: ciVariable(env, NAME, "SYSTEM_PULLREQUEST_SOURCEBRANCH", stripHeads),
        base_branch: ciVariable(env, NAME, "SYSTEM_PULLREQUEST_TARGETBRANCH", stripHeads),
        pr_sha: ciVariable(env, NAME, "SYSTEM_PULLREQUEST_SOURCECOMMITID"),
        base_sha: undefined,
      }),
      problems:
        github && prNumber === undefined
          ? {
              pr_number:
                "SYSTEM_PULLREQUEST_PULLREQUESTNUMBER is not set, and for a GitHub repository SYSTEM_PULLREQUEST_PULLREQUESTID is not the PR number",
            }
          : {},
    };
  },
};
