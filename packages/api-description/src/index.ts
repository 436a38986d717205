/**
 * `@datafold-ci/api-description` (private, bundled into `client`, `cli` and `testing`): Datafold's API as
 * the packages use it at run time: each document of `spec/` as an operation table, with the validators
 * `pnpm generate` compiles from it, and the facts client, CLI and kit share.
 * @packageDocumentation
 */
export type * from "./api-description.js";
export { datafoldApi } from "./generated/datafold-api.js";
export { datafoldApiSentences, datafoldApiValidators } from "./generated/datafold-api.validators.js";
export { FORMAT_CHECKS, FORMAT_DESCRIPTIONS, type FormatName } from "./formats.js";
export { otherSentence, type Sentence } from "./sentences.js";
export type * from "./validators.js";
export { API_KEY_VARIABLES } from "./api-key-variables.js";
export { AUTHORIZATION_KEY_PREFIX } from "./authorization-key-prefix.js";
export { CI_OPERATION_NAMES } from "./ci-operation-names.js";
export { editDistance } from "./edit-distance.js";
export { type ChainLink, errorChain } from "./error-chain.js";
export { findOperation } from "./find-operation.js";
export { NULL_BODY_STATUSES } from "./null-body-statuses.js";
export { REDACTED, redactSecret } from "./redact-secret.js";
export { schemaNameOf } from "./schema-name-of.js";
export { TERMINAL_RUN_STATUSES } from "./terminal-run-statuses.js";
