import {
  type ApiDescription,
  datafoldApi,
  findOperation,
  type JsonSchema,
  TRIGGER_OPERATION_ID,
  type ValidationIssue,
  validateStrict,
} from "@datafold-ci/spec";
import type { InputIssue } from "./input-issue.js";
import { isRecord } from "./is-record.js";

/** Checks the input of one `triggerPrRun` call. */
export type TriggerInputCheck = (ciConfigId: unknown, details: unknown) => InputIssue[];

/**
 * Builds the input check from an API description, so what is required, and of which type, comes
 * from `spec/` through `pnpm generate`: a field added to the spec is checked with no edit here.
 *
 * On top of the spec, two rules it cannot express (its schemas carry no bounds):
 * - every integer in the path and the body (`ci_config_id`, `pr_number`) is an identifier: a
 *   positive safe integer (larger ones lose precision in JSON);
 * - every string (branches, SHAs) is a name: not empty, not only whitespace.
 */
export function createTriggerInputCheck(api: ApiDescription): TriggerInputCheck {
  const operation = findOperation(api, TRIGGER_OPERATION_ID);
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === "path");
  const body = operation.requestBody;
  const bodySchema = body ? resolve(body.schema, api) : {};
  const properties = bodySchema.properties ?? {};
  // Issues are listed path first, then body fields in the order of `required` (the spec's logical
  // order; `properties` is alphabetical), whatever order the checks ran in.
  const order = [
    ...pathParameters.map((parameter) => `path.${parameter.name}`),
    "body",
    ...new Set([...(bodySchema.required ?? []), ...Object.keys(properties)].map((name) => `body.${name}`)),
  ];
  const rank = (issue: ValidationIssue) => order.indexOf(issue.loc.slice(0, 2).join("."));
  return (ciConfigId, details) => {
    const path: Record<string, unknown> = { ci_config_id: ciConfigId };
    const found: ValidationIssue[] = [];
    const fields: [JsonSchema, unknown, (string | number)[]][] = [];
    for (const { name, schema, required } of pathParameters) {
      const loc = ["path", name];
      if (path[name] === undefined) {
        if (required) found.push({ type: "missing", loc, msg: "Field required", input: path });
        continue;
      }
      found.push(...validateStrict(schema, path[name], loc, api.schemas));
      fields.push([schema, path[name], loc]);
    }
    if (body) {
      found.push(...validateStrict(body.schema, details, ["body"], api.schemas));
      if (isRecord(details)) {
        for (const [name, schema] of Object.entries(properties))
          fields.push([resolve(schema, api), details[name], ["body", name]]);
      }
    }
    for (const [schema, value, loc] of fields) {
      if (
        schema.type === "integer" &&
        Number.isInteger(value) &&
        !(Number.isSafeInteger(value) && (value as number) > 0)
      )
        found.push({
          type: "positive_id",
          loc,
          msg: "Input should be a positive safe integer",
          input: value,
        });
      if (schema.type === "string" && typeof value === "string" && value.trim() === "")
        found.push({
          type: "blank_string",
          loc,
          msg: "String should not be empty or only whitespace",
          input: value,
        });
    }
    return found.sort((a, b) => rank(a) - rank(b)).map(toInputIssue);
  };
}

/**
 * Checks `triggerPrRun`'s input as the client does before sending anything; an empty array means
 * valid. For callers that gather input from several places (flags, environment, CI variables) and
 * want to report every problem at once.
 *
 * @example
 * checkTriggerInput(0, { pr_number: 7, pr_branch: " " });
 * // [{ field: "ci_config_id", message: "Input should be a positive safe integer (got 0)" },
 * //  { field: "pr_branch", message: "String should not be empty or only whitespace (got \" \")" }, …]
 */
export const checkTriggerInput: TriggerInputCheck = createTriggerInputCheck(datafoldApi);

function toInputIssue(issue: ValidationIssue): InputIssue {
  const field = issue.loc.slice(1).join(".") || "details";
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
  const name = schema.$ref?.replace(/^#\/components\/schemas\//, "");
  return name === undefined ? schema : (api.schemas[name] ?? schema);
}
