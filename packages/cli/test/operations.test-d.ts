import type { ApiCiRun, SubmitCiJob } from "@datafold-ci/client";
import { describe, expectTypeOf, it } from "vitest";
import type { AnswerOf, ListedRun, TriggerAnswer, UploadAnswer } from "../src/core/operations.js";

describe("the answers of operations reached by name", () => {
  it("are the client's own types when this build has the operation", () => {
    expectTypeOf<TriggerAnswer>().toEqualTypeOf<SubmitCiJob>();
    expectTypeOf<UploadAnswer>().toEqualTypeOf<SubmitCiJob>();
    expectTypeOf<ListedRun>().toEqualTypeOf<ApiCiRun>();
  });

  it("fall back to what the CLI reads when it does not", () => {
    expectTypeOf<AnswerOf<"getNothingByName", { readonly ci_run_id?: number | null }>>().toEqualTypeOf<{
      readonly ci_run_id?: number | null;
    }>();
  });
});
