import type { OpenApiDocument } from "./spec-documents.js";

/** Any JSON object in an OpenAPI document (a schema, an operation, a parameter, …). */
export type JsonObject = Record<string, unknown>;

/** `value` when it is a JSON object, else `{}` — absent parts compare as empty. */
export function asObject(value: unknown): JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonObject) : {};
}

/** The target of a local `$ref` such as `#/components/schemas/APIPrDetails`, or `undefined`. */
export function resolvePointer(document: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined; // external refs never occur in spec/ (generate would fail first)
  let node: unknown = document;
  for (const raw of ref.slice(2).split("/")) {
    node = asObject(node)[unescapePointerSegment(raw)];
  }
  return node;
}

/** `application~1json` → `application/json` (JSON Pointer escaping, RFC 6901). */
export function unescapePointerSegment(segment: string): string {
  return segment.replaceAll("~1", "/").replaceAll("~0", "~");
}

/**
 * Follows `$ref` chains; sibling keys next to a `$ref` (allowed in 3.1, e.g. a description) win over the
 * target's. `ref` is the last `$ref` followed, which pairs alternatives by component.
 */
export function dereference(
  document: OpenApiDocument,
  value: unknown,
): { readonly value: JsonObject; readonly ref?: string } {
  let object = asObject(value);
  let ref: string | undefined;
  for (let hops = 0; typeof object.$ref === "string" && hops < 32; hops++) {
    ref = object.$ref;
    const { $ref: _, ...siblings } = object;
    object = { ...asObject(resolvePointer(document, ref)), ...siblings };
  }
  return ref === undefined ? { value: object } : { value: object, ref };
}

/** `#/components/schemas/APIPrDetails` → `APIPrDetails` (the last pointer segment). */
export function refName(ref: string): string {
  return unescapePointerSegment(ref.slice(ref.lastIndexOf("/") + 1));
}
