import { type JsonSchema, schemaNameOf } from "@datafold-ci/api-description";

/**
 * A small value that satisfies `schema`, for operations whose success response has no example:
 * `default`, `const` or the first `enum` value when there is one; `0`, `""`, `false`, `[]`; objects
 * with every declared property; the first non-null member of a union. A recursive `$ref` is cut
 * short with `null`.
 */
export function synthesizeValue(
  schema: JsonSchema,
  schemas: Readonly<Record<string, JsonSchema>>,
  seen: ReadonlySet<string> = new Set(),
): unknown {
  if (schema.$ref !== undefined) {
    const name = schemaNameOf(schema.$ref);
    const target = schemas[name];
    if (!target || seen.has(name)) return null;
    return synthesizeValue(target, schemas, new Set([...seen, name]));
  }
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  if (schema.allOf?.[0]) return synthesizeValue(schema.allOf[0], schemas, seen);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) {
    const member = union.find((m) => m.type !== "null") ?? union[0];
    return member ? synthesizeValue(member, schemas, seen) : null;
  }
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const type = types.find((t) => t !== "null") ?? types[0] ?? (schema.properties ? "object" : undefined);
  switch (type) {
    case "object": {
      const value: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(schema.properties ?? {}))
        value[name] = synthesizeValue(property, schemas, seen);
      return value;
    }
    case "array":
      return Array.from({ length: schema.minItems ?? 0 }, () =>
        schema.items ? synthesizeValue(schema.items, schemas, seen) : null,
      );
    case "string":
      return "x".repeat(schema.minLength ?? 0);
    case "integer":
    case "number":
      return schema.minimum ?? (schema.exclusiveMinimum === undefined ? 0 : schema.exclusiveMinimum + 1);
    case "boolean":
      return false;
    default:
      return null;
  }
}
