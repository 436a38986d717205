import { describe, expectTypeOf, it } from "vitest";
import type {
  APIPrDetails,
  HTTPValidationError,
  SubmitCiJob,
  ValidationError,
  components,
  ListCiRunsQuery,
  MethodTypes,
  paths,
  TriggerPrRunBody,
  TriggerPrRunResult,
} from "../src/index.js";

type Trigger = paths["/api/v1/ci/{ci_config_id}/trigger"]["post"];

describe("named aliases", () => {
  it("APIPrDetails is the trigger's JSON request body", () => {
    expectTypeOf<APIPrDetails>().toEqualTypeOf<Trigger["requestBody"]["content"]["application/json"]>();
    // What the CLI and the client rely on; the rest follows the spec, which a spec sync may extend.
    expectTypeOf<APIPrDetails["pr_number"]>().toEqualTypeOf<number>();
    expectTypeOf<APIPrDetails["pr_sha"]>().toEqualTypeOf<string>();
  });

  it("SubmitCiJob is the 200 body, with ids that may be null or absent", () => {
    expectTypeOf<SubmitCiJob>().toEqualTypeOf<Trigger["responses"][200]["content"]["application/json"]>();
    expectTypeOf<SubmitCiJob["ci_run_id"]>().toEqualTypeOf<number | null | undefined>();
    const empty = {};
    expectTypeOf(empty).toExtend<SubmitCiJob>();
  });

  it("HTTPValidationError is the 422 body and ValidationError its items", () => {
    expectTypeOf<HTTPValidationError>().toEqualTypeOf<
      Trigger["responses"][422]["content"]["application/json"]
    >();
    expectTypeOf<NonNullable<HTTPValidationError["detail"]>[number]>().toEqualTypeOf<ValidationError>();
    expectTypeOf<ValidationError["loc"]>().toEqualTypeOf<(string | number)[]>();
  });

  it("names each method's parts after the method, whatever the schemas or operationIds are called", () => {
    expectTypeOf<TriggerPrRunBody>().toEqualTypeOf<APIPrDetails>();
    expectTypeOf<TriggerPrRunResult>().toEqualTypeOf<SubmitCiJob>();
    expectTypeOf<MethodTypes["triggerPrRun"]["body"]>().toEqualTypeOf<APIPrDetails>();
    expectTypeOf<ListCiRunsQuery["limit"]>().toEqualTypeOf<number | undefined>();
  });

  it("the path parameter is an integer, and operations are reached by path, not by operationId", () => {
    expectTypeOf<Trigger["parameters"]["path"]["ci_config_id"]>().toEqualTypeOf<number>();
    // @ts-expect-error FastAPI's operationIds follow handler names; the types do not export them
    type ByOperationId = import("../src/index.js").operations;
    expectTypeOf<components["schemas"]["APIPrDetails"]>().toEqualTypeOf<APIPrDetails>();
  });

  it("a request body missing a required field is rejected", () => {
    // @ts-expect-error base_sha is required
    const body: APIPrDetails = { pr_number: 1, pr_branch: "f", base_branch: "main", pr_sha: "a" };
    expectTypeOf(body).toEqualTypeOf<APIPrDetails>();
  });
});
