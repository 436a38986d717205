import type { OpenApiDocument } from "../codegen/spec-documents.js";
import { asObject, dereference, type JsonObject } from "../codegen/json-object.js";

/** A JSON type a value can have; `any` when a schema says nothing about the type. */
export type Kind = "any" | "null" | "boolean" | "integer" | "number" | "string" | "array" | "object";

/** One alternative of a schema, with a single kind: `integer | null` is two variants. */
export interface Variant {
  readonly kind: Kind;
  /** The (dereferenced, allOf-merged) schema the variant came from. */
  readonly schema: JsonObject;
  /** The component it came from, when it was a `$ref`; pairs alternatives by name. */
  readonly ref?: string;
}

/**
 * Rewrites a schema as a flat list of single-kind variants, so the spellings of the same set of values
 * compare equal: `type: [integer, "null"]`, `anyOf: [{type: integer}, {type: "null"}]` (pydantic v2),
 * and 3.0's `nullable: true` all become `integer` + `null`.
 */
export function variantsOf(document: OpenApiDocument, schema: unknown): Variant[] {
  const { value, ref } = dereference(document, schema);
  const merged = Array.isArray(value.allOf) ? mergeAllOf(document, value) : value;
  const alternatives = [...asArray(merged.anyOf), ...asArray(merged.oneOf)];
  if (alternatives.length > 0) return alternatives.flatMap((member) => variantsOf(document, member));

  const kinds = declaredKinds(merged) ?? inferredKinds(merged);
  const variants: Variant[] = kinds.map((kind) =>
    ref === undefined ? { kind, schema: merged } : { kind, schema: merged, ref },
  );
  if (merged.nullable === true && !kinds.includes("null")) variants.push({ kind: "null", schema: {} });
  return variants;
}

/** The kind of a JSON value (for `enum` and `const`). */
export function kindOfValue(value: unknown): Kind {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  switch (typeof value) {
    case "number":
      return Number.isInteger(value) ? "integer" : "number";
    case "string":
      return "string";
    case "boolean":
      return "boolean";
    case "object":
      return "object";
    default:
      return "any";
  }
}

/** `a` accepts every value of kind `b`: the same kind, `any`, or `number` for `integer`. */
export function kindCovers(a: Kind, b: Kind): boolean {
  return a === b || a === "any" || (a === "number" && b === "integer");
}

function declaredKinds(schema: JsonObject): Kind[] | undefined {
  if (typeof schema.type === "string") return [schema.type as Kind];
  if (Array.isArray(schema.type)) return schema.type as Kind[];
  return undefined;
}

function inferredKinds(schema: JsonObject): Kind[] {
  if ("const" in schema) return [kindOfValue(schema.const)];
  if (Array.isArray(schema.enum)) return [...new Set(schema.enum.map(kindOfValue))];
  if ("properties" in schema || "additionalProperties" in schema) return ["object"];
  if ("items" in schema) return ["array"];
  return ["any"];
}

// FastAPI emits `allOf: [{$ref}]` to hang a description on a reference; merging object members covers
// that and the rarer `allOf` of several objects.
function mergeAllOf(document: OpenApiDocument, schema: JsonObject): JsonObject {
  const { allOf, ...own } = schema;
  const parts = [
    ...asArray(allOf).map((member) => {
      const part = dereference(document, member).value;
      return Array.isArray(part.allOf) ? mergeAllOf(document, part) : part;
    }),
    own,
  ];
  const merged: JsonObject = Object.assign({}, ...parts);
  const properties = parts.filter((p) => "properties" in p).map((p) => asObject(p.properties));
  if (properties.length > 0) merged.properties = Object.assign({}, ...properties);
  const required = parts.flatMap((p) => asArray(p.required));
  if (required.length > 0) merged.required = [...new Set(required)];
  return merged;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
