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
  const coerced = check(
    schema,
    value,
    loc,
    { mode: options.mode ?? "lax", schemas: options.schemas },
    issues,
  );
  return { value: coerced, issues };
}

interface Context {
  readonly mode: "lax" | "strict";
  readonly schemas: Readonly<Record<string, JsonSchema>>;
}

type Loc = readonly (string | number)[];

function check(schema: JsonSchema, value: unknown, loc: Loc, ctx: Context, out: ValidationIssue[]): unknown {
  if (schema.$ref !== undefined) {
    const name = schema.$ref.replace(/^#\/components\/schemas\//, "");
    const target = ctx.schemas[name];
    if (!target) throw new Error(`Unresolvable $ref ${schema.$ref}`);
    return check({ title: name, ...target }, value, loc, ctx, out);
  }
  if (schema.allOf) {
    let current = value;
    for (const part of schema.allOf) current = check(part, current, loc, ctx, out);
    return current;
  }
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return checkUnion(union, value, loc, ctx, out);
  if (schema.nullable === true && value === null) return null;

  if (schema.const !== undefined && !deepEqual(schema.const, value)) {
    out.push({ type: "literal_error", loc, msg: `Input should be ${repr(schema.const)}`, input: value });
    return value;
  }
  if (schema.enum) {
    if (!schema.enum.some((allowed) => deepEqual(allowed, value))) {
      const expected = schema.enum.map(repr);
      const list =
        expected.length > 1 ? `${expected.slice(0, -1).join(", ")} or ${expected.at(-1)}` : expected[0];
      out.push({ type: "enum", loc, msg: `Input should be ${list}`, input: value, ctx: { expected: list } });
    }
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
      return schema.properties ? checkObject(schema, value, loc, ctx, out) : value;
    case "object":
      return checkObject(schema, value, loc, ctx, out);
    case "array":
      return checkArray(schema, value, loc, ctx, out);
    case "string":
      return checkString(schema, value, loc, ctx, out);
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

function checkUnion(
  members: readonly JsonSchema[],
  value: unknown,
  loc: Loc,
  ctx: Context,
  out: ValidationIssue[],
): unknown {
  // pydantic treats `anyOf: [X, null]` as Optional[X]: null passes, anything else is reported as X.
  const nonNull = members.filter((m) => m.type !== "null");
  if (nonNull.length < members.length) {
    if (value === null) return null;
    if (nonNull.length === 1) return check(nonNull[0]!, value, loc, ctx, out);
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

function memberTag(schema: JsonSchema): string {
  if (schema.$ref) return schema.$ref.replace(/^#\/components\/schemas\//, "");
  const tags: Record<string, string> = { integer: "int", number: "float", string: "str", boolean: "bool" };
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  return tags[type ?? ""] ?? (type === "array" ? "list" : type === "object" ? "dict" : String(type));
}

function checkObject(
  schema: JsonSchema,
  value: unknown,
  loc: Loc,
  ctx: Context,
  out: ValidationIssue[],
): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    out.push(
      schema.title && schema.properties
        ? {
            type: "model_type",
            loc,
            msg: `Input should be a valid dictionary or instance of ${schema.title}`,
            input: value,
            ctx: { class_name: schema.title },
          }
        : { type: "dict_type", loc, msg: "Input should be a valid dictionary", input: value },
    );
    return value;
  }
  const record = value as Record<string, unknown>;
  const result: Record<string, unknown> = { ...record };
  const required = new Set(schema.required ?? []);
  for (const [name, propertySchema] of Object.entries(schema.properties ?? {})) {
    if (!(name in record) || record[name] === undefined) {
      if (required.has(name))
        out.push({ type: "missing", loc: [...loc, name], msg: "Field required", input: value });
      continue;
    }
    result[name] = check(propertySchema, record[name], [...loc, name], ctx, out);
  }
  if (schema.additionalProperties === false) {
    for (const name of Object.keys(record)) {
      if (!schema.properties?.[name]) {
        out.push({
          type: "extra_forbidden",
          loc: [...loc, name],
          msg: "Extra inputs are not permitted",
          input: record[name],
        });
      }
    }
  } else if (typeof schema.additionalProperties === "object") {
    for (const name of Object.keys(record)) {
      if (!schema.properties?.[name]) {
        result[name] = check(schema.additionalProperties, record[name], [...loc, name], ctx, out);
      }
    }
  }
  return result;
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
      msg: `List should have at least ${minItems} item${minItems === 1 ? "" : "s"} after validation, not ${value.length}`,
      input: value,
      ctx: { field_type: "List", min_length: minItems, actual_length: value.length },
    });
  }
  if (maxItems !== undefined && value.length > maxItems) {
    out.push({
      type: "too_long",
      loc,
      msg: `List should have at most ${maxItems} item${maxItems === 1 ? "" : "s"} after validation, not ${value.length}`,
      input: value,
      ctx: { field_type: "List", max_length: maxItems, actual_length: value.length },
    });
  }
  return schema.items ? value.map((item, i) => check(schema.items!, item, [...loc, i], ctx, out)) : value;
}

function checkString(
  schema: JsonSchema,
  value: unknown,
  loc: Loc,
  _ctx: Context,
  out: ValidationIssue[],
): unknown {
  if (typeof value !== "string") {
    out.push({ type: "string_type", loc, msg: "Input should be a valid string", input: value });
    return value;
  }
  const length = [...value].length;
  if (schema.minLength !== undefined && length < schema.minLength) {
    const n = schema.minLength;
    out.push({
      type: "string_too_short",
      loc,
      msg: `String should have at least ${n} character${n === 1 ? "" : "s"}`,
      input: value,
      ctx: { min_length: n },
    });
  }
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    const n = schema.maxLength;
    out.push({
      type: "string_too_long",
      loc,
      msg: `String should have at most ${n} character${n === 1 ? "" : "s"}`,
      input: value,
      ctx: { max_length: n },
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
  if (typeof value === "number" && Number.isFinite(value)) {
    number = value;
  } else if (ctx.mode === "lax" && typeof value === "boolean") {
    number = value ? 1 : 0; // pydantic's lax mode reads bools as 0 and 1
  } else if (ctx.mode === "lax" && typeof value === "string") {
    const text = value.trim();
    const pattern = integer ? /^[+-]?\d+(?:\.0*)?$/ : /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
    if (!pattern.test(text)) {
      out.push({
        type: `${kind}_parsing`,
        loc,
        msg: `Input should be a valid ${noun}, unable to parse string as ${integer ? "an integer" : "a number"}`,
        input: value,
      });
      return value;
    }
    number = Number(text);
  } else {
    out.push({ type: `${kind}_type`, loc, msg: `Input should be a valid ${noun}`, input: value });
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
  const bounds: [keyof JsonSchema, string, string, (limit: number) => boolean][] = [
    ["minimum", "greater_than_equal", "greater than or equal to", (l) => number >= l],
    ["exclusiveMinimum", "greater_than", "greater than", (l) => number > l],
    ["maximum", "less_than_equal", "less than or equal to", (l) => number <= l],
    ["exclusiveMaximum", "less_than", "less than", (l) => number < l],
  ];
  const ctxKeys: Record<string, string> = {
    minimum: "ge",
    exclusiveMinimum: "gt",
    maximum: "le",
    exclusiveMaximum: "lt",
  };
  for (const [keyword, type, words, ok] of bounds) {
    const limit = schema[keyword];
    if (typeof limit === "number" && !ok(limit)) {
      out.push({
        type,
        loc,
        msg: `Input should be ${words} ${limit}`,
        input: value,
        ctx: { [ctxKeys[keyword]!]: limit },
      });
    }
  }
  return number;
}

function checkBoolean(value: unknown, loc: Loc, ctx: Context, out: ValidationIssue[]): unknown {
  if (typeof value === "boolean") return value;
  if (ctx.mode === "lax") {
    const text = typeof value === "string" ? value.trim().toLowerCase() : value;
    if (["true", "1", "yes", "on", "t", "y", 1].includes(text as string | number)) return true;
    if (["false", "0", "no", "off", "f", "n", 0].includes(text as string | number)) return false;
    if (typeof value === "string") {
      out.push({
        type: "bool_parsing",
        loc,
        msg: "Input should be a valid boolean, unable to interpret input",
        input: value,
      });
      return value;
    }
  }
  out.push({ type: "bool_type", loc, msg: "Input should be a valid boolean", input: value });
  return value;
}

/** Python-style rendering of a literal, as pydantic prints it in messages (`'abc'`, `1`). */
function repr(value: unknown): string {
  return typeof value === "string" ? `'${value}'` : JSON.stringify(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
