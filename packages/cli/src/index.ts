/**
 * `@datafold-ci/cli`: the `datafold-ci` command, and its CI detection for programs that want the same
 * pull/merge request facts.
 *
 * @example
 * import { detectCi } from "@datafold-ci/cli";
 * const detection = await detectCi({ env: process.env, readFile: (path) => readFile(path, "utf8") });
 * @packageDocumentation
 */
export type { BaseShaKind } from "./base-sha-kind.js";
export type { CiContext, CiProvider, CiReading, Env } from "./ci/ci-provider.js";
export { type CiDetection, detectCi } from "./ci/detect-ci.js";
export { ciProviders } from "./ci/providers.js";
export { runCli } from "./cli.js";
export type { CliOptions } from "./cli-options.js";
export { ExitCode } from "./exit-codes.js";
export { createGitRunner, type GitResult, type GitRunner, type GitRunnerOptions } from "./git/git-runner.js";
export type { TextSink } from "./output.js";
export type { PrField } from "./pr-fields.js";
export type { SourcedValue, ValueSource } from "./value-source.js";
