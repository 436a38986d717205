import type { CiProvider } from "./ci-provider.js";
import { defineProvider } from "./define-provider.js";
import type { ProviderSpec } from "./provider-spec.js";

const v = (variable: string) => ({ variable });
const stripHeads = (ref: string) => ref.replace(/^refs\/heads\//, "");

/**
 * Every CI system `datafold-ci` reads, as data, in the order they are tried; the first active one wins.
 * Adding a CI system is one entry. Each entry's comment names its traps: variables that look right and
 * are not. A base SHA's source says which commit it is; a CI without one gets git's merge base. Each
 * system's documentation of these variables: docs/datafold-facts.md, "CI systems".
 */
export const providerSpecs: readonly ProviderSpec[] = [
  // The PR facts are in the event payload. Never GITHUB_SHA: on pull_request events it is the test merge
  // commit, not the PR head (Datafold's own docs warn against `github.sha`).
  {
    id: "github-actions",
    name: "GitHub Actions",
    withheldSecrets:
      "GitHub Actions passes no secrets to workflows run for pull requests from forks (nor to Dependabot's, which read Dependabot secrets)",
    prBuild: "a workflow run for a pull_request or pull_request_target event",
    active: { variable: "GITHUB_ACTIONS", is: "true" },
    pullRequestWhen: [{ variable: "GITHUB_EVENT_NAME", is: /^pull_request(_target)?$/ }],
    payloadFile: "GITHUB_EVENT_PATH",
    facts: {
      pr_number: [{ payload: "pull_request.number" }, { payload: "number" }],
      pr_branch: [{ payload: "pull_request.head.ref" }, v("GITHUB_HEAD_REF")],
      base_branch: [{ payload: "pull_request.base.ref" }, v("GITHUB_BASE_REF")],
      pr_sha: [{ payload: "pull_request.head.sha" }],
      // The base branch tip as of the event, not the merge base: kept, as Datafold's own docs send it.
      base_sha: [{ payload: "pull_request.base.sha", baseShaKind: "base branch tip" }],
    },
    labels: { pr_number: "pull_request.number in $GITHUB_EVENT_PATH" },
  },
  // The MR number is CI_MERGE_REQUEST_IID (CI_MERGE_REQUEST_ID is instance-wide); in merged-results
  // pipelines CI_COMMIT_SHA is the merge commit, so the source branch SHA wins when set.
  {
    id: "gitlab-ci",
    name: "GitLab CI",
    withheldSecrets:
      "GitLab CI passes protected variables only to pipelines of protected branches and tags, so a merge request pipeline of an unprotected branch gets none",
    prBuild: "a merge request pipeline (CI_PIPELINE_SOURCE=merge_request_event)",
    active: { variable: "GITLAB_CI", is: "true" },
    pullRequestWhen: [
      { variable: "CI_PIPELINE_SOURCE", is: "merge_request_event" },
      v("CI_MERGE_REQUEST_IID"),
    ],
    facts: {
      pr_number: [v("CI_MERGE_REQUEST_IID")],
      pr_branch: [v("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME")],
      base_branch: [v("CI_MERGE_REQUEST_TARGET_BRANCH_NAME")],
      pr_sha: [v("CI_MERGE_REQUEST_SOURCE_BRANCH_SHA"), v("CI_COMMIT_SHA")],
      base_sha: [{ variable: "CI_MERGE_REQUEST_DIFF_BASE_SHA", baseShaKind: "merge base" }],
    },
  },
  // BITBUCKET_PR_DESTINATION_COMMIT may be abbreviated: the resolver expands CI SHAs with git rev-parse.
  {
    id: "bitbucket-pipelines",
    name: "Bitbucket Pipelines",
    withheldSecrets:
      "Bitbucket Pipelines passes no secured variables to pipelines of pull requests from forks, and deployment variables only to steps of that deployment",
    prBuild: "a pull-request pipeline (BITBUCKET_PR_ID set)",
    active: v("BITBUCKET_BUILD_NUMBER"),
    pullRequestWhen: [v("BITBUCKET_PR_ID")],
    facts: {
      pr_number: [v("BITBUCKET_PR_ID")],
      pr_branch: [v("BITBUCKET_BRANCH")],
      base_branch: [v("BITBUCKET_PR_DESTINATION_BRANCH")],
      pr_sha: [v("BITBUCKET_COMMIT")],
      base_sha: [{ variable: "BITBUCKET_PR_DESTINATION_COMMIT", baseShaKind: "base branch tip" }],
    },
  },
  // For GitHub repos PULLREQUESTID is not the PR number (PULLREQUESTNUMBER is, and only GitHub repos set
  // it); branches come as refs/heads/…; BUILD_SOURCEVERSION is the merge commit, the head is SOURCECOMMITID.
  {
    id: "azure-pipelines",
    name: "Azure Pipelines",
    withheldSecrets:
      "Azure Pipelines passes no secret variables to builds of pull requests from forks unless the pipeline's trigger allows it",
    prBuild: "a pull request build (BUILD_REASON=PullRequest)",
    active: { variable: "TF_BUILD", is: /^true$/i },
    pullRequestWhen: [{ variable: "BUILD_REASON", is: "PullRequest" }],
    facts: {
      pr_number: [
        { variable: "SYSTEM_PULLREQUEST_PULLREQUESTNUMBER", note: "(GitHub repos)" },
        {
          variable: "SYSTEM_PULLREQUEST_PULLREQUESTID",
          unless: { variable: "BUILD_REPOSITORY_PROVIDER", is: /^github/i },
        },
      ],
      pr_branch: [{ variable: "SYSTEM_PULLREQUEST_SOURCEBRANCH", transform: stripHeads }],
      base_branch: [{ variable: "SYSTEM_PULLREQUEST_TARGETBRANCH", transform: stripHeads }],
      pr_sha: [v("SYSTEM_PULLREQUEST_SOURCECOMMITID")],
      base_sha: [],
    },
    traps: [
      {
        field: "pr_number",
        when: { variable: "BUILD_REPOSITORY_PROVIDER", is: /^github/i },
        message:
          "SYSTEM_PULLREQUEST_PULLREQUESTNUMBER is not set, and for a GitHub repository SYSTEM_PULLREQUEST_PULLREQUESTID is not the PR number",
      },
    ],
  },
  // CIRCLE_PULL_REQUEST is the PR's URL (the number is its last path segment); CIRCLE_PR_NUMBER exists only
  // for PRs from forks; no variable for the target branch (a flag or DATAFOLD_BASE_BRANCH gives it).
  {
    id: "circleci",
    name: "CircleCI",
    withheldSecrets:
      'CircleCI passes no project variables or contexts to builds of pull requests from forks unless "Pass secrets to builds from forked pull requests" is on',
    prBuild: "a pipeline for a pull request (CIRCLE_PULL_REQUEST set)",
    active: { variable: "CIRCLECI", is: "true" },
    pullRequestWhen: [v("CIRCLE_PULL_REQUEST"), v("CIRCLE_PR_NUMBER")],
    facts: {
      pr_number: [
        {
          variable: "CIRCLE_PULL_REQUEST",
          note: "(the number at the end of the URL)",
          transform: (url) => /\/(\d+)\/?$/.exec(url)?.[1],
        },
        v("CIRCLE_PR_NUMBER"),
      ],
      pr_branch: [v("CIRCLE_BRANCH")],
      base_branch: [],
      pr_sha: [v("CIRCLE_SHA1")],
      base_sha: [],
    },
    traps: [
      {
        field: "pr_number",
        when: v("CIRCLE_PULL_REQUEST"),
        message: (env) => `CIRCLE_PULL_REQUEST "${env.CIRCLE_PULL_REQUEST}" does not end in a PR number`,
      },
    ],
  },
  // Multibranch pipelines (the CHANGE_* variables of the branch-source plugins). GIT_COMMIT is a merge of
  // the PR into its target under the "merge with the target" checkout strategy (mergeCheckout).
  {
    id: "jenkins",
    name: "Jenkins",
    prBuild: "a multibranch pipeline build of a change request (CHANGE_ID set)",
    active: v("JENKINS_URL"),
    pullRequestWhen: [v("CHANGE_ID")],
    facts: {
      pr_number: [v("CHANGE_ID")],
      pr_branch: [v("CHANGE_BRANCH")],
      base_branch: [v("CHANGE_TARGET")],
      pr_sha: [v("GIT_COMMIT")],
      base_sha: [],
    },
    mergeCheckout: true,
  },
  // BUILDKITE_PULL_REQUEST is the string "false" when the build is not for a PR.
  {
    id: "buildkite",
    name: "Buildkite",
    prBuild: "a build for a pull request (BUILDKITE_PULL_REQUEST set to a number)",
    active: { variable: "BUILDKITE", is: "true" },
    pullRequestWhen: [{ variable: "BUILDKITE_PULL_REQUEST", isNot: "false" }],
    facts: {
      pr_number: [v("BUILDKITE_PULL_REQUEST")],
      pr_branch: [v("BUILDKITE_BRANCH")],
      base_branch: [v("BUILDKITE_PULL_REQUEST_BASE_BRANCH")],
      pr_sha: [v("BUILDKITE_COMMIT")],
      base_sha: [],
    },
  },
];

/** Every CI system `datafold-ci` reads, in the order they are tried; the first active one wins. */
export const ciProviders: readonly CiProvider[] = providerSpecs.map(defineProvider);
