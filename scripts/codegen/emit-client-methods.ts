import { existsSync } from "node:fs";
import { join } from "node:path";
import type { MethodSignature } from "./method-signatures.js";

/** Where the client's retry hooks live, one module each, named after the hook in kebab case. */
const HOOK_DIR = "packages/client/src";

/** The errors every method may throw, as its TSDoc lists them. */
export const METHOD_ERRORS: readonly (readonly [string, string])[] = [
  ["DatafoldInputError", "before any request, naming every bad argument and option; nothing is sent"],
  [
    "DatafoldApiError",
    "when Datafold answers with an error status: `DatafoldValidationError` (422), `DatafoldAuthError` (401, 403), `DatafoldNotFoundError` (404), `DatafoldRateLimitError` (429), `DatafoldServerError` (5xx), else `DatafoldApiError` itself",
  ],
  [
    "DatafoldConnectionError",
    "when no answer came after every retry; `kind` says why: `proxy`, `tls`, `dns`, `connect` or `reset`",
  ],
  [
    "DatafoldTimeoutError",
    'when the last attempt outlived `timeoutMs` (`budget: "attempt"`) or the call outlived `totalTimeoutMs` (`budget: "total"`)',
  ],
  ["DatafoldInvalidResponseError", "when a success answer is not the JSON the spec promises"],
];

/**
 * The client's methods for one document: an interface with the spec's documentation on every method,
 * and their bodies, each a typed openapi-fetch call with its literal path handed to the request core.
 *
 * @param root the repository, to check that a retry hook an override names exists.
 * @throws naming the override file, for a retry hook that does not exist.
 */
export function emitClientMethods(
  root: string,
  source: string,
  overridesFile: string,
  signatures: readonly MethodSignature[],
): string {
  const hooks = [...new Set(signatures.flatMap((s) => (s.retryHook ? [s.retryHook] : [])))];
  for (const hook of hooks) {
    const file = `${HOOK_DIR}/${kebabCase(hook)}.ts`;
    // Checked where the client's sources are: a copy of spec/ alone has none to check against, though a
    // generate there has written the client's generated folder inside HOOK_DIR (so test for the loop).
    if (existsSync(join(root, HOOK_DIR, "request-loop.ts")) && !existsSync(join(root, file)))
      throw new Error(
        `${overridesFile}: retry: ${hook} names no retry hook (expected ${file} exporting ${hook})`,
      );
  }
  const types = new Set(["paths"]);
  for (const signature of signatures) {
    for (const parameter of signature.parameters) addTypeNames(types, parameter.type);
    addTypeNames(types, signature.result);
  }
  const imports = [
    `import type { ${[...types].sort().join(", ")} } from "@datafold-ci/types";`,
    ...hooks.map(
      (hook) => `import { ${hook}, type ${pascalCase(hook)}Options } from "../${kebabCase(hook)}.js";`,
    ),
    `import type { CallOptions } from "../options.js";`,
    `import type { RequestCore } from "../request-loop.js";`,
  ];
  const optionTypes = signatures
    .filter((s) => s.retryHook)
    .map((s) =>
      [
        `/** Per-call options of \`${s.operation.clientMethod.name}\`. */`,
        `export type ${s.stem}Options = CallOptions & ${pascalCase(s.retryHook!)}Options;`,
      ].join("\n"),
    );
  return [
    ...imports,
    "",
    ...optionTypes,
    "",
    "/**",
    ` * One method per operation of ${source}, named by \`${overridesFile}\` or by the rule in the`,
    " * client's README. Arguments: path parameters in path order, then the body, then the query object,",
    " * then per-call options.",
    " */",
    "export interface DatafoldMethods {",
    signatures.map(methodDeclaration).join("\n"),
    "}",
    "",
    "/** The methods over `core`: each checks its input, then sends through the core's loop. */",
    "export function createDatafoldMethods(core: RequestCore<paths>): DatafoldMethods {",
    "  const methods: DatafoldMethods = {",
    signatures.map(methodBody).join("\n"),
    "  };",
    "  return methods;",
    "}",
    "",
  ].join("\n");
}

function optionsType(signature: MethodSignature): string {
  return signature.retryHook ? `${signature.stem}Options` : "CallOptions";
}

function parameterList(signature: MethodSignature): string[] {
  // An optional argument before a required one cannot be `?`: it takes `| undefined` instead.
  const lastRequired = signature.parameters.map((p) => p.optional).lastIndexOf(false);
  return [
    ...signature.parameters.map((p, index) =>
      p.optional && index > lastRequired
        ? `${p.name}?: ${p.type}`
        : `${p.name}: ${p.type}${p.optional ? " | undefined" : ""}`,
    ),
    `options?: ${optionsType(signature)}`,
  ];
}

function methodDeclaration(signature: MethodSignature): string {
  const { operation } = signature;
  const paragraphs = [
    `${signature.summary}: \`${signature.identity}\`.`,
    signature.description,
    signature.notes,
  ].filter((text): text is string => text !== undefined && text !== "");
  const tags = [
    ...signature.parameters.map((p) => `@param ${p.name} ${p.doc || p.name}`),
    `@param options per-call options, each overriding the client's: ${optionNames(signature)}`,
    `@returns ${signature.resultDoc ? `${signature.resultDoc}: ` : ""}\`${signature.result}\``,
    ...METHOD_ERRORS.map(([error, when]) => `@throws {${error}} ${when}`),
    "@throws the signal's reason when `options.signal` aborts",
    ...(signature.deprecated ? ["@deprecated The spec marks this operation deprecated."] : []),
  ];
  const lines = [
    ...paragraphs.flatMap((text, i) => [...(i > 0 ? [""] : []), ...text.split("\n")]),
    "",
    ...tags,
  ];
  return [
    "  /**",
    ...lines.map((line) => (line === "" ? "   *" : `   * ${escapeComment(line)}`)),
    "   */",
    `  ${operation.clientMethod.name}(${parameterList(signature).join(", ")}): Promise<${signature.result}>;`,
  ].join("\n");
}

function methodBody(signature: MethodSignature): string {
  const { operation } = signature;
  const name = operation.clientMethod.name;
  const args = signature.parameters.map((p) => p.name);
  const pathParams = signature.parameters.filter((p) => p.in === "path");
  const body = signature.parameters.find((p) => p.in === "body");
  const query = signature.parameters.find((p) => p.in === "query");
  const concretePath = operation.path.replace(/\{([^{}]+)\}/g, (_, wire: string) => {
    const argument = pathParams.find((p) => p.parameter === wire);
    return `\${encodeURIComponent(String(${argument?.name ?? "undefined"}))}`;
  });
  const identifiers = pathParams
    .map((p) => {
      const title = operation.parameters.find((q) => q.in === "path" && q.name === p.parameter)?.schema.title;
      return `the ${title ?? p.parameter} \${String(${p.name})}`;
    })
    .join(" or ");
  const params = [
    ...(pathParams.length > 0
      ? [`path: { ${pathParams.map((p) => `${JSON.stringify(p.parameter)}: ${p.name}`).join(", ")} }`]
      : []),
    ...(query
      ? [`...(${query.name} !== undefined && { query${query.name === "query" ? "" : `: ${query.name}`} })`]
      : []),
  ];
  const init = [
    ...(params.length > 0 ? [`params: { ${params.join(", ")} }`] : []),
    ...(body
      ? [body.optional ? `...(${body.name} !== undefined && { body: ${body.name} })` : `body: ${body.name}`]
      : []),
    "...init",
  ];
  return [
    `    ${name}(${[...args, "options"].join(", ")}) {`,
    `      return core.request<${signature.result}>({`,
    `        method: ${JSON.stringify(name)},`,
    `        operation: ${JSON.stringify(signature.summary)},`,
    `        httpMethod: ${JSON.stringify(operation.method)},`,
    `        path: \`${concretePath}\`,`,
    `        args: [${args.join(", ")}],`,
    "        options,",
    `        identifiers: \`${identifiers}\`,`,
    `        answersJson: ${signature.answersJson},`,
    `        send: (init) => core.api.${operation.method}(${JSON.stringify(operation.path)}, { ${init.join(", ")} }),`,
    ...(signature.retryHook
      ? [`        retry: ${signature.retryHook}(methods, ${args.join(", ")}, options, core.config),`]
      : []),
    "      });",
    "    },",
  ].join("\n");
}

function optionNames(signature: MethodSignature): string {
  const names = ["signal", "timeoutMs", "totalTimeoutMs", "maxRetries"];
  return `${names.map((n) => `\`${n}\``).join(", ")}${signature.retryHook ? ` and those of \`${pascalCase(signature.retryHook)}Options\`` : ""}`;
}

/** The type names a signature's type mentions (`ApiCiRun` of `ApiCiRun[]`). */
function addTypeNames(names: Set<string>, type: string): void {
  for (const match of type.replace(/"[^"]*"/g, "").matchAll(/\b([A-Za-z_$][\w$]*)\b/g)) {
    const name = match[1]!;
    if (!["number", "string", "boolean", "undefined", "null"].includes(name)) names.add(name);
  }
}

function escapeComment(text: string): string {
  return text.replaceAll("*/", "*\\/");
}

function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function pascalCase(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
