import type { JsonObject } from "./json-object.js";

/**
 * Keywords of JSON Schema (any draft) and of OpenAPI that constrain a value. A validator that skips
 * one of these passes values it should refuse, so `pnpm generate` fails for a schema that uses one its
 * validator cannot check. Every other keyword is an annotation (`title`, `default`, `writeOnly`,
 * Datafold's own `section` and `widget`, …) and is ignored.
 */
export const ASSERTION_KEYWORDS: ReadonlySet<string> = new Set([
  "type",
  "enum",
  "const",
  "multipleOf",
  "maximum",
  "exclusiveMaximum",
  "minimum",
  "exclusiveMinimum",
  "maxLength",
  "minLength",
  "pattern",
  "format",
  "maxItems",
  "minItems",
  "uniqueItems",
  "maxContains",
  "minContains",
  "maxProperties",
  "minProperties",
  "required",
  "dependentRequired",
  "allOf",
  "anyOf",
  "oneOf",
  "not",
  "if",
  "then",
  "else",
  "dependentSchemas",
  "prefixItems",
  "items",
  "contains",
  "properties",
  "patternProperties",
  "additionalProperties",
  "propertyNames",
  "unevaluatedItems",
  "unevaluatedProperties",
  "$ref",
  "$dynamicRef",
  // Older drafts, and OpenAPI's own.
  "additionalItems",
  "dependencies",
  "$recursiveRef",
  "discriminator",
  "nullable",
]);

/** Keywords whose value is a map of subschemas. */
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "dependentSchemas", "$defs", "definitions"]);
/** Keywords whose value is a list of subschemas. */
const SCHEMA_LISTS = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
/** Keywords whose value is one subschema. */
const SCHEMA_VALUES = new Set([
  "items",
  "additionalItems",
  "additionalProperties",
  "not",
  "if",
  "then",
  "else",
  "contains",
  "propertyNames",
  "unevaluatedItems",
  "unevaluatedProperties",
]);

/**
 * Calls `visit` for `schema` and each subschema in it (not following `$ref`s), with its JSON Pointer
 * from `schema`. Data keywords (`enum`, `const`, `default`, `examples`) are not walked into.
 */
export function forEachSubschema(
  schema: unknown,
  visit: (schema: JsonObject, pointer: string) => void,
  pointer = "",
): void {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return;
  const object = schema as JsonObject;
  visit(object, pointer);
  for (const [key, value] of Object.entries(object)) {
    const at = `${pointer}/${key}`;
    if (SCHEMA_MAPS.has(key) && value !== null && typeof value === "object")
      for (const [name, sub] of Object.entries(value))
        forEachSubschema(sub, visit, `${at}/${escapePointer(name)}`);
    else if (SCHEMA_LISTS.has(key) && Array.isArray(value))
      for (const [index, sub] of value.entries()) forEachSubschema(sub, visit, `${at}/${index}`);
    else if (SCHEMA_VALUES.has(key)) forEachSubschema(value, visit, at);
  }
}

function escapePointer(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** One schema of a document as validators see it: a component, or an operation's inline schema. */
export interface NamedSchema {
  /** `APIPrDetails`, or `POST /api/v1/ci/{ci_config_id}/trigger request body`. */
  readonly name: string;
  readonly schema: unknown;
}

/**
 * Throws for the first assertion keyword in `schemas` that `supported` lacks, naming the schema, the
 * keyword, where in the schema it sits, and the file: a spec must not build a validator that lets
 * through what it should refuse, and a call must never be the first to find out.
 */
export function assertKeywordsSupported(
  file: string,
  schemas: readonly NamedSchema[],
  supported: ReadonlySet<string>,
  validator: string,
  formats?: ReadonlySet<string>,
): void {
  for (const { name, schema } of schemas)
    forEachSubschema(schema, (subschema, pointer) => {
      const at = `${file}: schema "${name}"${pointer ? ` (at ${pointer})` : ""}`;
      for (const keyword of Object.keys(subschema))
        if (ASSERTION_KEYWORDS.has(keyword) && !supported.has(keyword))
          throw new Error(
            `${at} uses "${keyword}", an assertion keyword ${validator} cannot check. Supported: ${[...supported].sort().join(", ")}.`,
          );
      const format = subschema.format;
      if (formats && typeof format === "string" && !formats.has(format))
        throw new Error(
          `${at} uses format "${format}", which ${validator} cannot check. Supported: ${[...formats].sort().join(", ")}.`,
        );
    });
}
