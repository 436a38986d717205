import {
  type ApiDescription,
  type JsonSchema,
  type OperationDescription,
  type ParameterDescription,
  schemaNameOf,
  type ValidationIssue,
  validateStrict,
} from "@datafold-ci/api-description";
import type { InputIssue } from "./input-issue.js";
import { isRecord } from "./is-record.js";

/** Checks the positional arguments of one client method (options excluded); empty means valid. */
export type OperationInputCheck = (...args: readonly unknown[]) => InputIssue[];

/**
 * Builds the input check of one operation from the API description, so what is required, and of
 * which type, comes from `spec/` through `pnpm generate`: an operation or field added to the spec
 * is checked with no edit here. Path and query parameters are checked as the object FastAPI
 * gathers them into, the query object refusing names the operation does not take.
 *
 * On top of the spec, two rules it cannot express (Datafold's schemas carry no bounds):
 * - every integer in the path and the body (`ci_config_id`, `pr_num`, `pr_number`) is an
 *   identifier: a positive safe integer (larger ones lose precision in JSON). Query integers
 *   (`limit`, `offset`) are not: `offset` 0 is the first page.
 * - every string (branches, SHAs, table names) is a name: not empty, not only whitespace.
 *
 * Issues are named as the caller wrote the arguments: a path or query parameter by its wire name
 * (`ci_config_id`, `limit`), an object body's field by its name (`pr_branch`), an array body's
 * item by index (`diffs[0].prod`), the whole body by its argument name (`details`). They come in
 * argument order; within one, in the order of the spec's `required` list (its logical order;
 * `properties` is alphabetical).
 */
export function createOperationInputCheck(
  api: ApiDescription,
  operation: OperationDescription,
): OperationInputCheck {
  const { name: method, arguments: layout } = operation.clientMethod;
  const parametersIn = (where: "path" | "query") => {
    const list = operation.parameters.filter((p) => p.in === where);
    // Path parameters in path order, as the arguments take them.
    if (where === "path")
      list.sort((a, b) => operation.path.indexOf(`{${a.name}}`) - operation.path.indexOf(`{${b.name}}`));
    return list;
  };
  const schemas = {
    path: objectOf(parametersIn("path")),
    query: objectOf(parametersIn("query")),
    body: operation.requestBody?.schema ?? {},
  };
  const body = resolve(schemas.body, api);
  const bodyName = layout.find((a) => a.in === "body")?.name ?? "body";
  const order = (where: string) =>
    where === "body"
      ? [...(body.required ?? []), ...Object.keys(body.properties ?? {})]
      : Object.keys(schemas[where as "path"].properties ?? {});

  return (...args) => {
    const path: Record<string, unknown> = {};
    const found: [number, ValidationIssue][] = [];
    const check = (where: "path" | "query" | "body", value: unknown, rank: number) => {
      const loc = [where];
      const names = order(where);
      for (const issue of [
        ...validateStrict(schemas[where], value, loc, api.schemas),
        ...checkNames(schemas[where], value, loc, api, where !== "query"),
      ]) {
        const named =
          issue.type === "extra_forbidden"
            ? { ...issue, msg: `Not a query parameter of ${method} (expected ${names.join(", ")})` }
            : issue;
        found.push([rank + Math.max(names.indexOf(String(issue.loc[1])), 0) / 1000, named]);
      }
    };
    layout.forEach((argument, index) => {
      const value = args[index];
      if (argument.in === "path") path[argument.parameter] = value;
      else if (argument.in === "query") {
        if (value !== undefined || schemas.query.required?.length) check("query", value ?? {}, index);
      } else if (value !== undefined || operation.requestBody?.required) check("body", value, index);
    });
    check("path", path, -1);
    return found
      .sort(([a], [b]) => a - b)
      .map(([, issue]) => toInputIssue(issue, bodyName, body.type === "array"));
  };
}

/** The object FastAPI validates a set of parameters as; unknown names are refused. */
function objectOf(parameters: readonly ParameterDescription[]): JsonSchema {
  return {
    type: "object",
    properties: Object.fromEntries(parameters.map((p) => [p.name, p.schema])),
    required: parameters.filter((p) => p.required).map((p) => p.name),
    additionalProperties: false,
  };
}

/** The two rules above, wherever a value has the schema's type (a mistyped value is reported once). */
function checkNames(
  schema: JsonSchema,
  value: unknown,
  loc: (string | number)[],
  api: ApiDescription,
  integersAreIds: boolean,
): ValidationIssue[] {
  const resolved = resolve(schema, api);
  const union = resolved.anyOf ?? resolved.oneOf;
  if (union) {
    // The member the value matched, e.g. the list of `string[] | null`.
    const member = union.find((option) => validateStrict(option, value, [], api.schemas).length === 0);
    return member ? checkNames(member, value, loc, api, integersAreIds) : [];
  }
  const issue = (type: string, msg: string) => [{ type, loc, msg, input: value }];
  if (
    integersAreIds &&
    resolved.type === "integer" &&
    Number.isInteger(value) &&
    !(Number.isSafeInteger(value) && (value as number) > 0)
  )
    return issue("positive_id", "Input should be a positive safe integer");
  if (resolved.type === "string" && typeof value === "string" && value.trim() === "")
    return issue("blank_string", "String should not be empty or only whitespace");
  const { items, properties } = resolved;
  if (Array.isArray(value) && items)
    return value.flatMap((item, index) => checkNames(items, item, [...loc, index], api, integersAreIds));
  if (isRecord(value) && properties)
    return Object.entries(properties).flatMap(([name, property]) =>
      value[name] === undefined ? [] : checkNames(property, value[name], [...loc, name], api, integersAreIds),
    );
  return [];
}

function toInputIssue(issue: ValidationIssue, bodyName: string, arrayBody: boolean): InputIssue {
  const [where, ...rest] = issue.loc;
  const field =
    where === "body" && arrayBody
      ? bodyName + rest.map((part) => (typeof part === "number" ? `[${part}]` : `.${part}`)).join("")
      : rest.join(".") || (where === "body" ? bodyName : String(where));
  const got = issue.type === "missing" ? "" : ` (got ${describeValue(issue.input)})`;
  return { field, message: `${issue.msg}${got}` };
}

function describeValue(value: unknown): string {
  if (typeof value === "number" || typeof value === "bigint" || value === undefined) return String(value);
  if (typeof value === "function" || typeof value === "symbol") return typeof value;
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value);
  } catch {
    json = Object.prototype.toString.call(value); // circular, or holds a BigInt
  }
  return json.length > 40 ? `${json.slice(0, 39)}…` : json;
}

function resolve(schema: JsonSchema, api: ApiDescription): JsonSchema {
  return schema.$ref === undefined ? schema : (api.schemas[schemaNameOf(schema.$ref)] ?? schema);
}
