import { describe, expect, it } from "vitest";
import { CI_OPERATION_NAMES, datafoldApi, findOperation } from "../src/index.js";

describe("findOperation", () => {
  it("finds each CI operation by the client method name spec/overrides gives it", () => {
    expect(findOperation(datafoldApi, CI_OPERATION_NAMES.trigger)).toMatchObject({
      method: "POST",
      path: "/api/v1/ci/{ci_config_id}/trigger",
    });
    expect(findOperation(datafoldApi, CI_OPERATION_NAMES.listRuns)?.path).toBe(
      "/api/v1/ci/{ci_config_id}/runs",
    );
    expect(findOperation(datafoldApi, CI_OPERATION_NAMES.upload)?.path).toBe(
      "/api/v1/ci/{ci_config_id}/{pr_num}",
    );
  });

  it("answers undefined for a name the table does not have, so the caller can say the operation is gone", () => {
    expect(findOperation(datafoldApi, "gone")).toBeUndefined();
  });
});
