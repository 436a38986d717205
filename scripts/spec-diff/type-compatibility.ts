import ts from "typescript";
import { emitTypes } from "../codegen/emit-types.js";
import type { SpecDocument } from "../codegen/spec-documents.js";
import type { Change } from "./change.js";
import { listOperations } from "../codegen/operations.js";

const CHECK_FILE = "/spec-diff/compatibility-check.ts";
const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es5.d.ts"],
  types: [],
};

/**
 * Asks the TypeScript compiler what consumers of `@datafold-ci/types` would: generates both versions
 * with openapi-typescript (as `pnpm generate` does), puts them side by side in one in-memory program,
 * and for every operation both have assigns the OLD request types (`parameters`, `requestBody`) to the
 * NEW ones and the NEW `responses` to the OLD ones. A failing assignment is a break consumers would hit,
 * explained in the compiler's own words. This is exact for what we publish and indifferent to OpenAPI
 * versions (openapi-diff cannot read 3.1). It cannot see what assignability allows — a removed
 * optional field, say — which the structural rules catch.
 */
export async function typeIncompatibilities(before: SpecDocument, after: SpecDocument): Promise<Change[]> {
  const afterOperations = listOperations(after.document);
  const operations = [...listOperations(before.document).values()].filter((op) =>
    afterOperations.has(op.key),
  );
  if (operations.length === 0) return [];

  let text = `declare namespace Before {\n${await emitTypes(before)}\n}\ndeclare namespace After {\n${await emitTypes(after)}\n}\n`;
  // Each check is one line; a diagnostic inside a check's span belongs to that check.
  const checks: { start: number; end: number; where: string; what: string }[] = [];
  const assign = (from: string, to: string, where: string, what: string) => {
    const line = `declare const check${checks.length}: ${from}; const check${checks.length}_: ${to} = check${checks.length};\n`;
    checks.push({ start: text.length, end: text.length + line.length, where, what });
    text += line;
  };
  for (const { key, path, method } of operations) {
    const op = (side: string) => `${side}.paths[${JSON.stringify(path)}][${JSON.stringify(method)}]`;
    assign(
      `${op("Before")}["parameters"]`,
      `${op("After")}["parameters"]`,
      key,
      "old request parameters no longer type-check against the new types",
    );
    assign(
      `${op("Before")}["requestBody"]`,
      `${op("After")}["requestBody"]`,
      key,
      "old request bodies no longer type-check against the new types",
    );
    assign(
      `${op("After")}["responses"]`,
      `${op("Before")}["responses"]`,
      key,
      "new responses no longer satisfy the old types",
    );
  }

  const source = ts.createSourceFile(CHECK_FILE, text, ts.ScriptTarget.ES2022, true);
  const host = ts.createCompilerHost(COMPILER_OPTIONS);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, ...rest) => (name === CHECK_FILE ? source : getSourceFile(name, ...rest));
  const program = ts.createProgram([CHECK_FILE], COMPILER_OPTIONS, host);

  const changes: Change[] = [];
  for (const diagnostic of program.getSemanticDiagnostics(source)) {
    const at = diagnostic.start ?? -1;
    const check = checks.find((c) => c.start <= at && at < c.end);
    if (check === undefined) {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
      throw new Error(`the generated types do not compile: ${message}`);
    }
    changes.push({
      bump: "major",
      where: check.where,
      what: `${check.what} (TypeScript: ${explain(diagnostic.messageText)})`,
    });
  }
  return changes;
}

/**
 * The compiler's chain "Type '{ …whole body… }' is not assignable … Types of property 'pr_sha' are
 * incompatible. Type 'string' is not assignable to type 'number'." shortened to what a reviewer needs:
 * the property path and the innermost reason.
 */
function explain(message: string | ts.DiagnosticMessageChain): string {
  const path: string[] = [];
  let node = message;
  while (typeof node !== "string" && node.next?.[0] !== undefined) {
    // TypeScript words it "The types of 'a.b' are incompatible …" or "Types of property 'a' are incompatible."
    const property = /^(?:The types of|Types of property) '(.+)' are incompatible/.exec(
      node.messageText,
    )?.[1];
    if (property !== undefined) path.push(property);
    node = node.next[0];
  }
  const leaf = (typeof node === "string" ? node : node.messageText).replace(/\s+/g, " ");
  return path.length === 0 ? leaf : `at ${path.join(".")}: ${leaf}`;
}
