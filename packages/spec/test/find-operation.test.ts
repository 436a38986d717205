import { describe, expect, it } from "vitest";
import { datafoldApi, findOperation } from "../src/index.js";

describe("findOperation", () => {
  it("finds the trigger operation of spec/", () => {
    expect(findOperation(datafoldApi, "trigger_ci_api_v1_ci__ci_config_id__trigger_post")).toMatchObject({
      method: "POST",
      path: "/api/v1/ci/{ci_config_id}/trigger",
    });
  });

  it("says which spec lacks a renamed operation and how to refresh it", () => {
    expect(() => findOperation(datafoldApi, "gone")).toThrow(
      'spec/datafold-api.yaml has no operation "gone". Was it renamed? Run `pnpm generate`.',
    );
  });
});
