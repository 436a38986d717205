import {
  type ApiDescription,
  datafoldApi,
  findOperation,
  type JsonSchema,
} from "@datafold-ci/api-description";
import type { MethodTypes } from "@datafold-ci/types";
import { resolveSchema } from "./schema-facts.js";
import { successResponse } from "./success-answer.js";
import { synthesizeValue } from "./synthesize-value.js";

/** The parts of a client method a value can be made for. */
export type MethodPart<M extends keyof MethodTypes & string> = keyof MethodTypes[M] & string;

/**
 * What a test says about a value: for an object, the fields it cares about; for a list, one entry per
 * item with that item's fields.
 */
export type FakeOverrides<T> = T extends readonly (infer Item)[]
  ? readonly Partial<Item>[]
  : T extends object
    ? Partial<T>
    : T;

/**
 * A value of one part of a client method (`"body"`, `"query"`, `"path"`, `"result"`), made from the spec
 * the way the kit makes its own answers, with `overrides` laid over it: every field the schema requires is
 * there, so a field Datafold adds to a response (or makes required) needs no edit to the tests that use
 * this. For a list, give one override per item; without overrides a list has as many items as its schema
 * requires.
 *
 * @throws {TypeError} naming the method or part when the spec has no such schema.
 * @example
 * const runs = fakeValue("listCiRuns", "result", [{ id: 41, status: "processing" }, { id: 40, status: "done" }]);
 * const details = fakeValue("triggerPrRun", "body", { pr_number: 42 });
 */
export function fakeValue<M extends keyof MethodTypes & string, P extends MethodPart<M>>(
  method: M,
  part: P,
  overrides?: FakeOverrides<MethodTypes[M][P]>,
): MethodTypes[M][P] {
  return fakeValueFrom(datafoldApi, method, part, overrides) as MethodTypes[M][P];
}

/** {@link fakeValue} over any API description; the kit's own answers and tests of other documents use it. */
export function fakeValueFrom(
  api: ApiDescription,
  method: string,
  part: string,
  overrides?: unknown,
): unknown {
  const schema = partSchema(api, method, part);
  const base = resolveSchema(schema, api);
  if (Array.isArray(overrides)) {
    const items = resolveSchema(base.items ?? {}, api);
    return overrides.map((override) =>
      merge(synthesizeValue(without(items, override), api.schemas), override),
    );
  }
  return merge(synthesizeValue(without(base, overrides), api.schemas), overrides);
}

/**
 * `schema` less the properties `overrides` gives: those are the test's, so none is synthesized (a
 * pattern the synthesizer cannot meet, say, is no obstacle when the test gives the value).
 */
function without(schema: JsonSchema, overrides: unknown): JsonSchema {
  if (overrides === null || typeof overrides !== "object" || schema.properties === undefined) return schema;
  const given = new Set(Object.keys(overrides));
  return {
    ...schema,
    properties: Object.fromEntries(Object.entries(schema.properties).filter(([name]) => !given.has(name))),
    ...(schema.required && { required: schema.required.filter((name) => !given.has(name)) }),
  };
}

function partSchema(api: ApiDescription, method: string, part: string): JsonSchema {
  const operation = findOperation(api, method);
  if (operation === undefined)
    throw new TypeError(`fakeValue: ${api.source} has no client method "${method}"`);
  const where = part === "path" || part === "query" ? part : undefined;
  const schema =
    part === "body"
      ? operation.requestBody?.schema
      : part === "result"
        ? successResponse(operation).schema
        : where !== undefined && operation.parameters.some((p) => p.in === where)
          ? {
              type: "object" as const,
              properties: Object.fromEntries(
                operation.parameters.filter((p) => p.in === where).map((p) => [p.name, p.schema]),
              ),
              required: operation.parameters.filter((p) => p.in === where && p.required).map((p) => p.name),
            }
          : undefined;
  if (schema === undefined) throw new TypeError(`fakeValue: ${method} has no ${part} in ${api.source}`);
  return schema;
}

function merge(value: unknown, overrides: unknown): unknown {
  if (overrides === undefined) return value;
  const isObject = (item: unknown): item is Record<string, unknown> =>
    item !== null && typeof item === "object" && !Array.isArray(item);
  return isObject(value) && isObject(overrides) ? { ...value, ...overrides } : overrides;
}
