import type { OpenApiDocument } from "./spec-documents.js";
import { asObject, dereference, type JsonObject } from "./json-object.js";

/** The HTTP methods a path item may hold an operation under. */
export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** One operation of a document, found under `paths`. */
export interface OperationEntry {
  /** `POST /api/v1/ci/{ci_config_id}/trigger`: what identifies an operation on the wire. */
  readonly key: string;
  readonly path: string;
  readonly method: (typeof HTTP_METHODS)[number];
  readonly operation: JsonObject;
  readonly pathItem: JsonObject;
}

/** Every operation of a document, keyed by `METHOD /path`. */
export function listOperations(document: OpenApiDocument): Map<string, OperationEntry> {
  const operations = new Map<string, OperationEntry>();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    const pathItem = dereference(document, item).value;
    for (const method of HTTP_METHODS) {
      if (pathItem[method] === undefined) continue;
      const key = `${method.toUpperCase()} ${path}`;
      operations.set(key, { key, path, method, operation: asObject(pathItem[method]), pathItem });
    }
  }
  return operations;
}

/**
 * The parameters an operation takes, dereferenced, keyed by `in` and `name` (`query limit`):
 * path-item parameters apply unless the operation redefines the same one.
 */
export function operationParameters(
  document: OpenApiDocument,
  entry: OperationEntry,
): Map<string, JsonObject> {
  const parameters = new Map<string, JsonObject>();
  for (const raw of [entry.pathItem.parameters, entry.operation.parameters].flatMap((p) =>
    Array.isArray(p) ? p : [],
  )) {
    const parameter = dereference(document, raw).value;
    parameters.set(`${String(parameter.in)} ${String(parameter.name)}`, parameter);
  }
  return parameters;
}

/** The operation's request body, dereferenced, or `undefined` when it takes none. */
export function operationRequestBody(
  document: OpenApiDocument,
  entry: OperationEntry,
): JsonObject | undefined {
  return entry.operation.requestBody === undefined
    ? undefined
    : dereference(document, entry.operation.requestBody).value;
}

/** The operation's responses by status code (`200`, `4XX`, `default`), dereferenced. */
export function operationResponses(
  document: OpenApiDocument,
  entry: OperationEntry,
): Map<string, JsonObject> {
  return new Map(
    Object.entries(asObject(entry.operation.responses)).map(([status, response]) => [
      status,
      dereference(document, response).value,
    ]),
  );
}
