import { isDeepStrictEqual } from "node:util";
import type { OpenApiDocument, SpecDocument } from "../codegen/spec-documents.js";
import type { Change } from "./change.js";
import { compareMethodNames } from "./compare-method-names.js";
import { compareOperations } from "./compare-operations.js";
import { compareSchemas } from "./compare-schemas.js";
import { compareServers } from "./compare-servers.js";
import type { Direction } from "./effects.js";
import { asObject, type JsonObject } from "../codegen/json-object.js";
import { changedKeys, type Report, reportDocumentation, reportUnrecognised } from "./keyword-diff.js";
import { componentUsage } from "./schema-usage.js";
import { typeIncompatibilities } from "./type-compatibility.js";

// Top-level keys that describe the API without shaping a request or response. Not `servers`: the first
// one is the packages' default host (compare-servers.ts).
const DOCUMENT_METADATA = new Set(["openapi", "info", "tags", "externalDocs"]);
const EMPTY_DOCUMENT: OpenApiDocument = { openapi: "3.1.0", info: { title: "", version: "" } };

/**
 * Every change between two versions of `spec/`, documents paired by file name. Documents whose parsed
 * content is equal (formatting, comments, key order) contribute nothing, so such an edit is `none`.
 */
export async function compareSpecs(
  before: readonly SpecDocument[],
  after: readonly SpecDocument[],
): Promise<Change[]> {
  const changes: Change[] = [];
  const report: Report = (change) => changes.push(change);
  const files = new Set([...before, ...after].map((spec) => spec.relativePath));
  for (const file of [...files].sort()) {
    const b = before.find((spec) => spec.relativePath === file);
    const a = after.find((spec) => spec.relativePath === file);
    if (
      b !== undefined &&
      a !== undefined &&
      isDeepStrictEqual(b.document, a.document) &&
      b.overridesText === a.overridesText
    )
      continue;
    if (b === undefined) report({ bump: "minor", where: file, what: "document added" });
    if (a === undefined) report({ bump: "major", where: file, what: "document removed" });

    const found = changes.length;
    compareDocuments(b?.document ?? EMPTY_DOCUMENT, a?.document ?? EMPTY_DOCUMENT, file, report);
    if (b !== undefined && a !== undefined) compareMethodNames(b, a, report);
    if (b !== undefined && a !== undefined) changes.push(...(await typeIncompatibilities(b, a)));
    if (changes.length === found) {
      // Equal neither byte for byte nor as data, yet nothing a consumer could see: say so rather than "none".
      report({ bump: "patch", where: file, what: "changed without affecting any generated shape" });
    }
  }
  return dedupe(changes);
}

function compareDocuments(
  before: OpenApiDocument,
  after: OpenApiDocument,
  file: string,
  report: Report,
): void {
  const b = before as unknown as JsonObject;
  const a = after as unknown as JsonObject;
  const metadata = changedKeys(b, a, (key) => DOCUMENT_METADATA.has(key) || key.startsWith("x-"));
  if (metadata.length > 0)
    report({ bump: "patch", where: file, what: `documentation changed (${metadata.join(", ")})` });
  if (!isDeepStrictEqual(b.security, a.security))
    report({ bump: "major", where: file, what: "security requirements changed" });
  reportUnrecognised(
    b,
    a,
    new Set([...DOCUMENT_METADATA, "servers", "security", "paths", "components"]),
    file,
    report,
  );
  compareServers(before.servers, after.servers, report);

  compareOperations(before, after, report);
  compareSecuritySchemes(
    asObject(before.components?.securitySchemes),
    asObject(after.components?.securitySchemes),
    report,
  );
  compareComponentSchemas(before, after, report);
  compareOtherComponents(asObject(before.components), asObject(after.components), report);
}

/** Each component schema once, judged in every direction it travels (before or after the edit). */
function compareComponentSchemas(before: OpenApiDocument, after: OpenApiDocument, report: Report): void {
  const bSchemas = asObject(before.components?.schemas);
  const aSchemas = asObject(after.components?.schemas);
  const bUsage = componentUsage(before);
  const aUsage = componentUsage(after);
  for (const [name, schema] of Object.entries(bSchemas)) {
    if (!(name in aSchemas)) {
      report({ bump: "major", where: name, what: "schema removed (its exported type goes with it)" });
      continue;
    }
    const usage = new Set<Direction>([...(bUsage.get(name) ?? []), ...(aUsage.get(name) ?? [])]);
    compareSchemas(schema, aSchemas[name], name, { before, after, usage, labelUsage: true, report });
  }
  for (const name of Object.keys(aSchemas).filter((n) => !(n in bSchemas))) {
    report({ bump: "minor", where: name, what: "schema added" });
  }
}

/** Authentication: anything but its description changing means consumers' credentials may stop working. */
function compareSecuritySchemes(before: JsonObject, after: JsonObject, report: Report): void {
  for (const [name, scheme] of Object.entries(before)) {
    const where = `security scheme ${name}`;
    if (!(name in after)) report({ bump: "major", where, what: "removed" });
    else {
      reportDocumentation(asObject(scheme), asObject(after[name]), where, report);
      reportUnrecognised(asObject(scheme), asObject(after[name]), new Set(), where, report);
    }
  }
  for (const name of Object.keys(after).filter((n) => !(n in before))) {
    report({ bump: "minor", where: `security scheme ${name}`, what: "added" });
  }
}

/**
 * Reusable parameters, bodies and responses are judged where operations use them (dereferenced);
 * here only their presence counts, since each becomes a member of the generated `components` type.
 */
function compareOtherComponents(before: JsonObject, after: JsonObject, report: Report): void {
  for (const section of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (section === "schemas" || section === "securitySchemes") continue;
    const bSection = asObject(before[section]);
    const aSection = asObject(after[section]);
    for (const name of Object.keys(bSection).filter((n) => !(n in aSection))) {
      report({ bump: "major", where: `components.${section}.${name}`, what: "removed" });
    }
    for (const name of Object.keys(aSection).filter((n) => !(n in bSection))) {
      report({ bump: "minor", where: `components.${section}.${name}`, what: "added" });
    }
  }
}

function dedupe(changes: readonly Change[]): Change[] {
  const seen = new Set<string>();
  return changes.filter((change) => {
    const key = `${change.bump} ${change.where} ${change.what}`;
    return !seen.has(key) && seen.add(key) !== undefined;
  });
}
