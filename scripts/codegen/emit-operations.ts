import type {
  ApiDescription,
  HttpMethod,
  JsonSchema,
  OperationDescription,
  ParameterDescription,
  RequestBodyDescription,
  ResponseDescription,
} from "../../packages/api-description/src/api-description.js";
import { dereference } from "./json-object.js";
import {
  listOperations,
  operationParameters,
  operationRequestBody,
  operationResponses,
} from "./operations.js";
import { layoutMethods } from "./method-names.js";
import type { Overrides } from "./overrides.js";
import type { SpecDocument } from "./spec-documents.js";

/** Schema keywords that carry no meaning at run time; dropped to keep bundles small. */
const DOC_ONLY_KEYWORDS = new Set([
  "description",
  "example",
  "examples",
  "externalDocs",
  "xml",
  "deprecated",
]);

type Json = Record<string, unknown>;

/**
 * The runtime description of one document (`ApiDescription`), as a TypeScript module exporting
 * `<camelCaseName>`: what the client validates before sending and what the mock server serves.
 */
export function emitOperations(spec: SpecDocument, full: ApiDescription): string {
  const description = runtimeOnly(full);
  const exportName = camelCase(spec.name);
  return [
    `import type { ApiDescription } from "../api-description.js";`,
    "",
    `/** Runtime description of ${spec.relativePath} ("${description.title}" ${description.version}). */`,
    `export const ${exportName}: ApiDescription = ${JSON.stringify(description, null, 2)};`,
    "",
  ].join("\n");
}

/** The runtime description of one document: what `@datafold-ci/api-description` exports. */
export function describe(spec: SpecDocument, overrides: Overrides): ApiDescription {
  const doc = spec.document;
  const entries = [...listOperations(doc).values()];
  const described = entries.map((entry) => {
    const { operation: op, method, path } = entry;
    const operationId = op.operationId;
    if (typeof operationId !== "string") {
      throw new Error(`${spec.relativePath}: ${method.toUpperCase()} ${path} has no operationId.`);
    }
    const parameters: ParameterDescription[] = [...operationParameters(doc, entry).values()].map((p) => ({
      name: String(p.name),
      in: p.in as ParameterDescription["in"],
      required: p.in === "path" ? true : p.required === true,
      // A path parameter's title stays: messages name the parameter by it ("the CI config id 7").
      schema: withTitle(
        cleanSchema(p.schema ?? {}),
        p.in === "path" ? (p.schema as Json | undefined)?.title : undefined,
      ),
    }));
    const responses: Record<string, ResponseDescription> = {};
    for (const [status, response] of operationResponses(doc, entry)) {
      const [contentType, json] = jsonContent(response.content) ?? [];
      responses[status] = {
        description: String(response.description ?? ""),
        ...(contentType !== undefined && { contentType }),
        ...(json?.schema !== undefined && { schema: cleanSchema(json.schema) }),
        ...(json?.example !== undefined && { example: json.example }),
      };
    }
    const requestBody = describeBody(operationRequestBody(doc, entry));
    return {
      operationId,
      method: method.toUpperCase() as HttpMethod,
      path,
      ...(typeof op.summary === "string" && { summary: op.summary }),
      tags: (op.tags as string[]) ?? [],
      parameters,
      ...(requestBody && { requestBody }),
      responses,
      security: (op.security as Json[] | undefined) ?? doc.security ?? [],
    } as Omit<OperationDescription, "clientMethod">;
  });
  const methods = layoutMethods(
    spec.relativePath,
    described.map((operation, index) => ({
      entry: entries[index]!,
      parameters: operation.parameters,
      // Uncleaned: the body's name comes from its `title`, which the runtime table drops.
      bodySchema:
        operation.requestBody &&
        (jsonContent(asJson(operationRequestBody(doc, entries[index]!)).content)?.[1]?.schema as
          JsonSchema | undefined),
      bodyRequired: operation.requestBody?.required === true,
    })),
    overrides,
  );
  const operations: OperationDescription[] = described.map((operation, index) => ({
    ...operation,
    clientMethod: methods.get(entries[index]!)!,
  }));

  const schemas: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {}))
    schemas[name] = cleanSchema(schema);

  return {
    source: spec.relativePath,
    title: doc.info.title,
    version: String(doc.info.version),
    servers: doc.servers ?? [],
    securitySchemes: Object.fromEntries(
      Object.entries(doc.components?.securitySchemes ?? {}).map(([name, scheme]) => {
        const { type, in: location, name: headerName, scheme: httpScheme } = dereference(doc, scheme).value;
        return [
          name,
          {
            type,
            ...(location !== undefined && { in: location }),
            ...(headerName !== undefined && { name: headerName }),
            ...(httpScheme !== undefined && { scheme: httpScheme }),
          },
        ];
      }),
    ) as ApiDescription["securitySchemes"],
    operations,
    schemas,
  };
}

/**
 * What the packages read at run time, no more: the table is bundled into the client and the kit, and
 * every byte counts against the client's size budget (`.size-limit.json`). Dropped: summaries, tags and
 * response descriptions and server descriptions (documentation; the generated types keep the summaries), response media types (the types'
 * concern), error responses
 * (the client words errors by status, the kit answers them FastAPI's way), and the schemas only
 * those reached (`HTTPValidationError`).
 */
export function runtimeOnly(description: ApiDescription): ApiDescription {
  const operations = description.operations.map(({ summary: _, tags: __, responses, ...operation }) => ({
    ...operation,
    responses: Object.fromEntries(
      Object.entries(responses)
        .filter(([status]) => /^2/.test(status))
        .map(([status, { description: ___, contentType: ____, ...response }]) => [status, response]),
    ),
  }));
  const reached = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      const name = key === "$ref" && typeof value === "string" ? value.split("/").at(-1) : undefined;
      if (name !== undefined && !reached.has(name)) {
        reached.add(name);
        visit(description.schemas[name]);
      } else visit(value);
    }
  };
  visit(operations);
  const schemas = Object.fromEntries(
    Object.entries(description.schemas).filter(([name]) => reached.has(name)),
  );
  const servers = description.servers.map(({ url }) => ({ url }));
  return { ...description, servers, operations, schemas };
}

function describeBody(body: Json | undefined): RequestBodyDescription | undefined {
  if (!body) return undefined;
  const content = (body.content as Json | undefined) ?? {};
  const contentType = Object.keys(content).find(isJsonMediaType);
  if (!contentType) return undefined;
  return {
    required: body.required === true,
    contentType,
    schema: cleanSchema((content[contentType] as Json).schema ?? {}),
  };
}

function jsonContent(content: unknown): [string, Json] | undefined {
  const entries = Object.entries((content as Json | undefined) ?? {});
  return entries.find(([type]) => isJsonMediaType(type)) as [string, Json] | undefined;
}

function isJsonMediaType(type: string): boolean {
  return type === "application/json" || /\+json$/.test(type);
}

function cleanSchema(schema: unknown): JsonSchema {
  if (Array.isArray(schema)) return schema.map(cleanSchema) as unknown as JsonSchema;
  if (schema === null || typeof schema !== "object") return schema as JsonSchema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DOC_ONLY_KEYWORDS.has(key) || key.startsWith("x-")) continue;
    // A title names a model in pydantic's messages (`model_type`); on a field (`"Base Branch"`) it is
    // documentation, and bytes against the bundles' size budget.
    if (key === "title" && !isModel(schema as Json)) continue;
    // `enum`, `const` and `default` hold data, not schemas: copy them as they are.
    if (key === "enum" || key === "const" || key === "default") out[key] = value;
    else if (key === "properties") {
      out[key] = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, cleanSchema(v)]));
    } else out[key] = cleanSchema(value);
  }
  return out as JsonSchema;
}

function asJson(value: unknown): Json {
  return (value ?? {}) as Json;
}

function withTitle(schema: JsonSchema, title: unknown): JsonSchema {
  return typeof title === "string" ? { ...schema, title } : schema;
}

function isModel(schema: Json): boolean {
  return schema.type === "object" || schema.properties !== undefined;
}

/** `datafold-api` → `datafoldApi`: the export name of a document's generated values. */
export function camelCase(name: string): string {
  return name.replace(/[-_.\s]+(.)/g, (_, c: string) => c.toUpperCase()).replace(/^[^a-zA-Z_$]/, "_$&");
}
