import { type JsonSchema, schemaNameOf } from "@datafold-ci/api-description";
import { validate } from "./validate.js";

/** A value of each `format`, valid for pydantic and for the client's checks alike. */
const FORMAT_EXAMPLES: Readonly<Record<string, string>> = {
  "date-time": "2024-01-01T00:00:00Z",
  date: "2024-01-01",
  time: "12:00:00",
  uri: "https://example.org/",
  email: "someone@example.org",
  uuid: "123e4567-e89b-12d3-a456-426614174000",
  password: "secret",
};

/** Strings tried, in turn, against a `pattern` (pydantic's decimal pattern takes the first). */
const PATTERN_CANDIDATES = ["0", "1", "0.5", "x", "a", "A", "abc", "x1", "a-b", "a_b", "2024-01-01", "x@y.z"];

/**
 * A small value that satisfies `schema` and every keyword in it, for operations whose success
 * response has no example: `default` (when it is valid), `const` or the first `enum` value; a
 * discriminated union's first member with its tag; the first non-null member of another union;
 * every declared property of an object; `prefixItems` by position, `minItems` items (distinct ones
 * for `uniqueItems`); numbers within their bounds (1 when unbounded); strings of at least one
 * character (the client refuses blank ones) within their lengths, a valid value of their `format`,
 * and a match of their `pattern`. A recursive `$ref` is cut short with `null`.
 *
 * @throws for a `pattern` none of a few simple candidates matches: the kit must not answer with a
 *   value its own spec refuses (`pnpm generate` runs this for every operation, so it fails there).
 */
export function synthesizeValue(
  schema: JsonSchema,
  schemas: Readonly<Record<string, JsonSchema>>,
  seen: ReadonlySet<string> = new Set(),
  index = 0,
): unknown {
  if (schema.$ref !== undefined) {
    const name = schemaNameOf(schema.$ref);
    const target = schemas[name];
    if (!target || seen.has(name)) return null;
    return synthesizeValue(target, schemas, new Set([...seen, name]), index);
  }
  if (
    schema.default !== undefined &&
    validate(schema, schema.default, [], { mode: "strict", schemas }).issues.length === 0
  )
    return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum && schema.enum.length > 0) return schema.enum[index % schema.enum.length];
  if (schema.allOf?.[0]) return synthesizeValue(schema.allOf[0], schemas, seen, index);
  const union = schema.oneOf ?? schema.anyOf;
  if (union) {
    const member = union.find((m) => m.type !== "null") ?? union[0];
    if (!member) return null;
    const value = synthesizeValue(member, schemas, seen, index);
    const tag = schema.discriminator && tagOf(member, schema.discriminator, schemas);
    // The tag names the member: the member's own schema may not declare it (Datafold's do not always).
    return tag !== undefined && value !== null && typeof value === "object"
      ? { ...value, [schema.discriminator!.propertyName]: tag }
      : value;
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
    case "array": {
      const tuple = schema.prefixItems ?? [];
      const length = Math.max(schema.minItems ?? 0, tuple.length);
      return Array.from({ length }, (_, i) => {
        const item = tuple[i] ?? schema.items;
        // Distinct items, so a set (`uniqueItems`) holds as many as it must.
        return item ? synthesizeValue(item, schemas, seen, i) : i;
      });
    }
    case "string":
      return synthesizeString(schema, index);
    case "integer":
    case "number":
      return synthesizeNumber(schema, type === "integer", index);
    case "boolean":
      return false;
    default:
      return null;
  }
}

function synthesizeString(schema: JsonSchema, index: number): string {
  const format = typeof schema.format === "string" ? FORMAT_EXAMPLES[schema.format] : undefined;
  if (format !== undefined) return format;
  const min = Math.max(schema.minLength ?? 0, 1);
  const max = schema.maxLength ?? Number.POSITIVE_INFINITY;
  const suffix = index === 0 ? "" : String(index);
  const fit = (text: string) => {
    const padded = text.length < min ? text + "x".repeat(min - text.length) : text;
    return padded.length > max ? padded.slice(0, Math.max(max, 0)) : padded;
  };
  if (schema.pattern === undefined) return fit(`x${suffix}`);
  const pattern = new RegExp(schema.pattern, "u");
  const found = [...PATTERN_CANDIDATES.map((c) => c + suffix), ...PATTERN_CANDIDATES]
    .map(fit)
    .find((candidate) => pattern.test(candidate));
  if (found === undefined)
    throw new Error(
      `synthesizeValue: no simple string matches the pattern ${schema.pattern}; give the response an example in the spec.`,
    );
  return found;
}

function synthesizeNumber(schema: JsonSchema, integer: boolean, index: number): number {
  const step = integer ? 1 : 0.5;
  let value = 1 + index;
  if (schema.minimum !== undefined) value = Math.max(value, schema.minimum);
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum)
    value = schema.exclusiveMinimum + step;
  if (schema.maximum !== undefined) value = Math.min(value, schema.maximum);
  if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum)
    value = schema.exclusiveMaximum - step;
  if (integer) value = Math.ceil(value);
  if (schema.multipleOf !== undefined) value = Math.ceil(value / schema.multipleOf) * schema.multipleOf;
  return value;
}

/** The value of the discriminator's property that picks `member`: its `mapping` key, else its own `const` or first `enum`. */
function tagOf(
  member: JsonSchema,
  discriminator: NonNullable<JsonSchema["discriminator"]>,
  schemas: Readonly<Record<string, JsonSchema>>,
): unknown {
  const mapped = Object.entries(discriminator.mapping ?? {}).find(
    ([, target]) => target === member.$ref,
  )?.[0];
  if (mapped !== undefined) return mapped;
  const target = member.$ref === undefined ? member : schemas[schemaNameOf(member.$ref)];
  const property = target?.properties?.[discriminator.propertyName];
  return property?.const ?? property?.enum?.[0];
}
