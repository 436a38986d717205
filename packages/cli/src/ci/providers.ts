import { azurePipelines } from "./azure-pipelines.js";
import { bitbucketPipelines } from "./bitbucket-pipelines.js";
import { buildkite } from "./buildkite.js";
import type { CiProvider } from "./ci-provider.js";
import { circleci } from "./circleci.js";
import { githubActions } from "./github-actions.js";
import { gitlabCi } from "./gitlab-ci.js";
import { jenkins } from "./jenkins.js";

/** Every CI system `datafold-ci` reads, in the order they are tried; the first active one wins. */
export const ciProviders: readonly CiProvider[] = [
  githubActions,
  gitlabCi,
  bitbucketPipelines,
  azurePipelines,
  circleci,
  jenkins,
  buildkite,
];
