import type { ApiCiRun, APIPrDetails, ListCiRunsQuery, SubmitCiJob } from "@datafold-ci/types";
import { describe, expectTypeOf, it } from "vitest";
import { details } from "./helpers/client.js";
import {
  type CallOptions,
  checkInput,
  clientDefaults,
  createDatafoldClient,
  DatafoldApiError,
  type DatafoldClient,
  type DatafoldClientOptions,
  DatafoldError,
  type DatafoldInputError,
  DatafoldRateLimitError,
  type DatafoldTimeoutError,
  DatafoldValidationError,
  type FastApiValidationItem,
  type InputIssue,
  type RetryEvent,
  type StartedRunCheckEvent,
  type TriggerPrRunOptions,
} from "../src/index.js";

const pr = details;

describe("public types", () => {
  it("createDatafoldClient takes optional options and returns a DatafoldClient", () => {
    expectTypeOf(createDatafoldClient).parameters.toEqualTypeOf<[options?: DatafoldClientOptions]>();
    expectTypeOf(createDatafoldClient()).toEqualTypeOf<DatafoldClient>();
    expectTypeOf(clientDefaults.baseUrl).toEqualTypeOf<string | undefined>();
  });

  it("triggerPrRun takes the wire-named PR details and resolves with SubmitCiJob", () => {
    const datafold = createDatafoldClient();
    expectTypeOf(datafold.triggerPrRun(1, pr)).toEqualTypeOf<Promise<SubmitCiJob>>();
    expectTypeOf(datafold.triggerPrRun).parameter(2).toEqualTypeOf<TriggerPrRunOptions | undefined>();
    expectTypeOf<SubmitCiJob["ci_run_id"]>().toEqualTypeOf<number | null | undefined>();
    // @ts-expect-error camelCase is not the wire format
    datafold.triggerPrRun(1, { prNumber: 1, prBranch: "f", baseBranch: "main", prSha: "a", baseSha: "b" });
    // @ts-expect-error pr_number is a number
    datafold.triggerPrRun(1, { ...pr, pr_number: "1" });
    // @ts-expect-error the CI config id is a number
    datafold.triggerPrRun("1", pr);
  });

  it("reads in an editor as the spec names things: numbers, schema names, named query objects", () => {
    const datafold = createDatafoldClient();
    expectTypeOf(datafold.triggerPrRun).parameters.toEqualTypeOf<
      [ciConfigId: number, details: APIPrDetails, options?: TriggerPrRunOptions]
    >();
    expectTypeOf(datafold.listCiRuns).parameters.toEqualTypeOf<
      [ciConfigId: number, query?: ListCiRunsQuery, options?: CallOptions]
    >();
    expectTypeOf(datafold.listCiRuns(1)).toEqualTypeOf<Promise<ApiCiRun[]>>();
    expectTypeOf(datafold.baseUrl).toEqualTypeOf<string>();
    // @ts-expect-error baseUrl is read-only
    datafold.baseUrl = "https://elsewhere.example";
  });

  it("types every option, with exact optional properties", () => {
    expectTypeOf<DatafoldClientOptions>().toEqualTypeOf<{
      apiKey?: string;
      baseUrl?: string;
      timeoutMs?: number;
      totalTimeoutMs?: number;
      maxRetries?: number;
      fetch?: typeof globalThis.fetch;
      headers?: Record<string, string>;
      allowInsecureHttp?: boolean;
      onRetry?: (event: RetryEvent) => void;
      onStartedRunCheck?: (event: StartedRunCheckEvent) => void;
      env?: Readonly<Record<string, string | undefined>>;
      userAgent?: string;
      sources?: { apiKey?: string; baseUrl?: string; allowInsecureHttp?: string };
    }>();
    expectTypeOf<CallOptions>().toEqualTypeOf<{
      signal?: AbortSignal;
      timeoutMs?: number;
      totalTimeoutMs?: number;
      maxRetries?: number;
    }>();
    expectTypeOf<TriggerPrRunOptions>().toMatchTypeOf<CallOptions & { checkForStartedRun?: boolean }>();
    expectTypeOf<RetryEvent["reason"]>().toEqualTypeOf<"connection" | "timeout" | "status">();
  });

  it("checkInput takes a method's name and anything, and returns InputIssue[]", () => {
    expectTypeOf(checkInput("triggerPrRun", 7, {})).toEqualTypeOf<InputIssue[]>();
    // @ts-expect-error not a method of the client
    checkInput("triggerRun", 7, {});
    expectTypeOf<InputIssue>().toEqualTypeOf<{ field: string; message: string }>();
  });

  it("gives errors literal names and typed payloads", () => {
    expectTypeOf<DatafoldInputError["name"]>().toEqualTypeOf<"DatafoldInputError">();
    expectTypeOf<DatafoldTimeoutError["name"]>().toEqualTypeOf<"DatafoldTimeoutError">();
    expectTypeOf<DatafoldInputError["issues"]>().toEqualTypeOf<readonly InputIssue[]>();
    expectTypeOf<DatafoldValidationError["errors"]>().toEqualTypeOf<readonly FastApiValidationItem[]>();
    expectTypeOf<DatafoldApiError["status"]>().toEqualTypeOf<number>();
    expectTypeOf<DatafoldApiError["detail"]>().toEqualTypeOf<unknown>();
    expectTypeOf<DatafoldError["attempts"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<DatafoldRateLimitError["retryAfterMs"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<DatafoldValidationError>().toExtend<DatafoldApiError>();
    expectTypeOf<DatafoldApiError>().toExtend<DatafoldError>();
    expectTypeOf<DatafoldError>().toExtend<Error>();
  });

  it("narrows unknown with instanceof", () => {
    const error: unknown = new DatafoldError("x");
    if (error instanceof DatafoldValidationError)
      expectTypeOf(error.errors).toEqualTypeOf<readonly FastApiValidationItem[]>();
    if (error instanceof DatafoldApiError) expectTypeOf(error.status).toEqualTypeOf<number>();
    if (error instanceof DatafoldRateLimitError)
      expectTypeOf(error.retryAfterMs).toEqualTypeOf<number | undefined>();
    if (error instanceof DatafoldError) expectTypeOf(error).toEqualTypeOf<DatafoldError>();
  });
});
