/**
 * `@datafold-ci/spec` (private, bundled into `client` and `testing`): the OpenAPI documents in
 * `spec/` in runtime form, and a validator that answers the way FastAPI's pydantic v2 does.
 * @packageDocumentation
 */
export type * from "./api-description.js";
export { datafoldApi } from "./generated/datafold-api.js";
export { API_KEY_VARIABLES } from "./api-key-variables.js";
export { AUTHORIZATION_KEY_PREFIX } from "./authorization-key-prefix.js";
export { findOperation } from "./find-operation.js";
export { NULL_BODY_STATUSES } from "./null-body-statuses.js";
export { REDACTED, redactSecret } from "./redact-secret.js";
export { schemaNameOf } from "./schema-name-of.js";
export { TRIGGER_OPERATION_ID } from "./trigger-operation-id.js";
export { validate } from "./validate.js";
export { validateStrict } from "./validate-strict.js";
export type { ValidateOptions, ValidationIssue, ValidationResult } from "./validate.js";
