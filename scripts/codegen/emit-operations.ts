import type {
  ApiDescription,
  HttpMethod,
  JsonSchema,
  OperationDescription,
  ParameterDescription,
  RequestBodyDescription,
  ResponseDescription,
} from "../../packages/spec/src/api-description.js";
import { dereference } from "./json-object.js";
import {
  listOperations,
  operationParameters,
  operationRequestBody,
  operationResponses,
} from "./operations.js";
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
export function emitOperations(spec: SpecDocument): string {
  const description = describe(spec);
  const exportName = camelCase(spec.name);
  return [
    `import type { ApiDescription } from "../api-description.js";`,
    "",
    `/** Runtime description of ${spec.relativePath} ("${description.title}" ${description.version}). */`,
    `export const ${exportName}: ApiDescription = ${JSON.stringify(description)};`,
    "",
  ].join("\n");
}

function describe(spec: SpecDocument): ApiDescription {
  const doc = spec.document;
  const operations: OperationDescription[] = [...listOperations(doc).values()].map((entry) => {
    const { operation: op, method, path } = entry;
    const operationId = op.operationId;
    if (typeof operationId !== "string") {
      throw new Error(`${spec.relativePath}: ${method.toUpperCase()} ${path} has no operationId.`);
    }
    const parameters: ParameterDescription[] = [...operationParameters(doc, entry).values()].map((p) => ({
      name: String(p.name),
      in: p.in as ParameterDescription["in"],
      required: p.in === "path" ? true : p.required === true,
      schema: cleanSchema(p.schema ?? {}),
    }));
    const responses: Record<string, ResponseDescription> = {};
    for (const [status, response] of operationResponses(doc, entry)) {
      const json = jsonContent(response.content);
      responses[status] = {
        description: String(response.description ?? ""),
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
    } as OperationDescription;
  });

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

function jsonContent(content: unknown): Json | undefined {
  const entries = Object.entries((content as Json | undefined) ?? {});
  const json = entries.find(([type]) => isJsonMediaType(type));
  return json?.[1] as Json | undefined;
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
    // `enum`, `const` and `default` hold data, not schemas: copy them as they are.
    if (key === "enum" || key === "const" || key === "default") out[key] = value;
    else if (key === "properties") {
      out[key] = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, cleanSchema(v)]));
    } else out[key] = cleanSchema(value);
  }
  return out as JsonSchema;
}

function camelCase(name: string): string {
  return name.replace(/[-_.\s]+(.)/g, (_, c: string) => c.toUpperCase()).replace(/^[^a-zA-Z_$]/, "_$&");
}
