import type {
  ApiDescription,
  OperationDescription,
  ParameterDescription,
} from "@datafold-ci/api-description";
import { type ValidationIssue, validate } from "./validate.js";
import type { RequestParts } from "./request-parts.js";

/** Validated, coerced values by location, e.g. `values.path.ci_config_id === 12`. */
export interface RequestValues {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  header: Record<string, unknown>;
  cookie: Record<string, unknown>;
  body: unknown;
}

/**
 * Validates a request against its operation as FastAPI does: path, query, header and cookie
 * parameters, then the body, all in pydantic's lax mode, every error collected into one list.
 * `body` must not be `invalid-json` or `unreadable`; those are answered before validation.
 */
export function validateRequest(
  api: ApiDescription,
  operation: OperationDescription,
  parts: RequestParts,
): { values: RequestValues; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const values: RequestValues = { path: {}, query: {}, header: {}, cookie: {}, body: undefined };
  for (const location of ["path", "query", "header", "cookie"] as const) {
    for (const parameter of operation.parameters.filter((p) => p.in === location)) {
      const raw = rawParameter(parameter, parts);
      const loc = [location, parameter.name];
      if (raw === undefined) {
        if (parameter.required) issues.push({ type: "missing", loc, msg: "Field required", input: null });
        continue;
      }
      const result = validate(parameter.schema, raw, loc, { mode: "lax", schemas: api.schemas });
      issues.push(...result.issues);
      values[location][parameter.name] = result.value;
    }
  }
  const requestBody = operation.requestBody;
  if (requestBody) {
    const body = parts.body;
    if (body.kind === "absent") {
      if (requestBody.required)
        issues.push({ type: "missing", loc: ["body"], msg: "Field required", input: null });
    } else {
      // FastAPI validates a raw (non-JSON) body as bytes; its error echoes them decoded.
      const input = body.kind === "json" ? body.value : body.kind === "bytes" ? body.text : undefined;
      const result = validate(requestBody.schema, input, ["body"], {
        mode: "lax",
        fromAttributes: true,
        schemas: api.schemas,
      });
      issues.push(...result.issues);
      values.body = result.value;
    }
  }
  return { values, issues };
}

function rawParameter(parameter: ParameterDescription, parts: RequestParts): unknown {
  switch (parameter.in) {
    case "path":
      return parts.pathParams[parameter.name];
    case "query": {
      // FastAPI reads a list parameter with getlist(), a scalar as the last value given.
      const all = parts.query.getAll(parameter.name);
      if (isArraySchema(parameter)) return all.length > 0 ? all : undefined;
      return all.at(-1);
    }
    case "header":
      return parts.headers[parameter.name.toLowerCase()];
    case "cookie":
      return parts.cookies[parameter.name];
  }
}

function isArraySchema(parameter: ParameterDescription): boolean {
  const type = parameter.schema.type;
  return type === "array" || (Array.isArray(type) && type.includes("array"));
}
