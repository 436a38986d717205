import { _, Ajv2020, type KeywordCxt } from "ajv/dist/2020.js";
import standalone from "ajv/dist/standalone/index.js";
import type {
  ApiDescription,
  JsonSchema,
  OperationDescription,
} from "../../packages/api-description/src/api-description.js";
import { FORMAT_CHECKS, type FormatName } from "../../packages/api-description/src/formats.js";
import { bodyShape } from "./body-shape.js";
import { camelCase } from "./emit-operations.js";
import * as sentences from "../../packages/api-description/src/sentences.js";
import type { JsonObject } from "./json-object.js";
import {
  ASSERTION_KEYWORDS,
  assertKeywordsSupported,
  forEachSubschema,
  type NamedSchema,
} from "./schema-keywords.js";
import type { SpecDocument } from "./spec-documents.js";

/**
 * The assertion keywords the compiled validators check. ajv checks the JSON Schema ones; `discriminator`
 * (OpenAPI) and `nullable` (OpenAPI 3.0) are rewritten into JSON Schema first (see `prepare`). Left out:
 * keywords of older drafts, and `unevaluated*`/`$dynamicRef`, whose bookkeeping would grow every
 * validator of the bundle for keywords no FastAPI document uses.
 */
export const CLIENT_KEYWORDS: ReadonlySet<string> = new Set(
  [...ASSERTION_KEYWORDS].filter(
    (keyword) =>
      ![
        "additionalItems",
        "dependencies",
        "$recursiveRef",
        "unevaluatedItems",
        "unevaluatedProperties",
        "$dynamicRef",
      ].includes(keyword),
  ),
);

/** Integers named so are identifiers (`id`, `ci_config_id`, `pr_num`, `pr_number`): the client wants 1 or more. */
const IDENTIFIER_NAME = /^(?:id|.+_id|.+_num|.+_number)$/;
const COMPONENT_REF = /^#\/components\/schemas\/(.+)$/;

/** `input` validators add the client's rules for what it sends; `output` ones are the spec's schema alone. */
type World = "input" | "output";

/** The generated module of one document: the JavaScript, and its declarations. */
export interface ValidatorModule {
  readonly js: string;
  readonly dts: string;
}

/**
 * Compiles, with ajv (JSON Schema 2020-12, standalone code), a validator for every part of every
 * operation of a document: its path parameters and its query parameters (each as one object; unknown
 * names refused), its request body, and each JSON success answer. Input validators carry the client's
 * two rules that Datafold's schemas do not state: an integer named as an identifier is 1 or more (and
 * a safe integer, which JSON carries exactly), and a string is not empty or only whitespace (unless the
 * spec defaults it to "", which says the empty string means something there).
 *
 * The output imports two tiny helpers and the format checks from `@datafold-ci/api-description`
 * instead of ajv's runtime, so nothing published depends on ajv.
 *
 * @throws naming the schema, the keyword and the file, for an assertion keyword ajv cannot check here
 *   and for a `format` without a checker.
 */
export function emitValidators(
  spec: Pick<SpecDocument, "relativePath" | "name">,
  description: ApiDescription,
): ValidatorModule {
  const file = spec.relativePath;
  const reached = reachableSchemas(description);
  assertKeywordsSupported(
    file,
    reached.all,
    CLIENT_KEYWORDS,
    "the client's validator",
    new Set(Object.keys(FORMAT_CHECKS)),
  );

  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    // FastAPI writes `anyOf` members without repeating the outer type, and tuples without `items`.
    strictTypes: false,
    strictTuples: false,
    // One function per component, called by reference: the output stays a fraction of the size.
    inlineRefs: false,
    // The translation into sentences is the client's; ajv's English would only add bytes.
    messages: false,
    unicodeRegExp: true,
    // A loop over `required` and `enum` rather than a test per name: the same checks in less code.
    loopRequired: 2,
    loopEnum: 4,
    code: { source: true, esm: true, lines: true, optimize: true, formats: _`formats` },
  });
  // No schema of ours uses `unevaluated*` or `$dynamicRef` (CLIENT_KEYWORDS refuses them), so the
  // bookkeeping Ajv2020 adds to every function for them is switched off.
  Object.assign(ajv.opts, { unevaluated: false, dynamicRef: false });
  const formatsUsed = new Set<FormatName>();
  for (const [name, check] of Object.entries(FORMAT_CHECKS))
    ajv.addFormat(name, { type: "string", validate: check });
  ajv.addKeyword({
    keyword: "identifier",
    schemaType: "boolean",
    code(cxt: KeywordCxt) {
      // In place of `type: integer` (see addInputRules): one check, one error, one sentence.
      const d = cxt.data;
      cxt.fail(
        cxt.parentSchema.type === undefined
          ? _`!(Number.isSafeInteger(${d}) && ${d} >= 1)`
          : _`Number.isInteger(${d}) && !(Number.isSafeInteger(${d}) && ${d} >= 1)`,
      );
    },
  });
  ajv.addKeyword({
    keyword: "nonBlank",
    schemaType: "boolean",
    code(cxt: KeywordCxt) {
      // In place of `type: string`, or beside `type: [string, null]` (see addInputRules).
      cxt.fail(
        _`typeof ${cxt.data} == "string" ? ${cxt.data}.trim() === "" : ${cxt.parentSchema.type === undefined}`,
      );
    },
  });

  const compiled: unknown[] = [];
  for (const world of ["input", "output"] as const) {
    const preparer = new Preparer(file, world, description.schemas, formatsUsed);
    for (const name of reached[world]) {
      const prepared = preparer.prepare(description.schemas[name], undefined) as JsonObject;
      compiled.push(prepared);
      ajv.addSchema(prepared, componentId(world, name));
    }
  }

  const exports: Record<string, string> = {};
  const roots = new Map<string, string>();
  const table: string[] = [];
  const input = new Preparer(file, "input", description.schemas, formatsUsed);
  const output = new Preparer(file, "output", description.schemas, formatsUsed);
  for (const operation of description.operations) {
    const method = operation.clientMethod.name;
    const add = (part: string, schema: unknown): string => {
      const exportName = `${method}_${part}`;
      const prepared = schema as JsonObject;
      compiled.push(prepared);
      // A part that is one component is that component's function: no wrapper that only calls it.
      const only =
        Object.keys(prepared).length === 1 && typeof prepared.$ref === "string" ? prepared.$ref : undefined;
      // Parts with the same schema (the `{ci_config_id}` path of several operations) share one function.
      const key = JSON.stringify(prepared);
      const same = only ?? roots.get(key);
      if (same === undefined) {
        ajv.addSchema(prepared, `op:${exportName}`);
        roots.set(key, `op:${exportName}`);
      }
      const id = same ?? `op:${exportName}`;
      // Standalone code emits a function once per export: a shared component is exported once.
      const known = Object.entries(exports).find(([, exported]) => exported === id)?.[0];
      if (known !== undefined) return known;
      exports[exportName] = id;
      return exportName;
    };
    const entry: string[] = [`arguments: ${JSON.stringify(argumentSlots(operation))}`];
    // The path object is built by the client from its arguments: always an object, never with other names.
    const { type: _, additionalProperties: __, ...pathObject } = parameterObject(operation, "path");
    entry.push(`path: ${add("path", input.prepare(pathObject, undefined))}`);
    const query = operation.parameters.filter((p) => p.in === "query");
    if (query.length > 0) {
      entry.push(`query: ${add("query", input.prepare(parameterObject(operation, "query"), undefined))}`);
      if (query.some((p) => p.required)) entry.push("queryRequired: true");
      entry.push(`queryNames: ${JSON.stringify(query.map((p) => p.name))}`);
    }
    if (operation.requestBody) {
      entry.push(`body: ${add("body", input.prepare(operation.requestBody.schema, undefined))}`);
      if (operation.requestBody.required) entry.push("bodyRequired: true");
      const fields = objectFields(operation.requestBody.schema, description);
      if (fields) entry.push(`bodyFields: ${JSON.stringify(fields)}`);
      const shape = bodyShape(operation.requestBody.schema, description.schemas);
      if (shape) entry.push(`bodyShape: ${JSON.stringify(shape)}`);
    }
    const responses = Object.entries(operation.responses)
      .filter(([status, response]) => /^2\d\d$/.test(status) && response.schema !== undefined)
      .map(
        ([status, response]) =>
          `${JSON.stringify(status)}: ${add(status, output.prepare(response.schema, undefined))}`,
      );
    entry.push(`responses: { ${responses.join(", ")} }`);
    table.push(`  ${JSON.stringify(method)}: { ${entry.join(", ")} },`);
  }

  const code = rewriteRuntimeRequires(file, standalone.default(ajv, exports));
  const tableName = `${camelCase(spec.name)}Validators`;
  const used = [...formatsUsed].sort();
  const imports: string[] = [
    ...(used.length > 0
      ? [`import { ${used.map((name) => FORMAT_CHECKS[name].name).join(", ")} } from "../formats.js";`]
      : []),
    ...(code.helpers.length > 0
      ? [`import { ${code.helpers.join(", ")} } from "../validator-runtime.js";`]
      : []),
  ];
  // The sentences of the keywords these validators can fail on, and no others (see sentences.ts).
  const keywords = new Set<string>();
  for (const schema of compiled)
    forEachSubschema(schema, (sub) => {
      // `items` fails on its own only as `false`, a tuple's end; otherwise its items' keywords fail.
      for (const key of Object.keys(sub)) if (key !== "items" || sub.items === false) keywords.add(key);
    });
  const sentenceNames = [...keywords]
    .sort()
    .filter((keyword) => `${keyword}Sentence` in sentences)
    .map((keyword) => [keyword, `${keyword}Sentence`] as const);
  if (sentenceNames.length > 0)
    imports.push(`import { ${sentenceNames.map(([, name]) => name).join(", ")} } from "../sentences.js";`);
  const js = [
    ...imports,
    "",
    `const formats = { ${used.map((name) => `${JSON.stringify(name)}: { validate: ${FORMAT_CHECKS[name].name} }`).join(", ")} };`,
    "",
    `const ${ERROR_HELPER} = (instancePath, keyword, params) => ({ instancePath, keyword, params });`,
    "",
    code.text,
    "",
    `/** The compiled validators of ${file}, by client method name. */`,
    `export const ${tableName} = {`,
    ...table,
    "};",
    "",
    `/** The sentences for the keywords ${file}'s validators can fail on, by keyword. */`,
    `export const ${camelCase(spec.name)}Sentences = { ${sentenceNames.map(([keyword, name]) => `${JSON.stringify(keyword)}: ${name}`).join(", ")} };`,
    "",
  ].join("\n");
  const dts = [
    'import type { DocumentSentences, DocumentValidators } from "../validators.js";',
    "",
    `/** The compiled validators of ${file}, by client method name. */`,
    `export declare const ${tableName}: DocumentValidators;`,
    "",
    `/** The sentences for the keywords ${file}'s validators can fail on, by keyword. */`,
    `export declare const ${camelCase(spec.name)}Sentences: DocumentSentences;`,
    "",
  ].join("\n");
  return { js, dts };
}

function componentId(world: World, name: string): string {
  return `${world}:${encodeURIComponent(name)}`;
}

/** Rewrites schemas of the runtime table into what ajv compiles; see {@link emitValidators}. */
class Preparer {
  constructor(
    private readonly file: string,
    private readonly world: World,
    private readonly components: Readonly<Record<string, JsonSchema>>,
    private readonly formatsUsed: Set<FormatName>,
  ) {}

  /**
   * `schema` with annotations dropped, `$ref`s pointed at this world's components, OpenAPI's
   * `discriminator` and `nullable` spelled in JSON Schema, and (input only) the client's rules added.
   * `name` is the property or parameter the schema describes, for the identifier rule.
   */
  prepare(schema: unknown, name: string | undefined): unknown {
    if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return schema;
    const source = schema as JsonObject;
    if (source.nullable === true) {
      const { nullable: _, ...rest } = source;
      return { if: { type: "null" }, else: this.prepare(rest, name) };
    }
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(source)) {
      // Annotations (title, default, writeOnly, section, widget, …) do not constrain anything.
      if (!ASSERTION_KEYWORDS.has(key)) continue;
      switch (key) {
        case "$ref": {
          const target = COMPONENT_REF.exec(String(value))?.[1];
          if (target === undefined || !(target in this.components))
            throw new Error(
              `${this.file}: $ref "${String(value)}" does not name a schema of components.schemas.`,
            );
          out.$ref = componentId(this.world, target);
          break;
        }
        case "properties":
        case "patternProperties":
        case "dependentSchemas":
          out[key] = Object.fromEntries(
            Object.entries(value as JsonObject).map(([property, sub]) => [
              property,
              this.prepare(sub, key === "properties" ? property : undefined),
            ]),
          );
          break;
        case "allOf":
        case "prefixItems":
          out[key] = (value as unknown[]).map((sub) => this.prepare(sub, key === "allOf" ? name : undefined));
          break;
        case "if":
        case "then":
        case "else":
          out[key] = this.prepare(value, name);
          break;
        case "items":
        case "additionalProperties":
        case "not":
        case "contains":
        case "propertyNames":
          out[key] = this.prepare(value, undefined);
          break;
        case "anyOf":
        case "oneOf":
        case "discriminator":
          break; // below
        case "format":
          if (!(String(value) in FORMAT_CHECKS))
            throw new Error(
              `${this.file}: format "${String(value)}" has no checker (known: ${Object.keys(FORMAT_CHECKS).join(", ")}); add one to packages/api-description/src/formats.ts.`,
            );
          this.formatsUsed.add(value as FormatName);
          out.format = value;
          break;
        case "uniqueItems":
          // pydantic models a `set[str]` so and removes duplicates rather than refusing them: what the
          // client sends may repeat an item. An answer holds the set, so there it is checked.
          if (this.world === "output") out.uniqueItems = value;
          break;
        default:
          out[key] = value;
      }
    }
    const members = (source.anyOf ?? source.oneOf) as unknown[] | undefined;
    if (members) {
      const kind = source.anyOf ? "anyOf" : "oneOf";
      const union = isObject(source.discriminator)
        ? this.tagged(members, source.discriminator)
        : this.union(members, kind, name);
      const clash = Object.keys(union).some((key) => key in out);
      if (clash) out.allOf = [...((out.allOf as unknown[] | undefined) ?? []), union];
      else Object.assign(out, union);
      if (source.anyOf && source.oneOf)
        out.oneOf = (source.oneOf as unknown[]).map((m) => this.prepare(m, name));
    }
    if (this.world === "input") this.addInputRules(source, out, name);
    return out;
  }

  /**
   * The identifier and non-blank rules, where the schema admits an integer or a string. A schema of
   * that one type has its `type` replaced by the rule, which checks the type too: half the code, and
   * one sentence for everything wrong with the value.
   */
  private addInputRules(source: JsonObject, out: JsonObject, name: string | undefined): void {
    const types = typesOf(source);
    if (source.enum !== undefined || source.const !== undefined) return;
    const format = source.format;
    const rule =
      types.includes("integer") && name !== undefined && IDENTIFIER_NAME.test(name)
        ? "identifier"
        : types.includes("string") &&
            source.pattern === undefined &&
            // A spec that defaults a string to "" says the empty string means something there.
            source.default !== "" &&
            (format === undefined || format === "password")
          ? "nonBlank"
          : undefined;
    if (rule === undefined) return;
    out[rule] = true;
    if (out.type === (rule === "identifier" ? "integer" : "string")) delete out.type;
  }

  /**
   * OpenAPI's `discriminator`, as pydantic reads it: the tag must be there and name a member, and only
   * that member is checked. ajv's own `discriminator` option refuses `mapping` and a tag that is not
   * `required`, which FastAPI writes; so the union becomes `if` tag is X `then` member X, which reports
   * a missing tag, an unknown one, or exactly the chosen member's failures.
   */
  private tagged(members: readonly unknown[], discriminator: JsonObject): JsonObject {
    const tag = String(discriminator.propertyName);
    const mapping = isObject(discriminator.mapping) ? discriminator.mapping : {};
    const branches: [string, unknown][] = [];
    for (const member of members) {
      const ref = isObject(member) ? member.$ref : undefined;
      const mapped = Object.entries(mapping)
        .filter(([, target]) => target === ref)
        .map(([value]) => value);
      const tags = mapped.length > 0 ? mapped : this.tagsOf(member, tag);
      if (tags.length === 0)
        throw new Error(
          `${this.file}: a member of the union discriminated by "${tag}" (${JSON.stringify(member)}) has no value for "${tag}" (no mapping entry, no const or enum).`,
        );
      for (const value of tags) branches.push([value, member]);
    }
    return {
      type: "object",
      required: [tag],
      properties: { [tag]: { enum: branches.map(([value]) => value) } },
      allOf: branches.map(([value, member]) => ({
        if: { type: "object", required: [tag], properties: { [tag]: { const: value } } },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's keyword, not a promise
        then: this.prepare(member, undefined),
      })),
    };
  }

  private tagsOf(member: unknown, tag: string): string[] {
    const resolved = this.resolve(member);
    const property = isObject(resolved.properties) ? resolved.properties[tag] : undefined;
    if (!isObject(property)) return [];
    if (typeof property.const === "string") return [property.const];
    return Array.isArray(property.enum)
      ? property.enum.filter((v): v is string => typeof v === "string")
      : [];
  }

  /**
   * A union without a discriminator. `X | None` (almost every union FastAPI writes) becomes "if null,
   * fine; else X", so X's own failures are reported rather than "matches no member". Members of
   * different JSON types are chosen by the value's type the same way (pydantic's smart unions pick an
   * exact type first). What remains (several objects, say) stays an `anyOf`/`oneOf`.
   */
  private union(members: readonly unknown[], kind: "anyOf" | "oneOf", name: string | undefined): JsonObject {
    const nonNull = members.filter((member) => !isNullSchema(member));
    if (nonNull.length === 0) return { type: "null" };
    const rest =
      nonNull.length === 1
        ? (this.prepare(nonNull[0], name) as JsonObject)
        : this.byType(nonNull, kind, name);
    if (nonNull.length === members.length) return rest;
    // `{type: [T, "null"]}` says the same as `anyOf: [X, null]` when X is a schema of one type with
    // keywords that apply to that type only, in a fraction of the code.
    const sourceTypes = typesOf(isObject(nonNull[0]) ? nonNull[0] : {});
    const types =
      nonNull.length === 1 && sourceTypes.length === 1
        ? sourceTypes
        : typeof rest.type === "string"
          ? [rest.type]
          : [];
    if (
      types.length === 1 &&
      !("$ref" in rest) &&
      !("if" in rest) &&
      !("allOf" in rest) &&
      !("anyOf" in rest) &&
      !("oneOf" in rest) &&
      !("not" in rest) &&
      !("const" in rest)
    )
      return {
        ...rest,
        type: [...types, "null"],
        ...(Array.isArray(rest.enum) && { enum: [...rest.enum, null] }),
      };
    return { if: { type: "null" }, else: rest };
  }

  private byType(members: readonly unknown[], kind: "anyOf" | "oneOf", name: string | undefined): JsonObject {
    const types = members.map((member) => this.simpleType(member));
    const groups = new Map<string, unknown[]>();
    if (kind === "oneOf" || types.some((type) => type === undefined))
      return { [kind]: members.map((member) => this.prepare(member, name)) };
    members.forEach((member, index) => {
      const key = types[index] === "integer" ? "number" : types[index]!;
      groups.set(key, [...(groups.get(key) ?? []), member]);
    });
    if (groups.size === 1) return { anyOf: members.map((member) => this.prepare(member, name)) };
    const allTypes = [...new Set(types as string[])];
    let chain: JsonObject = { type: allTypes };
    for (const [type, group] of [...groups].reverse()) {
      const then =
        group.length === 1
          ? this.prepare(group[0], name)
          : { anyOf: group.map((m) => this.prepare(m, name)) };
      chain = { if: { type }, then, else: chain };
    }
    return chain;
  }

  /** A member's one JSON type, through a `$ref`; `undefined` when it has several or none. */
  private simpleType(member: unknown): string | undefined {
    const types = typesOf(this.resolve(member));
    return types.length === 1 ? types[0] : undefined;
  }

  private resolve(schema: unknown): JsonObject {
    let current = isObject(schema) ? schema : {};
    for (let hops = 0; typeof current.$ref === "string" && hops < 32; hops++) {
      const name = COMPONENT_REF.exec(current.$ref)?.[1];
      const target = name === undefined ? undefined : this.components[name];
      current = isObject(target) ? target : {};
    }
    return current;
  }
}

function typesOf(schema: JsonObject): string[] {
  const type = schema.type;
  return typeof type === "string"
    ? [type]
    : Array.isArray(type)
      ? type.filter((t) => typeof t === "string")
      : [];
}

function isNullSchema(schema: unknown): boolean {
  if (!isObject(schema)) return false;
  const assertions = Object.keys(schema).filter((key) => ASSERTION_KEYWORDS.has(key));
  return (
    (assertions.length === 1 && schema.type === "null") ||
    (assertions.length === 1 && "const" in schema && schema.const === null)
  );
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The object FastAPI validates a set of parameters as: every one its own field, no others. */
function parameterObject(operation: OperationDescription, where: "path" | "query"): JsonObject {
  const parameters = operation.parameters.filter((p) => p.in === where);
  return {
    type: "object",
    properties: Object.fromEntries(parameters.map((p) => [p.name, p.schema])),
    required: parameters.filter((p) => p.required).map((p) => p.name),
    additionalProperties: false,
  };
}

function argumentSlots(operation: OperationDescription): [string, string][] {
  return operation.clientMethod.arguments.map((argument) =>
    argument.in === "path" ? ["path", argument.parameter] : [argument.in, argument.name],
  );
}

/** An object body's fields, `required` first; `undefined` for any other body. */
function objectFields(schema: JsonSchema, description: ApiDescription): string[] | undefined {
  const target =
    schema.$ref === undefined ? schema : description.schemas[schema.$ref.split("/").at(-1) ?? ""];
  if (!target?.properties) return undefined;
  return [...new Set([...(target.required ?? []), ...Object.keys(target.properties)])];
}

/**
 * The schemas validators are built from (components reached from an operation, and the operations'
 * inline schemas), named for messages; and the components each world reaches.
 */
export function reachableSchemas(description: ApiDescription): {
  all: NamedSchema[];
  input: string[];
  output: string[];
} {
  const inline: { world: World; named: NamedSchema }[] = [];
  for (const operation of description.operations) {
    const at = `${operation.method} ${operation.path}`;
    for (const parameter of operation.parameters)
      inline.push({
        world: "input",
        named: { name: `${at} ${parameter.in} parameter ${parameter.name}`, schema: parameter.schema },
      });
    if (operation.requestBody)
      inline.push({
        world: "input",
        named: { name: `${at} request body`, schema: operation.requestBody.schema },
      });
    for (const [status, response] of Object.entries(operation.responses))
      if (/^2\d\d$/.test(status) && response.schema !== undefined)
        inline.push({
          world: "output",
          named: { name: `${at} response ${status}`, schema: response.schema },
        });
  }
  const reach = (world: World): string[] => {
    const found = new Set<string>();
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(visit);
      else if (isObject(node))
        for (const [key, value] of Object.entries(node)) {
          const name =
            key === "$ref" && typeof value === "string" ? COMPONENT_REF.exec(value)?.[1] : undefined;
          if (name !== undefined && !found.has(name)) {
            found.add(name);
            visit(description.schemas[name]);
          } else if (key !== "enum" && key !== "const" && key !== "default") visit(value);
        }
    };
    for (const entry of inline) if (entry.world === world) visit(entry.named.schema);
    return [...found].sort();
  };
  const input = reach("input");
  const output = reach("output");
  const components = [...new Set([...input, ...output])].sort();
  return {
    all: [
      ...components.map((name) => ({ name, schema: description.schemas[name] })),
      ...inline.map((e) => e.named),
    ],
    input,
    output,
  };
}

/** The name of the function the generated code builds each error with (see {@link rewriteRuntimeRequires}). */
const ERROR_HELPER = "fail";

/**
 * ajv's standalone output `require`s its runtime helpers even in ESM mode; the two it may need are
 * swapped for our own (validator-runtime.ts). Any other `require` would reach ajv at run time.
 */
function rewriteRuntimeRequires(file: string, code: string): { text: string; helpers: string[] } {
  const helpers = new Set<string>();
  const replacements: Record<string, string> = { ucs2length: "ucs2length", equal: "deepEqual" };
  let text = code
    .replace(/^"use strict";/, "")
    .replace(/require\("ajv\/dist\/runtime\/(\w+)"\)\.default/g, (_whole, helper: string) => {
      const ours = replacements[helper];
      if (ours === undefined)
        throw new Error(
          `${file}: the compiled validators need ajv's runtime helper "${helper}", which has no replacement in validator-runtime.ts.`,
        );
      helpers.add(ours);
      return ours;
    });
  // sourceURL comments name ajv's schema ids; they only help a debugger that evaluated the code. Nothing
  // reads an error's `schemaPath` (sentences come from `keyword` and `params`), and its strings are a
  // fifth of the bundled bytes.
  text = text.replace(/\/\*# sourceURL="[^"]*" \*\//g, "").replace(/schemaPath:"[^"]*",/g, "");
  // Nothing here reads `parentData` or `rootData` (they serve `$data`, defaults and dynamic refs, all
  // off), yet every function takes and passes them: a tenth of the code.
  text = text
    .replaceAll('{instancePath="", parentData, parentDataProperty, rootData=data}={}', '{instancePath=""}={}')
    .replaceAll("{instancePath,parentData,parentDataProperty,rootData}", "{instancePath}")
    .replace(/,parentData:\w+(?:\[\w+\])?,parentDataProperty:(?:"(?:[^"\\]|\\.)*"|\w+),rootData\}/g, "}");
  text = inlineSchemaConstants(text).replace(
    // Each error is added with five lines of `if (vErrors === null) … else …`; one says the same.
    // And `errors` always equals the list's length (ajv resets both together), which push returns.
    /^const (err\d+) = (\{.*\});\nif\(vErrors === null\)\{\nvErrors = \[\1\];\n\}\nelse \{\nvErrors\.push\(\1\);\n\}\nerrors\+\+;$/gm,
    "errors = (vErrors ??= []).push($2);",
  );
  // Every error is the same three-key object: built by one helper, its keys are written once.
  text = text.replace(
    /^errors = \(vErrors \?\?= \[\]\)\.push\(\{instancePath(?::(.*?))?,keyword:("\w+"),params:(.*)\}\);$/gm,
    (_whole, path: string | undefined, keyword: string, params: string) =>
      `errors = (vErrors ??= []).push(${ERROR_HELPER}(${path ?? "instancePath"},${keyword},${params}));`,
  );
  // JSON Schema's `integer`, which ajv spells as four tests, is what Number.isInteger checks.
  text = text.replace(
    /\(\(typeof (\w+) == "number"\) && \(!\(\1 % 1\) && !isNaN\(\1\)\)\) && \(isFinite\(\1\)\)/g,
    "Number.isInteger($1)",
  );
  const stray = /\b(?:parentData|parentDataProperty|rootData)\b/.exec(text);
  if (stray)
    throw new Error(
      `${file}: the compiled validators use ajv's "${stray[0]}", which generate removes; check its rewrite.`,
    );
  const left = /require\([^)]*\)/.exec(text);
  if (left)
    throw new Error(
      `${file}: the compiled validators still call ${left[0]}, which would need ajv at run time.`,
    );
  return { text, helpers: [...helpers].sort() };
}

/**
 * ajv keeps each schema as a constant and reads facts from it at run time (`schema20.required`,
 * `params: {type: schema20.properties.pr_sha.type}`), which keeps every schema whole in the bundle.
 * Each such read becomes the value it reads, and the constants nothing reads any more are dropped.
 */
function inlineSchemaConstants(code: string): string {
  const constants = new Map<string, unknown>();
  const definition = /^const (schema\d+) = (.*);$/gm;
  for (const match of code.matchAll(definition)) constants.set(match[1]!, JSON.parse(match[2]!));
  const read = /\b(schema\d+)((?:\.[A-Za-z_$][\w$]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*)/g;
  const lines = code.split("\n").map((line) => {
    if (/^const schema\d+ = /.test(line)) return line;
    return line.replace(read, (whole, name: string, path: string) => {
      if (!constants.has(name)) return whole;
      let value = constants.get(name);
      for (const [, property, index, quoted] of path.matchAll(
        /\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g,
      )) {
        const key = property ?? (index !== undefined ? Number(index) : (JSON.parse(quoted!) as string));
        value = (value as Record<string | number, unknown>)[key];
      }
      return JSON.stringify(value);
    });
  });
  const used = lines.filter((line) => !/^const schema\d+ = /.test(line)).join("\n");
  return lines
    .filter((line) => {
      const name = /^const (schema\d+) = /.exec(line)?.[1];
      return name === undefined || new RegExp(`\\b${name}\\b`).test(used);
    })
    .join("\n");
}
