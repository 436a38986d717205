import { isDeepStrictEqual } from "node:util";
import type { OpenApiDocument } from "../codegen/spec-documents.js";
import { compareSchemas } from "./compare-schemas.js";
import type { Direction } from "./effects.js";
import { asObject, dereference, type JsonObject } from "../codegen/json-object.js";
import { type Report, reportDocumentation, reportUnrecognised } from "./keyword-diff.js";
import {
  listOperations,
  type OperationEntry,
  operationParameters,
  operationRequestBody,
  operationResponses,
} from "../codegen/operations.js";

const REQUEST: ReadonlySet<Direction> = new Set(["request"]);
const RESPONSE: ReadonlySet<Direction> = new Set(["response"]);

/**
 * Compares the operations of two versions of a document, matched by `METHOD /path` (what a request
 * hits): removed operations, parameters, bodies, media types and responses; their schemas; renamed
 * operationIds; security.
 */
export function compareOperations(before: OpenApiDocument, after: OpenApiDocument, report: Report): void {
  const beforeOps = listOperations(before);
  const afterOps = listOperations(after);
  for (const [key, b] of beforeOps) {
    const a = afterOps.get(key);
    if (a === undefined) report({ bump: "major", where: key, what: "operation removed" });
    else compareOperation(b, a);
  }
  for (const key of afterOps.keys()) {
    if (!beforeOps.has(key)) report({ bump: "minor", where: key, what: "operation added" });
  }

  function compareOperation(b: OperationEntry, a: OperationEntry): void {
    const where = b.key;
    reportDocumentation(b.operation, a.operation, where, report);
    // The packages name operations by path and method (and the override file), never by operationId:
    // a rename upstream (FastAPI derives it from the handler's name) changes no generated name by itself.
    // Whether a client method's name changed is judged apart (compare-method-names.ts).
    if (b.operation.operationId !== a.operation.operationId) {
      report({
        bump: "patch",
        where,
        what: `operationId renamed: ${String(b.operation.operationId)} → ${String(a.operation.operationId)}`,
      });
    }
    if (!isDeepStrictEqual(b.operation.security, a.operation.security)) {
      report({ bump: "major", where, what: "security requirements changed" });
    }
    reportUnrecognised(
      b.operation,
      a.operation,
      new Set(["operationId", "security", "parameters", "requestBody", "responses"]),
      where,
      report,
    );
    compareParameters(b, a);
    compareRequestBody(b, a);
    compareResponses(b, a);
  }

  function compareParameters(b: OperationEntry, a: OperationEntry): void {
    const bParams = operationParameters(before, b);
    const aParams = operationParameters(after, a);
    for (const [key, bParam] of bParams) {
      const where = `${b.key} ${key} parameter`;
      const aParam = aParams.get(key);
      if (aParam === undefined) {
        report({ bump: "major", where, what: "parameter removed" });
        continue;
      }
      compareRequired(bParam.required === true, aParam.required === true, where, "parameter");
      reportDocumentation(bParam, aParam, where, report);
      reportUnrecognised(bParam, aParam, new Set(["required", "schema"]), where, report);
      compareSchemas(bParam.schema, aParam.schema, where, { before, after, usage: REQUEST, report });
    }
    for (const [key, aParam] of aParams) {
      if (bParams.has(key)) continue;
      reportAdded(aParam.required === true, `${a.key} ${key} parameter`, "parameter");
    }
  }

  function compareRequestBody(b: OperationEntry, a: OperationEntry): void {
    const bBody = operationRequestBody(before, b);
    const aBody = operationRequestBody(after, a);
    const where = `${b.key} request body`;
    if (bBody === undefined && aBody === undefined) return;
    if (bBody === undefined) {
      reportAdded(aBody?.required === true, where, "request body");
      return;
    }
    if (aBody === undefined) {
      report({ bump: "major", where, what: "request body removed" });
      return;
    }
    compareRequired(bBody.required === true, aBody.required === true, where, "request body");
    reportDocumentation(bBody, aBody, where, report);
    reportUnrecognised(bBody, aBody, new Set(["required", "content"]), where, report);
    compareContent(bBody.content, aBody.content, where, REQUEST);
  }

  function compareResponses(b: OperationEntry, a: OperationEntry): void {
    const bResponses = operationResponses(before, b);
    const aResponses = operationResponses(after, a);
    for (const [status, bResponse] of bResponses) {
      const where = `${b.key} response ${status}`;
      const aResponse = aResponses.get(status);
      if (aResponse === undefined) {
        report({ bump: "major", where, what: "response removed" });
        continue;
      }
      reportDocumentation(bResponse, aResponse, where, report);
      reportUnrecognised(bResponse, aResponse, new Set(["content", "headers"]), where, report);
      compareContent(bResponse.content, aResponse.content, where, RESPONSE);
      compareHeaders(asObject(bResponse.headers), asObject(aResponse.headers), where);
    }
    for (const status of aResponses.keys()) {
      if (!bResponses.has(status))
        report({ bump: "minor", where: `${a.key} response ${status}`, what: "response added" });
    }
  }

  function compareHeaders(bHeaders: JsonObject, aHeaders: JsonObject, where: string): void {
    for (const [name, raw] of Object.entries(bHeaders)) {
      if (!(name in aHeaders)) {
        report({ bump: "major", where: `${where} header ${name}`, what: "header removed" });
        continue;
      }
      const bHeader = dereference(before, raw).value;
      const aHeader = dereference(after, aHeaders[name]).value;
      reportDocumentation(bHeader, aHeader, `${where} header ${name}`, report);
      compareSchemas(bHeader.schema, aHeader.schema, `${where} header ${name}`, {
        before,
        after,
        usage: RESPONSE,
        report,
      });
    }
    for (const name of Object.keys(aHeaders).filter((n) => !(n in bHeaders))) {
      report({ bump: "minor", where: `${where} header ${name}`, what: "header added" });
    }
  }

  /** Media types of a body: one a consumer sends or reads disappearing breaks them; a new one adds. */
  function compareContent(
    bContent: unknown,
    aContent: unknown,
    where: string,
    usage: ReadonlySet<Direction>,
  ): void {
    const bMedia = asObject(bContent);
    const aMedia = asObject(aContent);
    for (const [type, bEntry] of Object.entries(bMedia)) {
      const at = `${where} (${type})`;
      if (!(type in aMedia)) {
        report({ bump: "major", where: at, what: "media type removed" });
        continue;
      }
      const b = asObject(bEntry);
      const a = asObject(aMedia[type]);
      reportDocumentation(b, a, at, report);
      reportUnrecognised(b, a, new Set(["schema"]), at, report);
      compareSchemas(b.schema, a.schema, at, { before, after, usage, report });
    }
    for (const type of Object.keys(aMedia).filter((t) => !(t in bMedia))) {
      report({ bump: "minor", where: `${where} (${type})`, what: "media type added" });
    }
  }

  /** A new input consumers must now send breaks them; one they may send is an addition. */
  function reportAdded(required: boolean, where: string, what: string): void {
    if (required) report({ bump: "major", where, what: `required ${what} added` });
    else report({ bump: "minor", where, what: `optional ${what} added` });
  }

  function compareRequired(was: boolean, is: boolean, where: string, what: string): void {
    if (!was && is) report({ bump: "major", where, what: `${what} is now required` });
    if (was && !is) report({ bump: "minor", where, what: `${what} is now optional` });
  }
}
