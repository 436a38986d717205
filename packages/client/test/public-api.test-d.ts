import type { APIPrDetails, paths, SubmitCiJob, ValidationError } from "@datafold-ci/types";
import type { Client } from "openapi-fetch";
import { describe, expectTypeOf, it } from "vitest";
import {
  type CallOptions,
  checkTriggerInput,
  createDatafoldClient,
  type DatafoldApiError,
  type DatafoldClient,
  type DatafoldClientOptions,
  DatafoldError,
  type DatafoldInputError,
  type DatafoldRateLimitError,
  type DatafoldTimeoutError,
  type DatafoldValidationError,
  DEFAULT_BASE_URL,
  type InputIssue,
  isDatafoldApiError,
  isDatafoldError,
  isDatafoldRateLimitError,
  isDatafoldValidationError,
  type RetryEvent,
  type StartedRunCheckEvent,
  type TriggerOptions,
} from "../src/index.js";

const pr: APIPrDetails = { pr_number: 1, pr_branch: "f", base_branch: "main", pr_sha: "a", base_sha: "b" };

describe("public types", () => {
  it("createDatafoldClient takes optional options and returns a DatafoldClient", () => {
    expectTypeOf(createDatafoldClient).parameters.toEqualTypeOf<[options?: DatafoldClientOptions]>();
    expectTypeOf(createDatafoldClient()).toEqualTypeOf<DatafoldClient>();
    expectTypeOf(DEFAULT_BASE_URL).toEqualTypeOf<string>();
  });

  it("triggerPrRun takes the wire-named PR details and resolves with SubmitCiJob", () => {
    const datafold = createDatafoldClient();
    expectTypeOf(datafold.triggerPrRun(1, pr)).toEqualTypeOf<Promise<SubmitCiJob>>();
    expectTypeOf(datafold.triggerPrRun).parameter(2).toEqualTypeOf<TriggerOptions | undefined>();
    expectTypeOf<SubmitCiJob["ci_run_id"]>().toEqualTypeOf<number | null | undefined>();
    // @ts-expect-error camelCase is not the wire format
    datafold.triggerPrRun(1, { prNumber: 1, prBranch: "f", baseBranch: "main", prSha: "a", baseSha: "b" });
    // @ts-expect-error pr_number is a number
    datafold.triggerPrRun(1, { ...pr, pr_number: "1" });
    // @ts-expect-error the CI config id is a number
    datafold.triggerPrRun("1", pr);
  });

  it("exposes the openapi-fetch client over the generated paths, read-only", () => {
    const datafold = createDatafoldClient();
    expectTypeOf(datafold.api).toEqualTypeOf<Client<paths>>();
    expectTypeOf(datafold.baseUrl).toEqualTypeOf<string>();
    // @ts-expect-error api is read-only
    datafold.api = createDatafoldClient().api;
  });

  it("types every option, with exact optional properties", () => {
    expectTypeOf<DatafoldClientOptions>().toEqualTypeOf<{
      apiKey?: string;
      baseUrl?: string;
      timeoutMs?: number;
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
      maxRetries?: number;
    }>();
    expectTypeOf<TriggerOptions>().toEqualTypeOf<{
      signal?: AbortSignal;
      timeoutMs?: number;
      maxRetries?: number;
      checkForStartedRun?: boolean;
    }>();
    expectTypeOf<RetryEvent["reason"]>().toEqualTypeOf<"connection" | "timeout" | "status">();
  });

  it("checkTriggerInput takes anything and returns InputIssue[]", () => {
    expectTypeOf(checkTriggerInput).toEqualTypeOf<(ciConfigId: unknown, details: unknown) => InputIssue[]>();
    expectTypeOf<InputIssue>().toEqualTypeOf<{ field: string; message: string }>();
  });

  it("gives errors literal names and typed payloads", () => {
    expectTypeOf<DatafoldInputError["name"]>().toEqualTypeOf<"DatafoldInputError">();
    expectTypeOf<DatafoldTimeoutError["name"]>().toEqualTypeOf<"DatafoldTimeoutError">();
    expectTypeOf<DatafoldInputError["issues"]>().toEqualTypeOf<readonly InputIssue[]>();
    expectTypeOf<DatafoldValidationError["errors"]>().toEqualTypeOf<readonly ValidationError[]>();
    expectTypeOf<DatafoldApiError["status"]>().toEqualTypeOf<number>();
    expectTypeOf<DatafoldApiError["detail"]>().toEqualTypeOf<unknown>();
    expectTypeOf<DatafoldError["attempts"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<DatafoldRateLimitError["retryAfterMs"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<DatafoldValidationError>().toExtend<DatafoldApiError>();
    expectTypeOf<DatafoldApiError>().toExtend<DatafoldError>();
    expectTypeOf<DatafoldError>().toExtend<Error>();
  });

  it("has guards that narrow unknown", () => {
    const error: unknown = new DatafoldError("x");
    if (isDatafoldValidationError(error))
      expectTypeOf(error.errors).toEqualTypeOf<readonly ValidationError[]>();
    if (isDatafoldApiError(error)) expectTypeOf(error.status).toEqualTypeOf<number>();
    if (isDatafoldRateLimitError(error)) expectTypeOf(error.retryAfterMs).toEqualTypeOf<number | undefined>();
    if (isDatafoldError(error)) expectTypeOf(error).toEqualTypeOf<DatafoldError>();
  });
});
