import type { MethodSignature } from "./method-signatures.js";

/**
 * The named aliases of every client method's arguments and result (`TriggerPrRunBody`,
 * `ListCiRunsQuery`, `TriggerPrRunResult`, …), each an index into the generated `paths`, and
 * `MethodTypes`, the same by method and part. Appended to the document's types module. Hand-written code
 * names these rather than schemas, so a schema renamed upstream still builds: the alias follows the
 * operation, whose name the override file fixes.
 */
export function emitMethodTypes(source: string, signatures: readonly MethodSignature[]): string {
  const lines = [
    "",
    `// The arguments and result of each client method of ${source}, named after the method.`,
  ];
  for (const signature of signatures)
    for (const alias of signature.aliases)
      lines.push(`/** ${alias.doc} */`, `export type ${alias.name} = ${alias.type};`);
  lines.push(
    "",
    "/** Each client method's parts (`path`, `query`, `body`, `result`), for code that is generic over methods. */",
    "export interface MethodTypes {",
    ...signatures.map((signature) => {
      const parts = signature.aliases.map(
        (alias) => `${alias.name.slice(signature.stem.length).toLowerCase()}: ${alias.name}`,
      );
      return `  ${signature.operation.clientMethod.name}: { ${parts.join("; ")} };`;
    }),
    "}",
  );
  return `${lines.join("\n")}\n`;
}
