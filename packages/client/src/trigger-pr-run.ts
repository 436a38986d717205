import { datafoldApi, findOperation, TRIGGER_OPERATION_ID, validateStrict } from "@datafold-ci/spec";
import type { APIPrDetails, paths, SubmitCiJob } from "@datafold-ci/types";
import type { Client } from "openapi-fetch";
import { apiErrorFromResponse } from "./api-error-from-response.js";
import { bodyExcerpt } from "./body-excerpt.js";
import { checkTriggerInput } from "./check-trigger-input.js";
import { DatafoldInputError } from "./errors/datafold-input-error.js";
import { DatafoldInvalidResponseError } from "./errors/datafold-invalid-response-error.js";
import type { TriggerOptions } from "./options.js";
import { PlainRequest } from "./plain-request.js";
import { redactCause, redactSecret } from "./redact.js";
import { checkAttemptOptions, type ClientConfig } from "./resolve-config.js";
import type { ResilientFetchSettings } from "./resilient-fetch.js";
import type { Runtime } from "./runtime.js";

const operation = findOperation(datafoldApi, TRIGGER_OPERATION_ID);

/** What `triggerPrRun` shares with the client that owns it. */
export interface TriggerContext {
  readonly api: Client<paths>;
  readonly config: ClientConfig;
  readonly runtime: Runtime;
  readonly resilientFetch: (
    overrides: Partial<ResilientFetchSettings>,
  ) => (request: Request | PlainRequest) => Promise<Response>;
  /** Whether the call may send a {@link PlainRequest}: no middleware wants a real one. */
  readonly plainRequests: () => boolean;
}

/** `DatafoldClient.triggerPrRun`: validate, send with retries, turn every failure into a thrown error. */
export async function triggerPrRun(
  context: TriggerContext,
  ciConfigId: number,
  details: APIPrDetails,
  options: TriggerOptions = {},
): Promise<SubmitCiJob> {
  const issues = [...checkTriggerInput(ciConfigId, details), ...checkAttemptOptions(options)];
  if (issues.length > 0) throw new DatafoldInputError(issues, "triggerPrRun input");
  options.signal?.throwIfAborted();

  const { config, runtime } = context;
  let attempts = 0;
  let request = `POST ${config.baseUrl}`;
  const { data, error, response } = await context.api.POST("/api/v1/ci/{ci_config_id}/trigger", {
    params: { path: { ci_config_id: ciConfigId } },
    body: details,
    // Parsed here rather than by openapi-fetch, so a non-JSON 2xx becomes a typed error with an excerpt.
    parseAs: "text",
    fetch: context.resilientFetch({
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      ...(options.maxRetries !== undefined && { maxRetries: options.maxRetries }),
      onAttempt: (attempt, sent) => {
        attempts = attempt;
        request = `${sent.method} ${sent.url}`;
      },
    }),
    ...(options.signal && { signal: options.signal }),
    // openapi-fetch only calls `new Request(url, init)` and reads `method`; our fetch takes it from there.
    ...(context.plainRequests() && { Request: PlainRequest as unknown as typeof Request }),
  });
  const { status } = response;
  const secret = config.apiKey;
  if (!response.ok) {
    throw apiErrorFromResponse({
      response,
      body: error,
      attempts,
      request,
      ciConfigId,
      baseUrl: config.baseUrl,
      apiKeySource: config.apiKeySource,
      secret,
      now: runtime.now(),
    });
  }

  const invalid = (problem: string, cause?: unknown) =>
    new DatafoldInvalidResponseError(
      redactSecret(`Datafold answered ${request} with HTTP ${status} but ${problem}`, secret),
      {
        status,
        attempts,
        ...(data && { bodyExcerpt: redactSecret(bodyExcerpt(data), secret) }),
        ...(cause !== undefined && { cause: redactCause(cause, secret) }),
      },
    );
  const notApi = `; is ${config.baseUrl} Datafold's API?`;
  if (!data) throw invalid(`an empty body${notApi}`);
  let job: unknown;
  try {
    job = JSON.parse(data);
  } catch (cause) {
    throw invalid(`a body that is not JSON ("${bodyExcerpt(data).slice(0, 60)}")${notApi}`, cause);
  }
  const schema = operation.responses[String(status)]?.schema;
  const problems = schema ? validateStrict(schema, job, [], datafoldApi.schemas) : [];
  if (problems.length > 0) {
    const listed = problems.map((p) => `${p.loc.join(".") || "body"}: ${p.msg}`).join("; ");
    throw invalid(`a body of the wrong shape (${listed})`);
  }
  // `ci_run_id` null or absent is success: Datafold accepted the call but started no run.
  return job as SubmitCiJob;
}
