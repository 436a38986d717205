import { redactSecret } from "@datafold-ci/api-description";
import type { ValidationError } from "@datafold-ci/types";
import { bodyExcerpt } from "./body-excerpt.js";
import { DatafoldApiError, type DatafoldApiErrorOptions } from "./errors/datafold-api-error.js";
import { DatafoldAuthError } from "./errors/datafold-auth-error.js";
import { DatafoldNotFoundError } from "./errors/datafold-not-found-error.js";
import { DatafoldRateLimitError } from "./errors/datafold-rate-limit-error.js";
import { DatafoldServerError } from "./errors/datafold-server-error.js";
import { DatafoldValidationError } from "./errors/datafold-validation-error.js";
import { formatDuration } from "./format-duration.js";
import { isRecord } from "./is-record.js";
import { retryAfterMs } from "./retry-after.js";
import { MAX_RETRY_AFTER_MS } from "./retry-policy.js";

/** An error answer and what is needed to explain it. */
export interface FailedCall {
  readonly response: Response;
  /** The body as openapi-fetch hands it over: parsed JSON, the raw text, or `undefined` when empty. */
  readonly body: unknown;
  readonly attempts: number;
  /** What was called, e.g. `POST https://app.datafold.com/api/v1/ci/7/trigger`. */
  readonly request: string;
  /** The path values the call named, for a 404: `the CI config id 7`; empty when it had none. */
  readonly identifiers: string;
  readonly baseUrl: string;
  readonly apiKeySource: string;
  readonly secret: string;
  readonly now: number;
}

/** The error to throw for a non-2xx answer to any operation. */
export function apiErrorFromResponse(call: FailedCall): DatafoldApiError {
  const { response, attempts } = call;
  const { status } = response;
  const body = redactSecret(call.body, call.secret);
  const hasDetail = isRecord(body) && "detail" in body;
  const options: DatafoldApiErrorOptions = {
    status,
    attempts,
    ...(hasDetail
      ? { detail: body.detail }
      : body !== undefined && {
          bodyExcerpt: bodyExcerpt(typeof body === "string" ? body : JSON.stringify(body)),
        }),
  };
  const answer = `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ""}`;
  const said =
    options.detail !== undefined ? describeDetail(options.detail) : options.bodyExcerpt || "(empty body)";
  const tries = attempts > 1 ? ` after ${attempts} attempts` : "";

  if (status === 422) {
    const errors = Array.isArray(options.detail)
      ? (options.detail.filter(isValidationError) as ValidationError[])
      : [];
    const listed = errors.length > 0 ? errors.map((e) => `${e.loc.join(".")}: ${e.msg}`).join("; ") : said;
    return new DatafoldValidationError(
      `Datafold rejected ${call.request} as invalid (${answer}): ${listed}`,
      {
        ...options,
        errors,
      },
    );
  }
  if (status === 401 || status === 403)
    return new DatafoldAuthError(
      `Datafold refused the API key from ${call.apiKeySource} (${answer}: ${said}); check that it is a valid key for ${call.baseUrl}`,
      options,
    );
  if (status === 404)
    return new DatafoldNotFoundError(
      `Datafold answered ${answer} to ${call.request} (${said}): ${call.identifiers || "the path"} may be wrong, or the API key from ${call.apiKeySource} is not one ${call.baseUrl} recognises (Datafold has answered 404 to unrecognised API keys)`,
      options,
    );
  const askedMs = retryAfterMs(response.headers, call.now);
  const tooLong =
    askedMs !== undefined && askedMs > MAX_RETRY_AFTER_MS
      ? `; it asked to wait ${formatDuration(askedMs)} before retrying, longer than the ${formatDuration(MAX_RETRY_AFTER_MS)} this client waits`
      : "";
  if (status === 429)
    return new DatafoldRateLimitError(
      `Datafold is rate limiting requests (${answer}${tries}: ${said})${tooLong}`,
      {
        ...options,
        ...(askedMs !== undefined && { retryAfterMs: askedMs }),
      },
    );
  if (status >= 500)
    return new DatafoldServerError(
      `Datafold, or a gateway in front of it, failed on ${call.request} (${answer}${tries}: ${said})${tooLong}`,
      options,
    );
  return new DatafoldApiError(`Datafold answered ${answer} to ${call.request}${tries}: ${said}`, options);
}

function describeDetail(detail: unknown): string {
  return bodyExcerpt(typeof detail === "string" ? detail : JSON.stringify(detail));
}

function isValidationError(item: unknown): boolean {
  return isRecord(item) && Array.isArray(item.loc) && typeof item.msg === "string";
}
