/**
 * `@datafold-ci/cli`: the `datafold-ci` command, and its CI detection for programs that want the same
 * pull/merge request facts.
 *
 * @example
 * import { detectCi } from "@datafold-ci/cli";
 * const detection = await detectCi({ env: process.env, readFile: (path) => readFile(path, "utf8") });
 * @packageDocumentation
 */
export type { CiContext, CiProvider, CiReading } from "./ci/ci-provider.js";
export { type CiDetection, detectCi } from "./ci/detect-ci.js";
export type { CiFact } from "./ci/provider-spec.js";
export { ciProviders } from "./ci/providers.js";
export { runCli } from "./cli.js";
export { ExitCode } from "./exit-codes.js";
export { createGitRunner, type GitRunnerOptions } from "./git/git-runner.js";
export type {
  BaseShaKind,
  CliOptions,
  Env,
  GitResult,
  GitRunner,
  SourcedValue,
  TextSink,
  ValueSource,
} from "./types.js";
