import {
  AUTHORIZATION_KEY_PREFIX,
  type ApiDescription,
  type OperationDescription,
  type SecuritySchemeDescription,
} from "@datafold-ci/api-description";
import { detailAnswer, type HttpAnswer } from "./http-answer.js";
import type { RequestParts } from "./request-parts.js";

/** Where credentials can come from. */
export type CredentialSources = Pick<RequestParts, "headers" | "query" | "cookies">;

/**
 * The answer FastAPI's security dependencies give when `operation`'s security requirements are not
 * met, or `undefined` when they are. Missing credentials: 401 "Not authenticated" with
 * `WWW-Authenticate` (FastAPI ≥ 0.122; older versions said 403). Credentials in the wrong format:
 * 401. The wrong key: 403.
 */
export function checkCredentials(
  api: ApiDescription,
  operation: OperationDescription,
  sources: CredentialSources,
  apiKey: string,
): HttpAnswer | undefined {
  let firstFailure: HttpAnswer | undefined;
  // Requirements are alternatives; the schemes inside one must all pass.
  for (const requirement of operation.security) {
    const failure = Object.keys(requirement)
      .map((name) => checkScheme(api.securitySchemes[name], sources, apiKey))
      .find((answer) => answer !== undefined);
    if (!failure) return undefined;
    firstFailure ??= failure;
  }
  return firstFailure;
}

function checkScheme(
  scheme: SecuritySchemeDescription | undefined,
  sources: CredentialSources,
  apiKey: string,
): HttpAnswer | undefined {
  if (scheme?.type === "apiKey" && scheme.name) {
    const name = scheme.name;
    const value =
      scheme.in === "query"
        ? sources.query.get(name)
        : scheme.in === "cookie"
          ? sources.cookies[name]
          : sources.headers[name.toLowerCase()];
    const challenge = { "www-authenticate": "APIKey" };
    if (!value) return detailAnswer(401, "Not authenticated", challenge);
    if (scheme.in === "header" && name.toLowerCase() === "authorization") {
      if (!value.startsWith(AUTHORIZATION_KEY_PREFIX) || value.length === AUTHORIZATION_KEY_PREFIX.length) {
        return detailAnswer(
          401,
          `Invalid Authorization header: expected '${AUTHORIZATION_KEY_PREFIX}<api-key>'`,
          challenge,
        );
      }
      return value.slice(AUTHORIZATION_KEY_PREFIX.length) === apiKey ? undefined : wrongKey();
    }
    return value === apiKey ? undefined : wrongKey();
  }
  if (scheme?.type === "http" && scheme.scheme?.toLowerCase() === "bearer") {
    const [word, token] = splitOnce(sources.headers.authorization ?? "");
    const challenge = { "www-authenticate": "Bearer" };
    if (!word || !token) return detailAnswer(401, "Not authenticated", challenge);
    if (word.toLowerCase() !== "bearer")
      return detailAnswer(401, "Invalid authentication credentials", challenge);
    return token === apiKey ? undefined : wrongKey();
  }
  // Other schemes (basic auth, OAuth flows) are not simulated: anything passes.
  return undefined;
}

function wrongKey(): HttpAnswer {
  // Never echo the key that was sent: it may be someone's real one.
  return detailAnswer(403, "Invalid API key");
}

function splitOnce(value: string): [string, string] {
  const space = value.indexOf(" ");
  return space < 0 ? [value, ""] : [value.slice(0, space), value.slice(space + 1)];
}
