/**
 * The operationId of "Trigger a PR/MR run", the operation this project is built around: the client's
 * `triggerPrRun` calls it and the testing kit starts runs for it. Looked up with `findOperation`, so a
 * rename in spec/ fails the tests rather than a user's request.
 */
export const TRIGGER_OPERATION_ID = "trigger_ci_api_v1_ci__ci_config_id__trigger_post";
