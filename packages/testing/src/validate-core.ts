import { type JsonSchema, schemaNameOf } from "@datafold-ci/api-description";

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

/**
 * What `validate` adds to the core (objects, unions, `$ref`, JSON types): the other keywords, read in
 * one mode, strict or lax.
 */
export interface CheckExtension {
  /**
   * Checks `schema` when it needs more than the core (a keyword or a reading the core lacks), and
   * returns the (coerced) value; `CORE` to let the core check it.
   */
  check(
    schema: JsonSchema,
    value: unknown,
    loc: Loc,
    ctx: CheckContext,
    out: ValidationIssue[],
    componentName: string | undefined,
  ): unknown;
  /** A union member the value matches without coercion, before members are tried as the mode reads them. */
  exactMember(
    members: readonly JsonSchema[],
    value: unknown,
    loc: Loc,
    ctx: CheckContext,
  ): { value: unknown } | undefined;
}

/** What one check needs besides the schema and the value. */
export interface CheckContext {
  readonly schemas: Readonly<Record<string, JsonSchema>>;
  /** pydantic's `from_attributes`, which FastAPI passes for request bodies (see `ValidateOptions`). */
  readonly fromAttributes: boolean;
  readonly extension: CheckExtension;
}

/** Where a value sits, as in a `ValidationIssue`. */
export type Loc = readonly (string | number)[];

/** Returned by `CheckExtension.check` to let the core check the schema. */
export const CORE: unique symbol = Symbol("core");

/**
 * Checks `value` against `schema`, pushing every issue to `out`, and returns the value (coerced, where
 * the context's extension reads it laxly). `componentName` is set when `schema` was reached through a
 * `$ref`: the model or enum class name.
 */
export function check(
  schema: JsonSchema,
  value: unknown,
  loc: Loc,
  ctx: CheckContext,
  out: ValidationIssue[],
  componentName?: string,
): unknown {
  if (schema.$ref !== undefined) {
    const name = schemaNameOf(schema.$ref);
    const target = ctx.schemas[name];
    if (!target) throw new Error(`Unresolvable $ref ${schema.$ref}`);
    return check(target, value, loc, ctx, out, name);
  }
  const checked = ctx.extension.check(schema, value, loc, ctx, out, componentName);
  if (checked !== CORE) return checked;
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return checkUnion(union, value, loc, ctx, out);
  switch (schema.type) {
    case undefined:
      // No `type`: an object schema if it lists properties, otherwise anything goes.
      return schema.properties ? checkObject(schema, value, loc, ctx, out, componentName) : value;
    case "object":
      return checkObject(schema, value, loc, ctx, out, componentName);
    case "string":
      if (typeof value !== "string")
        out.push({ type: "string_type", loc, msg: "Input should be a valid string", input: value });
      return value;
    case "integer":
    case "number":
      return checkNumber(value, value, schema.type === "integer", loc, out) ?? value;
    case "boolean":
      if (typeof value !== "boolean")
        out.push({ type: "bool_type", loc, msg: "Input should be a valid boolean", input: value });
      return value;
    case "null":
      if (value !== null) out.push({ type: "none_required", loc, msg: "Input should be None", input: value });
      return value;
    case "array": {
      if (!Array.isArray(value)) {
        out.push({ type: "list_type", loc, msg: "Input should be a valid list", input: value });
        return value;
      }
      const items = schema.items;
      return items ? value.map((item, index) => check(items, item, [...loc, index], ctx, out)) : value;
    }
    default:
      // `pnpm generate` refuses a type outside JSON's (EMULATED_KEYWORDS guards the rest).
      return value;
  }
}

/**
 * `number` (read from `input`) as a JSON integer or number, or `undefined` after pushing why not:
 * not a number at all, not finite, or fractional where an integer is expected.
 */
export function checkNumber(
  number: unknown,
  input: unknown,
  integer: boolean,
  loc: Loc,
  out: ValidationIssue[],
): number | undefined {
  let issue: Omit<ValidationIssue, "loc" | "input"> | undefined;
  if (typeof number !== "number")
    issue = integer
      ? { type: "int_type", msg: "Input should be a valid integer" }
      : { type: "float_type", msg: "Input should be a valid number" };
  // Python's json reads NaN, Infinity and 1e400; an int field then refuses them.
  else if (integer && !Number.isFinite(number))
    issue = { type: "finite_number", msg: "Input should be a finite number" };
  else if (integer && !Number.isInteger(number))
    issue = {
      type: "int_from_float",
      msg: "Input should be a valid integer, got a number with a fractional part",
    };
  else return number;
  out.push({ ...issue, loc, input });
  return undefined;
}

function checkUnion(
  members: readonly JsonSchema[],
  value: unknown,
  loc: Loc,
  ctx: CheckContext,
  out: ValidationIssue[],
): unknown {
  // pydantic treats `anyOf: [X, null]` as Optional[X]: null passes, anything else is reported as X.
  const nonNull = members.filter((m) => m.type !== "null");
  if (nonNull.length === 0) return check(members[0] ?? {}, value, loc, ctx, out);
  if (nonNull.length < members.length) {
    if (value === null) return null;
    if (nonNull.length === 1) return check(nonNull[0]!, value, loc, ctx, out);
  }
  const exact = ctx.extension.exactMember(nonNull, value, loc, ctx);
  if (exact) return exact.value;
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
export function memberTag(schema: JsonSchema): string {
  if (schema.$ref) return schemaNameOf(schema.$ref);
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
  ctx: CheckContext,
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
  // pydantic reports fields in declaration order. FastAPI writes both `properties` and `required` in
  // that order, but a document dumped with sorted keys (Datafold's: its properties are alphabetical,
  // its `required` list is not) keeps it only in `required`, so required fields lead, in that order.
  for (const name of new Set([...required, ...Object.keys(properties)])) {
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

export function objectTypeIssue(
  schema: JsonSchema,
  value: unknown,
  loc: Loc,
  ctx: CheckContext,
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
