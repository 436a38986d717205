import type { OpenApiDocument } from "../codegen/spec-documents.js";
import type { Direction } from "./effects.js";
import { asObject, dereference, refName, resolvePointer } from "../codegen/json-object.js";
import {
  listOperations,
  operationParameters,
  operationRequestBody,
  operationResponses,
} from "../codegen/operations.js";

const SCHEMA_REF_PREFIX = "#/components/schemas/";

/**
 * For each component schema, the directions it travels in: `request` when some operation's parameters
 * or body reach it (through any chain of `$ref`s), `response` when some response does.
 * A schema reached by neither is absent from the map.
 */
export function componentUsage(document: OpenApiDocument): Map<string, Set<Direction>> {
  const usage = new Map<string, Set<Direction>>();
  const visit = (value: unknown, direction: Direction): void => {
    if (typeof value !== "object" || value === null) return;
    const ref = asObject(value).$ref;
    if (typeof ref === "string" && ref.startsWith(SCHEMA_REF_PREFIX)) {
      const name = refName(ref);
      const directions = usage.get(name) ?? new Set();
      usage.set(name, directions);
      if (!directions.has(direction)) {
        directions.add(direction);
        visit(resolvePointer(document, ref), direction);
      }
    }
    for (const child of Object.values(value)) visit(child, direction);
  };

  for (const entry of listOperations(document).values()) {
    for (const parameter of operationParameters(document, entry).values()) visit(parameter, "request");
    visit(operationRequestBody(document, entry), "request");
    for (const response of operationResponses(document, entry).values()) {
      visit(response.content, "response");
      for (const header of Object.values(asObject(response.headers)))
        visit(dereference(document, header).value, "response");
    }
  }
  return usage;
}
