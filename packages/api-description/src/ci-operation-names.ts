/**
 * The client method names `spec/overrides/datafold-api.yaml` gives the three CI operations this project is
 * built around, each keyed there by its method and path. Code that knows one of them in particular (the
 * testing kit's run state, the client's look before retrying a trigger, the CLI's commands) finds it by
 * this name in the generated table, so an operationId renamed upstream changes nothing.
 */
export const CI_OPERATION_NAMES = {
  /** `POST /api/v1/ci/{ci_config_id}/trigger`: "Trigger a PR/MR run". */
  trigger: "triggerPrRun",
  /** `GET /api/v1/ci/{ci_config_id}/runs`: "List CI runs". */
  listRuns: "listCiRuns",
  /** `POST /api/v1/ci/{ci_config_id}/{pr_num}`: "Upload PR/MR changes". */
  upload: "uploadPrChanges",
} as const;
