import type {
  ApiDescription,
  JsonSchema,
  OperationDescription,
} from "../../packages/api-description/src/api-description.js";
import { asObject, type JsonObject, refName } from "./json-object.js";
import {
  listOperations,
  operationParameters,
  operationRequestBody,
  operationResponses,
} from "./operations.js";
import type { Overrides } from "./overrides.js";
import type { SpecDocument } from "./spec-documents.js";

/** One positional argument of a client method, as its signature, its alias and its docs give it. */
export interface SignatureParameter {
  /** `ciConfigId`, `details`, `query`. */
  readonly name: string;
  readonly in: "path" | "body" | "query";
  /** The wire name of a path parameter (`ci_config_id`). */
  readonly parameter?: string;
  /** What the signature says, readable in a hover: `number`, `APIPrDetails`, `ListCiRunsQuery`. */
  readonly type: string;
  readonly optional: boolean;
  /** The spec's title and description, one line. */
  readonly doc: string;
}

/** A client method laid out for the emitters. */
export interface MethodSignature {
  readonly operation: OperationDescription;
  /** `POST /api/v1/ci/{ci_config_id}/trigger`. */
  readonly identity: string;
  /** `TriggerPrRun`: the method's name, capitalised, the stem of its aliases. */
  readonly stem: string;
  readonly parameters: readonly SignatureParameter[];
  /** What the method resolves with, readable: `SubmitCiJob`, `ApiCiRun[]`, `undefined`. */
  readonly result: string;
  /** Whether the spec promises a JSON body on success. */
  readonly answersJson: boolean;
  /** Named aliases the types package exports for this method: name → type expression. */
  readonly aliases: readonly { readonly name: string; readonly type: string; readonly doc: string }[];
  readonly summary: string;
  /** The spec's description of the operation, as written. */
  readonly description: string | undefined;
  readonly deprecated: boolean;
  /** The success answer's description (`Successful Response`). */
  readonly resultDoc: string | undefined;
  /** Hand-written notes from the override file. */
  readonly notes: string | undefined;
  /** The override's retry hook, e.g. `lookForStartedRun`. */
  readonly retryHook: string | undefined;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** Names the types module declares itself, which no alias may take. */
const RESERVED = new Set(["paths", "webhooks", "components", "operations", "$defs"]);

/**
 * Lays out every method of `description`: the types a person reads in an editor (`ciConfigId: number`,
 * `details: APIPrDetails`), the named aliases hand-written code uses instead of schema names (so a
 * renamed schema still builds: `TriggerPrRunBody`, `ListCiRunsQuery`, `TriggerPrRunResult`), and the
 * documentation the spec and the override file give.
 *
 * @throws naming the document, when an alias would take a schema's name or an override names an unknown hook.
 */
export function methodSignatures(
  spec: SpecDocument,
  description: ApiDescription,
  overrides: Overrides,
): MethodSignature[] {
  const doc = spec.document;
  const raw = listOperations(doc);
  const schemaNames = new Set(Object.keys(doc.components?.schemas ?? {}));
  const taken = new Map<string, string>();
  return description.operations.map((operation) => {
    const identity = `${operation.method} ${operation.path}`;
    const entry = raw.get(identity)!;
    const override = overrides.operations.get(identity);
    const name = operation.clientMethod.name;
    const stem = name.charAt(0).toUpperCase() + name.slice(1);
    const at = `paths[${JSON.stringify(operation.path)}][${JSON.stringify(operation.method.toLowerCase())}]`;
    const rawParameters = operationParameters(doc, entry);
    const rawBody = operationRequestBody(doc, entry);
    const aliases: { name: string; type: string; doc: string }[] = [];
    const alias = (suffix: string, type: string, what: string) => {
      const aliasName = `${stem}${suffix}`;
      aliases.push({ name: aliasName, type, doc: what.replace("{method}", `\`${name}\` (\`${identity}\`)`) });
      return aliasName;
    };

    const parameters: SignatureParameter[] = operation.clientMethod.arguments.map((argument) => {
      if (argument.in === "path") {
        const parameter = operation.parameters.find((p) => p.in === "path" && p.name === argument.parameter)!;
        const pathAlias = aliases.some((a) => a.name === `${stem}Path`)
          ? `${stem}Path`
          : alias("Path", `${at}["parameters"]["path"]`, "The path parameters of {method}.");
        return {
          name: argument.name,
          in: "path",
          parameter: argument.parameter,
          type: primitiveType(parameter.schema) ?? `${pathAlias}[${JSON.stringify(argument.parameter)}]`,
          optional: false,
          doc: describeParameter(rawParameters.get(`path ${argument.parameter}`)),
        };
      }
      if (argument.in === "body") {
        const body = operation.requestBody!;
        const bodyAlias = alias(
          "Body",
          `NonNullable<${at}["requestBody"]>["content"][${JSON.stringify(body.contentType)}]`,
          "The request body of {method}.",
        );
        const bodySchema = asObject(asObject(asObject(rawBody?.content)[body.contentType]).schema);
        return {
          name: argument.name,
          in: "body",
          type: namedType(bodySchema, schemaNames) ?? bodyAlias,
          optional: !body.required,
          doc: oneLine(rawBody?.description) ?? describeSchema(bodySchema),
        };
      }
      const query = operation.parameters.filter((p) => p.in === "query");
      return {
        name: argument.name,
        in: "query",
        type: alias(
          "Query",
          `NonNullable<${at}["parameters"]["query"]>`,
          "The query parameters of {method}.",
        ),
        optional: !query.some((p) => p.required),
        doc: `the query parameters: ${query
          .map((p) => {
            const text = describeParameter(rawParameters.get(`query ${p.name}`));
            return text ? `\`${p.name}\` (${text})` : `\`${p.name}\``;
          })
          .join(", ")}`,
      };
    });

    const success = Object.keys(operation.responses)
      .filter((status) => /^2\d\d$/.test(status) && operation.responses[status]!.schema !== undefined)
      .sort()[0];
    const rawResponses = operationResponses(doc, entry);
    let result = "undefined";
    let resultDoc: string | undefined;
    if (success !== undefined) {
      const response = operation.responses[success]!;
      const contentType = response.contentType ?? "application/json";
      const resultAlias = alias(
        "Result",
        `${at}["responses"][${success}]["content"][${JSON.stringify(contentType)}]`,
        "What {method} resolves with.",
      );
      const rawResponse = rawResponses.get(success);
      const schema = asObject(asObject(asObject(rawResponse?.content)[contentType]).schema);
      result = namedType(schema, schemaNames) ?? resultAlias;
      resultDoc = oneLine(rawResponse?.description);
    } else alias("Result", "undefined", "What {method} resolves with: no body.");

    for (const { name: aliasName } of aliases) {
      const clash = RESERVED.has(aliasName)
        ? "a name the generated types declare"
        : schemaNames.has(aliasName)
          ? `the schema ${aliasName}`
          : taken.get(aliasName);
      if (clash !== undefined)
        throw new Error(
          `${spec.relativePath}: the alias ${aliasName} of ${identity} would take the name of ${clash}; rename the method in ${overrides.file}`,
        );
      taken.set(aliasName, identity);
    }

    const retry = override?.sections.retry;
    if (retry !== undefined && !(typeof retry === "string" && IDENTIFIER.test(retry)))
      throw new Error(
        `${overrides.file}: "${identity}": retry must name a retry hook (got ${JSON.stringify(retry)})`,
      );

    const unsent =
      operation.requestBody !== undefined && !parameters.some((p) => p.in === "body")
        ? `The spec gives this ${operation.method} operation an optional request body; fetch sends none with ${operation.method}, so the method takes none.`
        : undefined;
    return {
      operation,
      identity,
      stem,
      parameters,
      result,
      answersJson: success !== undefined,
      aliases,
      summary: typeof entry.operation.summary === "string" ? entry.operation.summary : name,
      description:
        typeof entry.operation.description === "string" ? entry.operation.description.trim() : undefined,
      deprecated: entry.operation.deprecated === true,
      resultDoc,
      notes: [override?.notes, unsent].filter(Boolean).join("\n\n") || undefined,
      retryHook: typeof retry === "string" ? retry : undefined,
    };
  });
}

/** `number` or `string` for a path parameter whose schema is that and nothing more. */
function primitiveType(schema: JsonSchema): string | undefined {
  const keys = Object.keys(schema).filter((key) => key !== "title" && key !== "default");
  if (keys.length !== 1 || keys[0] !== "type") return undefined;
  return { integer: "number", number: "number", string: "string", boolean: "boolean" }[String(schema.type)];
}

/** `APIPrDetails` for a `$ref` to it, `CiDiff[]` for an array of them; `undefined` for anything else. */
function namedType(schema: JsonObject, schemaNames: ReadonlySet<string>): string | undefined {
  if (typeof schema.$ref === "string") {
    const name = refName(schema.$ref);
    return schemaNames.has(name) && IDENTIFIER.test(name) && !RESERVED.has(name) ? name : undefined;
  }
  if (schema.type === "array") {
    const item = namedType(asObject(schema.items), schemaNames);
    return item === undefined ? undefined : `${item}[]`;
  }
  return undefined;
}

function describeSchema(schema: JsonObject): string {
  const shape = (part: JsonObject): string =>
    typeof part.$ref === "string"
      ? `\`${refName(part.$ref)}\``
      : part.type === "array"
        ? `a list of ${shape(asObject(part.items))}`
        : (oneLine(part.title) ?? "JSON");
  return `the request body (${shape(schema)})`;
}

function describeParameter(parameter: JsonObject | undefined): string {
  if (parameter === undefined) return "";
  const schema = asObject(parameter.schema);
  // FastAPI titles a parameter after its name ("Pr Sha" for pr_sha): that says nothing the name does not.
  const title = oneLine(schema.title);
  const own =
    title?.toLowerCase().replace(/ /g, "_") === String(parameter.name).toLowerCase() ? undefined : title;
  return [own, oneLine(parameter.description) ?? oneLine(schema.description)]
    .filter((part): part is string => part !== undefined)
    .join(": ");
}

/** Text on one line, or `undefined` when there is none. */
export function oneLine(text: unknown): string | undefined {
  return typeof text === "string" && text.trim() !== "" ? text.replace(/\s+/g, " ").trim() : undefined;
}
