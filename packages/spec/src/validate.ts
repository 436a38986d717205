import type { JsonSchema, JsonSchemaType } from "./api-description.js";

/**
 * One validation failure, in the shape FastAPI puts in a 422 `detail` array (pydantic v2 wording):
 * `{ type: "missing", loc: ["body", "pr_sha"], msg: "Field required", input: {...} }`.
 */
export interface ValidationIssue {
  /** pydantic's error type, e.g. `missing`, `int_parsing`, `string_type`. */
  readonly type: string;
  /** Where the bad value sits, starting with the request part (`body`, `path`, `query`, `header`). */
  readonly loc: readonly (string | number)[];
  /** pydantic's message, e.g. `Input should be a valid integer, unable to parse string as an integer`. */
  readonly msg: string;
  /** The offending value (the enclosing object for `missing`). */
  readonly input: unknown;
  /** Extra facts pydantic attaches, e.g. `{ gt: 0 }`. */
  readonly ctx?: Readonly<Record<string, unknown>>;
}

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
 * Validates `value` against `schema` and returns every issue found, with `loc` starting at `loc`.
 * Covers the JSON Schema subset FastAPI emits: `type`, `properties`/`required`, `items`, `anyOf`,
 * `oneOf`, `allOf`, `enum`, `const`, string and number bounds, `pattern`, `$ref`.
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
  const context: Context = {
    mode: options.mode ?? "lax",
    fromAttributes: options.fromAttributes ?? false,
    schemas: options.schemas,
  };
  const coerced = check(schema, value, loc, context, issues);
  return { value: coerced, issues };
}

interface Context {
  readonly mode: "lax" | "strict";
  readonly fromAttributes: boolean;
  readonly schemas: Readonly<Record<string, JsonSchema>>;
}

type Loc = readonly (string | number)[];

const COMPONENT_PREFIX = /^#\/components\/schemas\//;

/** `componentName` is set when `schema` was reached through a `$ref`: the model or enum class name. */
function check(
  schema: JsonSchema,
  value: unknown,
  loc: Loc,
  ctx: Context,
  out: ValidationIssue[],
  componentName?: string,
): unknown {
  if (schema.$ref !== undefined) {
    const name = schema.$ref.replace(COMPONENT_PREFIX, "");
    const target = ctx.schemas[name];
    if (!target) throw new Error(`Unresolvable $ref ${schema.$ref}`);
    return check(target, value, loc, ctx, out, name);
  }
  if (schema.allOf) {
    let current = value;
    for (const part of schema.allOf) current = check(part, current, loc, ctx, out, componentName);
    return current;
  }
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return checkUnion(union, value, loc, ctx, out);
  if (schema.nullable === true && value === null) return null;

  if (schema.const !== undefined) {
    if (!deepEqual(schema.const, value)) out.push(choiceIssue("literal_error", [schema.const], value, loc));
    return value;
  }
  if (schema.enum) {
    // pydantic emits Enum classes as named components and Literal[...] inline; their errors differ.
    if (!schema.enum.some((allowed) => deepEqual(allowed, value)))
      out.push(choiceIssue(componentName ? "enum" : "literal_error", schema.enum, value, loc));
    return value;
  }

  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length > 1) {
    return checkUnion(
      types.map((type) => ({ ...schema, type })),
      value,
      loc,
      ctx,
      out,
    );
  }
  switch (types[0] as JsonSchemaType | undefined) {
    case undefined:
      // No `type`: an object schema if it lists properties, otherwise anything goes.
      return schema.properties ? checkObject(schema, value, loc, ctx, out, componentName) : value;
    case "object":
      return checkObject(schema, value, loc, ctx, out, componentName);
    case "array":
      return checkArray(schema, value, loc, ctx, out);
    case "string":
      return checkString(schema, value, loc, out);
    case "integer":
      return checkNumber(schema, value, loc, ctx, out, true);
    case "number":
      return checkNumber(schema, value, loc, ctx, out, false);
    case "boolean":
      return checkBoolean(value, loc, ctx, out);
    case "null":
      if (value !== null) out.push({ type: "none_required", loc, msg: "Input should be None", input: value });
      return value;
  }
}

function choiceIssue(type: string, allowed: readonly unknown[], value: unknown, loc: Loc): ValidationIssue {
  const expected = allowed.map(pythonRepr);
  const list =
    expected.length > 1 ? `${expected.slice(0, -1).join(", ")} or ${expected.at(-1)}` : (expected[0] ?? "");
  return { type, loc, msg: `Input should be ${list}`, input: value, ctx: { expected: list } };
}

function checkUnion(
  members: readonly JsonSchema[],
  value: unknown,
  loc: Loc,
  ctx: Context,
  out: ValidationIssue[],
): unknown {
  // pydantic treats `anyOf: [X, null]` as Optional[X]: null passes, anything else is reported as X.
  const nonNull = members.filter((m) => m.type !== "null");
  if (nonNull.length === 0) return check(members[0] ?? {}, value, loc, ctx, out);
  if (nonNull.length < members.length) {
    if (value === null) return null;
    if (nonNull.length === 1) return check(nonNull[0]!, value, loc, ctx, out);
  }
  // pydantic's "smart" unions: an exact-type match wins over a lax coercion, so "12" stays a string
  // in `int | str` even though it would also parse as an integer.
  if (ctx.mode === "lax") {
    const strict: Context = { ...ctx, mode: "strict" };
    for (const member of nonNull) {
      const issues: ValidationIssue[] = [];
      const coerced = check(member, value, loc, strict, issues);
      if (issues.length === 0) return coerced;
    }
  }
  const attempts: ValidationIssue[][] = [];
  for (const member of nonNull) {
    const issues: ValidationIssue[] = [];
    const coerced = check(member, value, loc, ctx, issues);
    if (issues.length === 0) return coerced;
    attempts.push(issues);
  }
  // Like pydantic, report each member's failures under the member's tag (`int`, `str`, ...).
  nonNull.forEach((member, i) => {
    const tag = memberTag(member);
    for (const issue of attempts[i]!)
      out.push({ ...issue, loc: [...loc, tag, ...issue.loc.slice(loc.length)] });
  });
  return value;
}

/** The label pydantic gives a union member in `loc`: `int`, `str`, `list[int]`, a model's name. */
function memberTag(schema: JsonSchema): string {
  if (schema.$ref) return schema.$ref.replace(COMPONENT_PREFIX, "");
  const tags: Record<string, string> = { integer: "int", number: "float", string: "str", boolean: "bool" };
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === "array") return schema.items ? `list[${memberTag(schema.items)}]` : "list[any]";
  if (type === "object") {
    const values = schema.additionalProperties;
    return typeof values === "object" ? `dict[str,${memberTag(values)}]` : "dict[str,any]";
  }
  return tags[type ?? ""] ?? String(type ?? "any");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function checkObject(
  schema: JsonSchema,
  value: unknown,
  loc: Loc,
  ctx: Context,
  out: ValidationIssue[],
  componentName: string | undefined,
): unknown {
  if (!isRecord(value)) {
    out.push(objectTypeIssue(schema, value, loc, ctx, componentName));
    return value;
  }
  const properties = schema.properties ?? {};
  const required = schema.required ?? [];
  const result: Record<string, unknown> = { ...value };
  for (const name of fieldOrder(properties, required)) {
    if (!Object.hasOwn(value, name) || value[name] === undefined) {
      if (required.includes(name))
        out.push({ type: "missing", loc: [...loc, name], msg: "Field required", input: value });
      continue;
    }
    const propertySchema = properties[name];
    if (propertySchema) result[name] = check(propertySchema, value[name], [...loc, name], ctx, out);
  }
  const extra = schema.additionalProperties;
  for (const name of Object.keys(value)) {
    if (Object.hasOwn(properties, name)) continue;
    if (extra === false) {
      out.push({
        type: "extra_forbidden",
        loc: [...loc, name],
        msg: "Extra inputs are not permitted",
        input: value[name],
      });
    } else if (typeof extra === "object") {
      result[name] = check(extra, value[name], [...loc, name], ctx, out);
    }
  }
  return result;
}

/**
 * pydantic reports fields in declaration order. FastAPI writes both `properties` and `required` in
 * that order, but a document dumped with sorted keys (Datafold's: its properties are alphabetical,
 * its `required` list is not) keeps it only in `required`, so required fields lead, in that order.
 */
function fieldOrder(properties: Readonly<Record<string, JsonSchema>>, required: readonly string[]): string[] {
  return [...new Set([...required, ...Object.keys(properties)])];
}

function objectTypeIssue(
  schema: JsonSchema,
  value: unknown,
  loc: Loc,
  ctx: Context,
  componentName: string | undefined,
): ValidationIssue {
  // A schema with `properties` is a pydantic model; a bare `type: object` is a dict.
  if (!schema.properties)
    return { type: "dict_type", loc, msg: "Input should be a valid dictionary", input: value };
  if (ctx.fromAttributes) {
    return {
      type: "model_attributes_type",
      loc,
      msg: "Input should be a valid dictionary or object to extract fields from",
      input: value,
    };
  }
  const className = componentName ?? schema.title ?? "Model";
  return {
    type: "model_type",
    loc,
    msg: `Input should be a valid dictionary or instance of ${className}`,
    input: value,
    ctx: { class_name: className },
  };
}

function checkArray(
  schema: JsonSchema,
  value: unknown,
  loc: Loc,
  ctx: Context,
  out: ValidationIssue[],
): unknown {
  if (!Array.isArray(value)) {
    out.push({ type: "list_type", loc, msg: "Input should be a valid list", input: value });
    return value;
  }
  const { minItems, maxItems } = schema;
  if (minItems !== undefined && value.length < minItems) {
    out.push({
      type: "too_short",
      loc,
      msg: `List should have at least ${plural(minItems, "item")} after validation, not ${value.length}`,
      input: value,
      ctx: { field_type: "List", min_length: minItems, actual_length: value.length },
    });
  }
  if (maxItems !== undefined && value.length > maxItems) {
    out.push({
      type: "too_long",
      loc,
      msg: `List should have at most ${plural(maxItems, "item")} after validation, not ${value.length}`,
      input: value,
      ctx: { field_type: "List", max_length: maxItems, actual_length: value.length },
    });
  }
  const items = schema.items;
  return items ? value.map((item, i) => check(items, item, [...loc, i], ctx, out)) : value;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function checkString(schema: JsonSchema, value: unknown, loc: Loc, out: ValidationIssue[]): unknown {
  if (typeof value !== "string") {
    out.push({ type: "string_type", loc, msg: "Input should be a valid string", input: value });
    return value;
  }
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
  return value;
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

function checkNumber(
  schema: JsonSchema,
  value: unknown,
  loc: Loc,
  ctx: Context,
  out: ValidationIssue[],
  integer: boolean,
): unknown {
  const kind = integer ? "int" : "float";
  const noun = integer ? "integer" : "number";
  let number: number;
  if (typeof value === "number") {
    number = value;
  } else if (ctx.mode === "lax" && typeof value === "boolean") {
    number = value ? 1 : 0; // pydantic's lax mode reads bools as 0 and 1
  } else if (ctx.mode === "lax" && typeof value === "string") {
    const text = value.trim();
    if (!(integer ? INTEGER_TEXT : FLOAT_TEXT).test(text)) {
      out.push({
        type: `${kind}_parsing`,
        loc,
        msg: `Input should be a valid ${noun}, unable to parse string as ${integer ? "an integer" : "a number"}`,
        input: value,
      });
      return value;
    }
    number = integer ? Number(text) : parseFloatText(text);
  } else {
    out.push({ type: `${kind}_type`, loc, msg: `Input should be a valid ${noun}`, input: value });
    return value;
  }
  if (integer && !Number.isFinite(number)) {
    // Python's json reads NaN, Infinity and 1e400; an int field then refuses them.
    out.push({ type: "finite_number", loc, msg: "Input should be a finite number", input: value });
    return value;
  }
  if (integer && !Number.isInteger(number)) {
    out.push({
      type: "int_from_float",
      loc,
      msg: "Input should be a valid integer, got a number with a fractional part",
      input: value,
    });
    return value;
  }
  const bounds: [keyof JsonSchema, string, string, string, (limit: number) => boolean][] = [
    ["minimum", "greater_than_equal", "greater than or equal to", "ge", (l) => number >= l],
    ["exclusiveMinimum", "greater_than", "greater than", "gt", (l) => number > l],
    ["maximum", "less_than_equal", "less than or equal to", "le", (l) => number <= l],
    ["exclusiveMaximum", "less_than", "less than", "lt", (l) => number < l],
  ];
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

function checkBoolean(value: unknown, loc: Loc, ctx: Context, out: ValidationIssue[]): unknown {
  if (typeof value === "boolean") return value;
  const parsingIssue: ValidationIssue = {
    type: "bool_parsing",
    loc,
    msg: "Input should be a valid boolean, unable to interpret input",
    input: value,
  };
  if (ctx.mode === "lax" && typeof value === "string") {
    const word = value.replace(/[A-Z]/g, (c) => c.toLowerCase());
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    out.push(parsingIssue);
    return value;
  }
  // Whole numbers other than 0 and 1 are "unable to interpret"; fractions are not booleans at all.
  if (ctx.mode === "lax" && typeof value === "number" && Number.isInteger(value)) {
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
