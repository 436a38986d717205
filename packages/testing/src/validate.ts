import { type JsonSchema, type JsonSchemaType, schemaNameOf } from "@datafold-ci/api-description";
import { FORMAT_CHECKERS } from "./pydantic-formats.js";
import {
  type ValidationIssue,
  type CheckContext,
  type CheckExtension,
  CORE,
  check,
  checkNumber,
  type Loc,
  objectTypeIssue,
} from "./validate-core.js";

/** The result of validating one value. `value` is the coerced value when `issues` is empty. */
export interface ValidationResult {
  readonly value: unknown;
  readonly issues: readonly ValidationIssue[];
}

/** How strictly values are read. */
export interface ValidateOptions {
  /**
   * `lax` follows pydantic v2's lax mode, as a FastAPI server applies it to parsed JSON and to
   * path and query strings (`"12"` is accepted for an integer). `strict` accepts only values of
   * the exact JSON type, as a typed client should before sending anything.
   * @default "lax"
   */
  readonly mode?: "lax" | "strict";
  /**
   * Validate as pydantic does with `from_attributes=True`, which FastAPI passes for every request
   * body: a non-object where a model is expected is then `model_attributes_type` ("Input should be
   * a valid dictionary or object to extract fields from") rather than `model_type`.
   * @default false
   */
  readonly fromAttributes?: boolean;
  /** `components.schemas`, for resolving `$ref`s. */
  readonly schemas: Readonly<Record<string, JsonSchema>>;
}

/**
 * Validates `value` against `schema` as pydantic v2 does, and returns every issue found, with `loc`
 * starting at `loc`. Covers every keyword FastAPI emits (EMULATED_KEYWORDS lists them, and `pnpm
 * generate` refuses a spec that uses another): `type`, `properties`/`required`/`additionalProperties`,
 * `items`, `prefixItems` (a tuple), `uniqueItems` (a set: duplicates are removed), list and string
 * lengths, number bounds and `multipleOf`, `pattern`, `format` (datetime, date, time, URL, email,
 * UUID, secret), `enum` (an Enum class) and `const` (a Literal), `anyOf`/`oneOf` (smart unions),
 * `discriminator` (tagged unions), `allOf`, `nullable`, `$ref`.
 *
 * @example
 * validate(datafoldApi.schemas.APIPrDetails!, body, ["body"], { schemas: datafoldApi.schemas })
 */
export function validate(
  schema: JsonSchema,
  value: unknown,
  loc: readonly (string | number)[],
  options: ValidateOptions,
): ValidationResult {
  const issues: ValidationIssue[] = [];
  const context: CheckContext = {
    fromAttributes: options.fromAttributes ?? false,
    schemas: options.schemas,
    extension: options.mode === "strict" ? strictExtension : laxExtension,
  };
  const coerced = check(schema, value, loc, context, issues);
  return { value: coerced, issues };
}

/** Everything beyond validateStrict's core, in one mode: the rest of JSON Schema, and lax reading. */
function extension(lax: boolean): CheckExtension {
  return {
    check(schema, value, loc, ctx, out, componentName) {
      if (schema.allOf) {
        let current = value;
        for (const part of schema.allOf) current = check(part, current, loc, ctx, out, componentName);
        return current;
      }
      const members = schema.oneOf ?? schema.anyOf;
      if (members && schema.discriminator) return checkTagged(schema, members, value, loc, ctx, out);
      if (members) return CORE;
      if (schema.nullable === true && value === null) return null;
      if (schema.const !== undefined) {
        if (!deepEqual(schema.const, value))
          out.push(choiceIssue("literal_error", [schema.const], value, loc));
        return value;
      }
      if (schema.enum) {
        // pydantic emits Enum classes as named components and Literal[...] inline; their errors differ.
        if (!schema.enum.some((allowed) => deepEqual(allowed, value)))
          out.push(choiceIssue(componentName ? "enum" : "literal_error", schema.enum, value, loc));
        return value;
      }
      const format = typeof schema.format === "string" ? FORMAT_CHECKERS[schema.format] : undefined;
      if (format) {
        // In strict mode (a smart union's first pass) a string is not yet a datetime, a URL, …: pydantic
        // tries the exact `str` member first.
        const issue = lax
          ? format(value)
          : { type: `${schema.format}_type`, msg: "Input should be of the format's own type" };
        if (issue) {
          out.push({ ...issue, loc, input: value });
          return value;
        }
        if (typeof value === "string") checkStringBounds(schema, value, loc, out);
        return value;
      }
      const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
      if (types.length > 1)
        return check({ anyOf: types.map((type) => ({ ...schema, type })) }, value, loc, ctx, out);
      switch (types[0] as JsonSchemaType | undefined) {
        case "array":
          if (schema.prefixItems) return checkTuple(schema, schema.prefixItems, value, loc, ctx, out);
          return checkArray(schema, value, loc, ctx, out);
        case "string":
          if (typeof value === "string") checkStringBounds(schema, value, loc, out);
          return CORE;
        case "integer":
          return checkNumberBounds(schema, value, loc, out, true, lax);
        case "number":
          return checkNumberBounds(schema, value, loc, out, false, lax);
        case "boolean":
          return lax ? checkLaxBoolean(value, loc, out) : CORE;
        default:
          return CORE;
      }
    },
    exactMember(members, value, loc, ctx) {
      if (!lax) return undefined;
      // pydantic's "smart" unions: an exact-type match wins over a lax coercion, so "12" stays a
      // string in `int | str` even though it would also parse as an integer.
      for (const member of members) {
        const issues: ValidationIssue[] = [];
        const coerced = check(member, value, loc, { ...ctx, extension: strictExtension }, issues);
        if (issues.length === 0) return { value: coerced };
      }
      return undefined;
    },
  };
}

const laxExtension = /* @__PURE__ */ extension(true);
const strictExtension = /* @__PURE__ */ extension(false);

function choiceIssue(type: string, allowed: readonly unknown[], value: unknown, loc: Loc): ValidationIssue {
  const expected = allowed.map(pythonRepr);
  const list =
    expected.length > 1 ? `${expected.slice(0, -1).join(", ")} or ${expected.at(-1)}` : (expected[0] ?? "");
  return { type, loc, msg: `Input should be ${list}`, input: value, ctx: { expected: list } };
}

function checkArray(
  schema: JsonSchema,
  value: unknown,
  loc: Loc,
  ctx: CheckContext,
  out: ValidationIssue[],
): unknown {
  // `uniqueItems` is how FastAPI writes a `set[...]`: pydantic removes duplicates rather than refusing them.
  const set = schema.uniqueItems === true;
  const kind = set ? "Set" : "List";
  if (!Array.isArray(value)) {
    out.push(
      set
        ? { type: "set_type", loc, msg: "Input should be a valid set", input: value }
        : { type: "list_type", loc, msg: "Input should be a valid list", input: value },
    );
    return value;
  }
  const { minItems, maxItems } = schema;
  if (minItems !== undefined && value.length < minItems) {
    out.push({
      type: "too_short",
      loc,
      msg: `${kind} should have at least ${plural(minItems, "item")} after validation, not ${value.length}`,
      input: value,
      ctx: { field_type: kind, min_length: minItems, actual_length: value.length },
    });
  }
  if (maxItems !== undefined && value.length > maxItems) {
    out.push({
      type: "too_long",
      loc,
      msg: `${kind} should have at most ${plural(maxItems, "item")} after validation, not ${value.length}`,
      input: value,
      ctx: { field_type: kind, max_length: maxItems, actual_length: value.length },
    });
  }
  const items = schema.items;
  const checked = items ? value.map((item, i) => check(items, item, [...loc, i], ctx, out)) : value;
  return set
    ? checked.filter((item, i) => checked.findIndex((other) => deepEqual(other, item)) === i)
    : checked;
}

/**
 * A tuple (`prefixItems`): one schema per position. pydantic reports a missing position as `missing`
 * at its index and extra items as `too_long`; FastAPI's `minItems`/`maxItems` beside it say the same
 * length and are not checked twice.
 */
function checkTuple(
  schema: JsonSchema,
  members: readonly JsonSchema[],
  value: unknown,
  loc: Loc,
  ctx: CheckContext,
  out: ValidationIssue[],
): unknown {
  if (!Array.isArray(value)) {
    out.push({ type: "tuple_type", loc, msg: "Input should be a valid tuple", input: value });
    return value;
  }
  const result = members.map((member, i) => {
    if (i < value.length) return check(member, value[i], [...loc, i], ctx, out);
    out.push({ type: "missing", loc: [...loc, i], msg: "Field required", input: value });
    return undefined;
  });
  const rest = schema.items;
  if (value.length > members.length) {
    if (rest && typeof rest === "object")
      for (let i = members.length; i < value.length; i++)
        result.push(check(rest, value[i], [...loc, i], ctx, out));
    else {
      const max = members.length;
      out.push({
        type: "too_long",
        loc,
        msg: `Tuple should have at most ${plural(max, "item")} after validation, not ${value.length}`,
        input: value,
        ctx: { field_type: "Tuple", max_length: max, actual_length: value.length },
      });
    }
  }
  return result;
}

/**
 * A discriminated union as pydantic's tagged unions read it: the tag must be there (`union_tag_not_found`)
 * and name a member (`union_tag_invalid`); only that member is checked, its issues under the tag in `loc`.
 */
function checkTagged(
  schema: JsonSchema,
  members: readonly JsonSchema[],
  value: unknown,
  loc: Loc,
  ctx: CheckContext,
  out: ValidationIssue[],
): unknown {
  const { propertyName, mapping = {} } = schema.discriminator!;
  const byTag = new Map<string, JsonSchema>();
  for (const member of members) {
    const mapped = Object.entries(mapping).filter(([, ref]) => ref === member.$ref);
    const tags = mapped.length > 0 ? mapped.map(([tag]) => tag) : tagsOf(member, propertyName, ctx);
    for (const tag of tags) byTag.set(tag, member);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    out.push(
      ctx.fromAttributes
        ? objectTypeIssue({ properties: {} }, value, loc, ctx, undefined)
        : { type: "dict_type", loc, msg: "Input should be a valid dictionary", input: value },
    );
    return value;
  }
  const discriminator = `'${propertyName}'`;
  const tag = (value as Record<string, unknown>)[propertyName];
  if (tag === undefined) {
    out.push({
      type: "union_tag_not_found",
      loc,
      msg: `Unable to extract tag using discriminator ${discriminator}`,
      input: value,
      ctx: { discriminator },
    });
    return value;
  }
  const member = typeof tag === "string" ? byTag.get(tag) : undefined;
  if (!member) {
    const expected = [...byTag.keys()].map((t) => `'${t}'`).join(", ");
    out.push({
      type: "union_tag_invalid",
      loc,
      msg: `Input tag '${String(tag)}' found using ${discriminator} does not match any of the expected tags: ${expected}`,
      input: value,
      ctx: { discriminator, tag: String(tag), expected_tags: expected },
    });
    return value;
  }
  return check(member, value, [...loc, tag as string], ctx, out);
}

function tagsOf(member: JsonSchema, propertyName: string, ctx: CheckContext): string[] {
  const target = member.$ref === undefined ? member : ctx.schemas[schemaNameOf(member.$ref)];
  const property = target?.properties?.[propertyName];
  if (typeof property?.const === "string") return [property.const];
  return (property?.enum ?? []).filter((tag): tag is string => typeof tag === "string");
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function checkStringBounds(schema: JsonSchema, value: string, loc: Loc, out: ValidationIssue[]): void {
  // Python counts code points, not UTF-16 units.
  const length = [...value].length;
  if (schema.minLength !== undefined && length < schema.minLength) {
    out.push({
      type: "string_too_short",
      loc,
      msg: `String should have at least ${plural(schema.minLength, "character")}`,
      input: value,
      ctx: { min_length: schema.minLength },
    });
  }
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    out.push({
      type: "string_too_long",
      loc,
      msg: `String should have at most ${plural(schema.maxLength, "character")}`,
      input: value,
      ctx: { max_length: schema.maxLength },
    });
  }
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) {
    out.push({
      type: "string_pattern_mismatch",
      loc,
      msg: `String should match pattern '${schema.pattern}'`,
      input: value,
      ctx: { pattern: schema.pattern },
    });
  }
}

/** pydantic-core's `str_as_int`: trimmed, optional sign, ASCII digits, and `.000` is tolerated. */
const INTEGER_TEXT = /^[+-]?[0-9]+(?:\.0*)?$/;
/** Rust's `f64::from_str`, which pydantic-core uses for floats in strings (`inf` and `nan` included). */
const FLOAT_TEXT = /^[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)$/i;

function parseFloatText(text: string): number {
  const lower = text.toLowerCase().replace(/^\+/, "");
  if (lower === "nan" || lower === "-nan") return Number.NaN;
  if (lower.endsWith("inf") || lower.endsWith("infinity"))
    return lower.startsWith("-") ? -Infinity : Infinity;
  return Number(text);
}

/** A number, read as the mode reads it, checked by the core and then against the schema's bounds. */
function checkNumberBounds(
  schema: JsonSchema,
  value: unknown,
  loc: Loc,
  out: ValidationIssue[],
  integer: boolean,
  lax: boolean,
): unknown {
  let read: unknown = value;
  if (lax && typeof value === "boolean") {
    read = value ? 1 : 0; // pydantic's lax mode reads bools as 0 and 1
  } else if (lax && typeof value === "string") {
    const text = value.trim();
    if (!(integer ? INTEGER_TEXT : FLOAT_TEXT).test(text)) {
      out.push({
        type: `${integer ? "int" : "float"}_parsing`,
        loc,
        msg: `Input should be a valid ${integer ? "integer" : "number"}, unable to parse string as ${integer ? "an integer" : "a number"}`,
        input: value,
      });
      return value;
    }
    read = integer ? Number(text) : parseFloatText(text);
  }
  const number = checkNumber(read, value, integer, loc, out);
  if (number === undefined) return value;
  const bounds: [keyof JsonSchema, string, string, string, (limit: number) => boolean][] = [
    ["minimum", "greater_than_equal", "greater than or equal to", "ge", (l) => number >= l],
    ["exclusiveMinimum", "greater_than", "greater than", "gt", (l) => number > l],
    ["maximum", "less_than_equal", "less than or equal to", "le", (l) => number <= l],
    ["exclusiveMaximum", "less_than", "less than", "lt", (l) => number < l],
  ];
  const { multipleOf } = schema;
  // pydantic checks `multiple_of` before the bounds.
  if (typeof multipleOf === "number" && !Number.isInteger(number / multipleOf)) {
    out.push({
      type: "multiple_of",
      loc,
      msg: `Input should be a multiple of ${multipleOf}`,
      input: value,
      ctx: { multiple_of: multipleOf },
    });
  }
  for (const [keyword, type, words, ctxKey, ok] of bounds) {
    const limit = schema[keyword];
    if (typeof limit === "number" && !ok(limit)) {
      out.push({
        type,
        loc,
        msg: `Input should be ${words} ${limit}`,
        input: value,
        ctx: { [ctxKey]: limit },
      });
    }
  }
  return number;
}

/** pydantic-core's `str_as_bool`: exact words, ASCII case-insensitive, no trimming. */
const TRUE_WORDS = new Set(["1", "t", "y", "on", "yes", "true"]);
const FALSE_WORDS = new Set(["0", "f", "n", "no", "off", "false"]);

function checkLaxBoolean(value: unknown, loc: Loc, out: ValidationIssue[]): unknown {
  if (typeof value === "boolean") return value;
  const parsingIssue: ValidationIssue = {
    type: "bool_parsing",
    loc,
    msg: "Input should be a valid boolean, unable to interpret input",
    input: value,
  };
  if (typeof value === "string") {
    const word = value.replace(/[A-Z]/g, (c) => c.toLowerCase());
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    out.push(parsingIssue);
    return value;
  }
  // Whole numbers other than 0 and 1 are "unable to interpret"; fractions are not booleans at all.
  if (typeof value === "number" && Number.isInteger(value)) {
    if (value === 0 || value === 1) return value === 1;
    out.push(parsingIssue);
    return value;
  }
  out.push({ type: "bool_type", loc, msg: "Input should be a valid boolean", input: value });
  return value;
}

/** Python's `repr` of a JSON value, as pydantic prints it in messages (`'abc'`, `1`, `True`, `None`). */
function pythonRepr(value: unknown): string {
  if (typeof value === "string") {
    if (value.includes("'") && !value.includes('"')) return `"${value.replace(/\\/g, "\\\\")}"`;
    return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  }
  if (value === true) return "True";
  if (value === false) return "False";
  if (value === null) return "None";
  return JSON.stringify(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export type { ValidationIssue };
