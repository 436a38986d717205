import openapiTS, { astToString } from "openapi-typescript";
import type { OpenAPI3 } from "openapi-typescript";
import type { SpecDocument } from "./spec-documents.js";

/**
 * TypeScript types for one document: `paths`, `components`, `operations`, and a named alias per
 * schema (`rootTypes`), so `APIPrDetails` and friends are generated, never restated.
 */
export async function emitTypes(spec: SpecDocument): Promise<string> {
  // openapi-typescript mutates the document it is given while resolving refs: hand it a copy.
  const ast = await openapiTS(structuredClone(spec.document) as unknown as OpenAPI3, {
    rootTypes: true,
    rootTypesNoSchemaPrefix: true,
    rootTypesKeepCasing: true,
    // A field with a default (`CiDiff.include_columns: []`) is optional to send: the server fills it in.
    defaultNonNullable: false,
    silent: true,
  });
  // `operations` is keyed by operationId, which FastAPI derives from a handler's name: a rename upstream
  // would rename its keys. It stays for `paths` to refer to, but is not exported: consumers name
  // operations through `paths` (keyed by path and method) or the per-method aliases.
  return astToString(ast).replace(/^export interface operations \{/m, "interface operations {");
}
