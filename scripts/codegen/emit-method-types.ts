import type {
  ApiDescription,
  JsonSchema,
  OperationDescription,
} from "../../packages/api-description/src/api-description.js";

/**
 * `OperationMethods<Options>`: one method signature per operation, in the names and argument order
 * the runtime table gives (scripts/codegen/method-names.ts), every type an index into the generated
 * `paths`. Appended to the document's types module; the client implements it from the runtime table.
 */
export function emitMethodTypes(description: ApiDescription): string {
  const methods = description.operations.map(emitMethod).join("\n");
  return [
    "",
    "/**",
    ` * One method per operation of ${description.source}, as \`@datafold-ci/client\` names them; \`Options\``,
    " * is the client's per-call options type. Arguments: path parameters in path order, then the body,",
    " * then the query object, then options.",
    " */",
    "export interface OperationMethods<Options> {",
    methods,
    "}",
    "",
  ].join("\n");
}

function emitMethod(operation: OperationDescription): string {
  const at = `paths[${JSON.stringify(operation.path)}][${JSON.stringify(operation.method.toLowerCase())}]`;
  const parameters = operation.clientMethod.arguments.map((argument) => {
    if (argument.in === "path")
      return {
        name: argument.name,
        type: `${at}["parameters"]["path"][${JSON.stringify(argument.parameter)}]`,
        optional: false,
        doc: titleOf(operation, argument.parameter),
      };
    if (argument.in === "body") {
      const body = operation.requestBody!;
      return {
        name: argument.name,
        type: `NonNullable<${at}["requestBody"]>["content"][${JSON.stringify(body.contentType)}]`,
        optional: !body.required,
        doc: `the body: ${describeSchema(body.schema)}`,
      };
    }
    const query = operation.parameters.filter((p) => p.in === "query");
    return {
      name: argument.name,
      type: `NonNullable<${at}["parameters"]["query"]>`,
      optional: !query.some((p) => p.required),
      doc: `query parameters: ${query.map((p) => p.name).join(", ")}`,
    };
  });
  // An optional argument before a required one cannot be `?`: it takes `| undefined` instead.
  const lastRequired = parameters.map((p) => p.optional).lastIndexOf(false);
  const list = parameters.map((p, index) =>
    p.optional && index > lastRequired
      ? `${p.name}?: ${p.type}`
      : `${p.name}: ${p.type}${p.optional ? " | undefined" : ""}`,
  );
  const success = Object.keys(operation.responses)
    .filter((status) => /^2\d\d$/.test(status) && operation.responses[status]!.schema !== undefined)
    .sort()[0];
  const result =
    success === undefined
      ? "undefined"
      : `${at}["responses"][${success}]["content"][${JSON.stringify(operation.responses[success]!.contentType ?? "application/json")}]`;
  return [
    "  /**",
    `   * ${operation.summary ?? operation.operationId}: \`${operation.method} ${operation.path}\`.`,
    ...parameters.map((p) => `   * @param ${p.name} ${p.doc}`),
    "   */",
    `  ${operation.clientMethod.name}(${[...list, "options?: Options"].join(", ")}): Promise<${result}>;`,
  ].join("\n");
}

function titleOf(operation: OperationDescription, parameter: string): string {
  const schema = operation.parameters.find((p) => p.in === "path" && p.name === parameter)?.schema;
  return `\`${parameter}\`${schema?.title ? `, ${schema.title}` : ""}`;
}

/** `` `APIPrDetails` `` or `` a list of `CiDiff` ``, for the body's `@param`. */
function describeSchema(schema: JsonSchema): string {
  const name = schema.$ref?.split("/").at(-1);
  if (name !== undefined) return `\`${name}\``;
  if (schema.type === "array" && schema.items) return `a list of ${describeSchema(schema.items)}`;
  return `\`${String(schema.type ?? "any")}\``;
}
