import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse, stringify } from "yaml";

type Json = Record<string, unknown>;

const SCHEMA_REF = "#/components/schemas/";

/**
 * A synthetic OpenAPI document with `operations` copies of the shipped spec's single operation:
 * each copy gets its own path, operationId and its own copies of every schema it references, so
 * the generators do per-operation work exactly as they would for a large real API.
 */
export async function syntheticSpec(shippedSpecPath: string, operations: number): Promise<string> {
  const shipped = parse(await readFile(shippedSpecPath, "utf8")) as Json & {
    paths: Record<string, Json>;
    components: Json & { schemas: Record<string, unknown> };
  };
  const [[templatePath, templateItem]] = Object.entries(shipped.paths) as [[string, Json]];
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (let index = 1; index <= operations; index++) {
    const suffix = String(index).padStart(4, "0");
    const rename = (name: string) => `${name}${suffix}`;
    const item = renameRefs(templateItem, rename) as Record<string, Json>;
    for (const operation of Object.values(item)) {
      operation.operationId = `${String(operation.operationId)}_${suffix}`;
    }
    paths[templatePath.replace("/ci/", `/ci${suffix}/`)] = item;
    for (const [name, schema] of Object.entries(shipped.components.schemas)) {
      schemas[rename(name)] = renameRefs(schema, rename);
    }
  }
  const document = {
    ...shipped,
    info: { ...(shipped.info as Json), title: `Synthetic API (${operations} operations)` },
    paths,
    components: { ...shipped.components, schemas },
  };
  return stringify(document, { aliasDuplicateObjects: false });
}

/** A deep copy of `value` with every `$ref` to a component schema pointed at its renamed copy. */
function renameRefs(value: unknown, rename: (name: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => renameRefs(item, rename));
  if (value === null || typeof value !== "object") return value;
  const copy: Json = {};
  for (const [key, child] of Object.entries(value)) {
    copy[key] =
      key === "$ref" && typeof child === "string" && child.startsWith(SCHEMA_REF)
        ? SCHEMA_REF + rename(child.slice(SCHEMA_REF.length))
        : renameRefs(child, rename);
  }
  return copy;
}

/** Where the shipped document lives under a repository root. */
export function shippedSpecPath(root: string): string {
  return join(root, "spec", "datafold-api.yaml");
}
