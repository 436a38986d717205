import { type ApiDescription, type JsonSchema, schemaNameOf } from "@datafold-ci/api-description";

/** `schema` with `$ref`s followed to the component they name (`{}` for a dangling one). */
export function resolveSchema(schema: JsonSchema, api: ApiDescription): JsonSchema {
  let current = schema;
  for (let hops = 0; current.$ref !== undefined && hops < 32; hops++) {
    current = api.schemas[schemaNameOf(current.$ref)] ?? {};
  }
  return current;
}

/** Whether `schema` (or a member of its `anyOf`/`oneOf`/`allOf`) admits JSON values of `type`. */
export function schemaAllows(
  schema: JsonSchema,
  api: ApiDescription,
  type: "integer" | "string" | "null",
): boolean {
  const target = resolveSchema(schema, api);
  if (type === "null" && target.nullable === true) return true;
  const types = Array.isArray(target.type) ? target.type : [target.type];
  if (types.includes(type)) return true;
  return [...(target.anyOf ?? []), ...(target.oneOf ?? []), ...(target.allOf ?? [])].some((member) =>
    schemaAllows(member, api, type),
  );
}
