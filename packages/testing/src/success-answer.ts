import {
  type ApiDescription,
  type JsonSchema,
  NULL_BODY_STATUSES,
  type OperationDescription,
} from "@datafold-ci/api-description";
import { emptyAnswer, type HttpAnswer, jsonAnswer } from "./http-answer.js";
import { resolveSchema, schemaAllows } from "./schema-facts.js";
import { synthesizeValue } from "./synthesize-value.js";

/**
 * The answer to a valid request: the operation's lowest 2xx response, with its example, or a value
 * synthesised from its schema when it has none.
 */
export function exampleAnswer(api: ApiDescription, operation: OperationDescription): HttpAnswer {
  const { status, example, schema } = successResponse(operation);
  if (NULL_BODY_STATUSES.has(status)) return emptyAnswer(status);
  if (example !== undefined) return jsonAnswer(status, example);
  return jsonAnswer(status, schema ? synthesizeValue(schema, api.schemas) : null);
}

/**
 * The answer to a valid trigger: the success schema with every integer property set to `runId`
 * (`{"ci_run_id": 7, "run_id": 7}`), or, when `runId` is `null`, every nullable one set to `null`:
 * Datafold's "accepted, but no run started".
 */
export function runAnswer(
  api: ApiDescription,
  operation: OperationDescription,
  runId: number | null,
): HttpAnswer {
  const { status, schema } = successResponse(operation);
  const target = schema && resolveSchema(schema, api);
  const value: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(target?.properties ?? {})) {
    if (runId === null && schemaAllows(property, api, "null")) value[name] = null;
    else if (runId !== null && schemaAllows(property, api, "integer")) value[name] = runId;
    else value[name] = synthesizeValue(property, api.schemas);
  }
  return jsonAnswer(status, value);
}

/** The operation's lowest 2xx response (or `default`), with its status, example and schema. */
export function successResponse(operation: OperationDescription): {
  status: number;
  example?: unknown;
  schema?: JsonSchema;
} {
  const codes = Object.keys(operation.responses)
    .filter((code) => /^2(?:\d\d|XX)$/i.test(code))
    .sort();
  const code = codes[0] ?? "default";
  const response = operation.responses[code];
  const status = /^2\d\d$/.test(code) ? Number(code) : 200;
  return {
    status,
    ...(response?.example !== undefined && { example: response.example }),
    ...(response?.schema !== undefined && { schema: response.schema }),
  };
}
