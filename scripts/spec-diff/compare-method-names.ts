import { describe } from "../codegen/emit-operations.js";
import { parseOverrides } from "../codegen/overrides.js";
import type { SpecDocument } from "../codegen/spec-documents.js";
import type { Report } from "./keyword-diff.js";

/**
 * The client method names of two versions of a document, each from the document and its override file,
 * paired by operation identity (`METHOD /path`): a method renamed (its override changed, or the name the
 * rule derives from an operationId where two paths would otherwise share a name) is `major` for code
 * that calls it. Operations added or removed are reported with the operations.
 */
export function compareMethodNames(before: SpecDocument, after: SpecDocument, report: Report): void {
  const names = (spec: SpecDocument) => {
    try {
      const description = describe(spec, parseOverrides(spec, spec.overridesText));
      return new Map(description.operations.map((op) => [`${op.method} ${op.path}`, op.clientMethod.name]));
    } catch {
      // A version `pnpm generate` refuses has no names to compare; generate says why.
      return new Map<string, string>();
    }
  };
  const [was, is] = [names(before), names(after)];
  for (const [identity, name] of was) {
    const now = is.get(identity);
    if (now !== undefined && now !== name)
      report({ bump: "major", where: identity, what: `client method renamed: ${name} → ${now}` });
  }
}
