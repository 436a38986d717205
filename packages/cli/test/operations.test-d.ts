import type { DatafoldClient } from "@datafold-ci/client";
import { describe, expectTypeOf, it } from "vitest";
import type { AnswerOf, JobAnswer, TriggerAnswer, UploadAnswer } from "../src/core/operations.js";

/** The answer type of the client's method `N` looked up by key, or `Fallback` when this build's client has none. */
type ByKey<N extends string, Fallback> = N extends keyof DatafoldClient
  ? DatafoldClient[N] extends (...args: never[]) => Promise<infer Answer>
    ? Answer
    : never
  : Fallback;

interface Client {
  listThings(id: number, query?: { limit?: number }): Promise<{ id: number }[]>;
  readonly baseUrl: string;
}

describe("the answer of an operation reached by name", () => {
  it("is the method's own answer when the client has it", () => {
    expectTypeOf<AnswerOf<"listThings", "fallback", Client>>().toEqualTypeOf<{ id: number }[]>();
  });

  it("is the fallback when the client has no such method, or it is no method", () => {
    expectTypeOf<AnswerOf<"removedUpstream", "fallback", Client>>().toEqualTypeOf<"fallback">();
    expectTypeOf<AnswerOf<"baseUrl", "fallback", Client>>().toEqualTypeOf<"fallback">();
  });

  it("agrees with the client's own methods, whichever of them this build's spec has", () => {
    expectTypeOf<TriggerAnswer>().toEqualTypeOf<ByKey<"triggerPrRun", JobAnswer>>();
    expectTypeOf<UploadAnswer>().toEqualTypeOf<ByKey<"uploadPrChanges", JobAnswer>>();
  });
});
