import { type ApiDescription, type OperationDescription, redactSecret } from "@datafold-ci/api-description";
import type { paths } from "@datafold-ci/types";
import type { Client } from "openapi-fetch";
import { apiErrorFromResponse } from "./api-error-from-response.js";
import { bodyExcerpt } from "./body-excerpt.js";
import { checkResponse } from "./check-arguments.js";
import { checkMethodInput } from "./check-trigger-input.js";
import { DatafoldInputError } from "./errors/datafold-input-error.js";
import { DatafoldInvalidResponseError } from "./errors/datafold-invalid-response-error.js";
import type { CallOptions } from "./options.js";
import { redactCause } from "./redact-cause.js";
import { checkAttemptOptions, type ClientConfig } from "./resolve-config.js";
import type { ResilientFetchSettings } from "./resilient-fetch.js";
import type { Runtime } from "./runtime.js";

/** What every method shares with the client that owns it. */
export interface CallContext {
  readonly api: Client<paths>;
  readonly description: ApiDescription;
  readonly config: ClientConfig;
  readonly runtime: Runtime;
  readonly resilientFetch: (
    overrides: Partial<ResilientFetchSettings>,
  ) => (request: Request) => Promise<Response>;
}

/**
 * What an operation that is not safe to repeat adds to the retry loop (issue 11: the trigger): which
 * statuses it retries, and, prepared once per call before its first attempt, the look to take
 * before retrying a failure that may have taken effect. `undefined`: retry as any operation does.
 */
export interface RetryGuard {
  readonly retryableStatuses?: readonly number[];
  prepare(
    args: readonly unknown[],
    options: CallOptions,
  ): Promise<ResilientFetchSettings["beforeAmbiguousRetry"] | undefined>;
}

/** openapi-fetch's `request(method, path, init)`, for a path and method known only at run time. */
type UntypedRequest = (
  method: string,
  path: string,
  init: Record<string, unknown>,
) => Promise<{ data?: string; error?: unknown; response: Response }>;

/**
 * One client method, any operation: validate every argument and send nothing when one is bad;
 * send with auth, timeouts and retries; turn an error answer into a typed error; parse the
 * success body and check it against the spec. The method's shape (which argument is what) comes
 * from `operation.clientMethod`, generated from the spec.
 */
export function createOperationCall(
  context: CallContext,
  operation: OperationDescription,
  guard?: RetryGuard,
): (...args: unknown[]) => Promise<unknown> {
  const layout = operation.clientMethod.arguments;
  const name = operation.clientMethod.name;
  const success = Object.keys(operation.responses).filter((status) => /^2\d\d$/.test(status));
  return async (...args) => {
    const options = (args[layout.length] ?? {}) as CallOptions;
    const issues = [...checkMethodInput(name, args.slice(0, layout.length)), ...checkAttemptOptions(options)];
    if (issues.length > 0) throw new DatafoldInputError(issues, `${name} input`);
    options.signal?.throwIfAborted();

    const path: Record<string, unknown> = {};
    let query: unknown;
    let body: unknown;
    layout.forEach((argument, index) => {
      if (argument.in === "path") path[argument.parameter] = args[index];
      else if (argument.in === "query") query = args[index];
      else body = args[index];
    });

    const beforeAmbiguousRetry = await guard?.prepare(args.slice(0, layout.length), options);
    const { config, runtime } = context;
    let attempts = 0;
    let request = `${operation.method} ${config.baseUrl}`;
    const { data, error, response } = await (context.api.request as unknown as UntypedRequest)(
      operation.method,
      operation.path,
      {
        params: { path, ...(query !== undefined && { query }) },
        ...(body !== undefined && { body }),
        // Parsed here rather than by openapi-fetch, so a non-JSON 2xx becomes a typed error with an excerpt.
        parseAs: "text",
        fetch: context.resilientFetch({
          ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
          ...(options.maxRetries !== undefined && { maxRetries: options.maxRetries }),
          ...(guard?.retryableStatuses && { retryableStatuses: guard.retryableStatuses }),
          ...(beforeAmbiguousRetry && { beforeAmbiguousRetry }),
          onAttempt: (attempt, sent) => {
            attempts = attempt;
            request = `${sent.method} ${sent.url}`;
          },
        }),
        ...(options.signal && { signal: options.signal }),
      },
    );
    const { status } = response;
    const secret = config.apiKey;
    if (!response.ok) {
      throw apiErrorFromResponse({
        response,
        body: error,
        attempts,
        request,
        identifiers: describeIdentifiers(operation, path),
        baseUrl: config.baseUrl,
        apiKeySource: config.apiKeySource,
        secret,
        now: runtime.now(),
      });
    }

    const schema = operation.responses[String(status)]?.schema;
    if (schema === undefined && success.every((s) => operation.responses[s]?.schema === undefined))
      return undefined; // the spec promises no body (a 204, say)
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
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch (cause) {
      throw invalid(`a body that is not JSON ("${bodyExcerpt(data).slice(0, 60)}")${notApi}`, cause);
    }
    const problems = checkResponse(name, status, parsed);
    if (problems.length > 0) {
      const listed = problems.slice(0, 5).join("; ");
      const more = problems.length > 5 ? `; and ${problems.length - 5} more` : "";
      throw invalid(`a body of the wrong shape (${listed}${more})`);
    }
    return parsed;
  };
}

/** "the CI config id 7 or the Pull request/Merge request number 12", from the spec's titles. */
function describeIdentifiers(operation: OperationDescription, path: Record<string, unknown>): string {
  return operation.parameters
    .filter((p) => p.in === "path")
    .map((p) => `the ${p.schema.title ?? p.name} ${String(path[p.name])}`)
    .join(" or ");
}
