import type { ApiDescription } from "../../packages/api-description/src/api-description.js";
import { API_KEY_VARIABLES } from "../../packages/api-description/src/api-key-variables.js";
import { CI_OPERATION_NAMES } from "../../packages/api-description/src/ci-operation-names.js";
import { CLI_FLAGS, CLI_VARIABLES } from "../../packages/cli/src/args/flags.js";
import { CI_FACTS, factOf, isCiFact } from "../../packages/cli/src/ci/provider-spec.js";
import { providerSpecs } from "../../packages/cli/src/ci/providers.js";
import type {
  CliInput,
  InputLocation,
  InputType,
  MethodSlot,
  OperationInputs,
} from "../../packages/cli/src/types.js";
import { asObject, dereference, type JsonObject } from "./json-object.js";
import { pathParameterNames } from "./method-names.js";
import {
  listOperations,
  type OperationEntry,
  operationParameters,
  operationRequestBody,
} from "./operations.js";
import type { Overrides } from "./overrides.js";
import type { SpecDocument } from "./spec-documents.js";

/**
 * The command-line inputs of the operations the CLI's commands send: every operation whose entry in
 * `spec/overrides/<document>.yaml` has a `cli` section. Its inputs are, in this order, the path parameters
 * (in path order), the query parameters, and the body's properties (the `required` ones first, in that
 * list's order, then the others) or, for a body that is no object with properties, the whole body, named
 * by the client method's body argument (`diffs`).
 *
 * The rule, which `cli.inputs.<name>` in the override changes where the official CLI spells things its own way:
 * - flag: `--` and the name in kebab case (`pr_title` → `--pr-title`, `prTitle` → `--pr-title`);
 * - variable: `DATAFOLD_` and the name in upper snake case (`pr_title` → `DATAFOLD_PR_TITLE`);
 * - label (`--help` and messages): the spec's description, else its title, else the name;
 * - type: from the schema (`integer`, `number`, `boolean`, `string`; `array`, `object` or `json` are read as JSON);
 * - required: a path parameter always, a query parameter or body property when the spec says so;
 * - CI fact: the one named like the input (`packages/cli/src/ci/provider-spec.ts`), if any.
 *
 * Override keys: `flag`, `aliases`, `env`, `label`, `placeholder`, `fact` (the CI fact that supplies it),
 * `default` (sent when not given), `minimum`/`maximum` (bounds the CLI holds it to), `file` (the flag or
 * variable names a JSON file; stdin without either), `example`.
 *
 * @throws naming the file and entry: an override for an input the operation does not have, a malformed one,
 *   two inputs of one operation that would share a flag or variable.
 */
export function cliInputsOf(
  spec: SpecDocument,
  description: ApiDescription,
  overrides: Overrides,
): OperationInputs[] {
  const tables: OperationInputs[] = [];
  for (const entry of listOperations(spec.document).values()) {
    const override = overrides.operations.get(entry.key);
    if (override?.sections.cli === undefined) continue;
    const where = `${overrides.file}: "${entry.key}" cli`;
    const section = asObject(override.sections.cli);
    const unknownKeys = Object.keys(section).filter((key) => key !== "inputs");
    if (unknownKeys.length > 0)
      throw new Error(`${where}: unknown key ${quoteAll(unknownKeys)} (expected inputs)`);
    const described = description.operations.find(
      (operation) => `${operation.method} ${operation.path}` === entry.key,
    );
    if (described === undefined) throw new Error(`${where}: ${entry.key} is not in the runtime table`);
    const slots: MethodSlot[] = described.clientMethod.arguments.map((argument) =>
      argument.in === "path"
        ? { in: "path", parameter: argument.parameter }
        : argument.in === "body"
          ? { in: "body", name: argument.name }
          : { in: "query" },
    );
    const bodyName = described.clientMethod.arguments.find((argument) => argument.in === "body")?.name;
    const found = specInputs(spec, entry, bodyName);
    const inputOverrides = asObject(section.inputs);
    for (const name of Object.keys(inputOverrides))
      if (!found.some((input) => input.name === name))
        throw new Error(
          `${where}.inputs.${name}: ${entry.key} has no input "${name}" in ${spec.relativePath} (its inputs: ${found.map((i) => i.name).join(", ") || "none"}). Did the field change upstream? Rename or delete the entry.`,
        );
    const inputs = found.map((input) =>
      applyOverride(input, asObject(inputOverrides[input.name]), `${where}.inputs.${input.name}`),
    );
    refuseSharedSpellings(inputs, where);
    tables.push({ operation: entry.key, method: described.clientMethod.name, arguments: slots, inputs });
  }
  return tables;
}

/**
 * Checks the inputs of every document's CLI operations together, as one command line reads them: no input
 * takes a spelling or variable of the CLI's own flags, one flag means one thing in every command, and every
 * CI fact is an input of the trigger (when this build has it), so a field Datafold renames or drops cannot
 * leave the CI data reading a value nothing sends.
 *
 * @throws naming the file and entry of each conflict.
 */
export function checkCliInputs(
  tables: readonly { file: string; operations: readonly OperationInputs[] }[],
): void {
  const own = new Map<string, string>();
  for (const flag of CLI_FLAGS)
    for (const name of [flag.name, ...(flag.aliases ?? [])]) own.set(`--${name}`, `--${flag.name}`);
  const seen = new Map<string, { input: CliInput; where: string }>();
  for (const { file, operations } of tables)
    for (const operation of operations)
      for (const input of operation.inputs) {
        const where = `${file}: "${operation.operation}" input ${input.name}`;
        for (const spelling of [input.flag, ...input.aliases]) {
          if (/^--api[-_]?key$/i.test(spelling))
            throw new Error(
              `${where}: ${spelling} is refused on every command line (the API key is read only from DATAFOLD_API_KEY); give it another flag in cli.inputs.${input.name}.flag`,
            );
          const taken = own.get(spelling);
          if (taken !== undefined)
            throw new Error(
              `${where}: ${spelling} is the CLI's own flag ${taken}; give the input another flag in cli.inputs.${input.name}.flag`,
            );
          const earlier = seen.get(spelling);
          if (earlier && !sameFlag(earlier.input, input))
            throw new Error(
              `${where}: ${spelling} is also ${earlier.where}, with ${describeFlag(earlier.input)}; one flag must mean one thing in every command, so give both the same flag, aliases and variable (${describeFlag(input)} here)`,
            );
          seen.set(spelling, { input, where });
        }
        if (CLI_VARIABLES.includes(input.env) || API_KEY_VARIABLES.includes(input.env))
          throw new Error(
            `${where}: ${input.env} is read by the CLI itself; give the input another variable in cli.inputs.${input.name}.env`,
          );
      }
  const trigger = tables.flatMap(({ file, operations }) =>
    operations
      .filter((operation) => operation.method === CI_OPERATION_NAMES.trigger)
      .map((operation) => ({ file, operation })),
  )[0];
  if (trigger === undefined) return;
  const taken = new Set<string>(trigger.operation.inputs.flatMap((input) => factOf(input) ?? []));
  const keyed = [
    ...CI_FACTS.map((fact) => ({ fact, where: "packages/cli/src/ci/provider-spec.ts: CI_FACTS lists" })),
    ...providerSpecs.flatMap((provider) =>
      Object.keys(provider.facts).map((fact) => ({
        fact,
        where: `packages/cli/src/ci/providers.ts: ${provider.name} (${provider.id}) reads`,
      })),
    ),
  ];
  for (const { fact, where } of keyed)
    if (!taken.has(fact))
      throw new Error(
        `${where} the CI fact "${fact}", which is no input of ${trigger.operation.operation} (${trigger.operation.inputs.map((i) => i.name).join(", ")}). Did the field change upstream? Rename the fact in the CI data, or name it with "fact: ${fact}" on the input that replaces it in ${trigger.file}.`,
      );
}

/**
 * The generated module of one document: its CLI operations keyed by client method name, looked up by the
 * names in `CI_OPERATION_NAMES` (an operation this build lacks is absent, and its command says so).
 */
export function emitCliInputs(spec: SpecDocument, operations: readonly OperationInputs[]): string {
  const table = Object.fromEntries(operations.map((operation) => [operation.method, operation]));
  return [
    `import type { OperationInputs } from "../types.js";`,
    "",
    `/** The command-line inputs of the operations of ${spec.relativePath} that commands send, by client method name. */`,
    `export const ${camelCase(spec.name)}CliInputs: Readonly<Record<string, OperationInputs>> = ${JSON.stringify(table, null, 2)};`,
    "",
  ].join("\n");
}

/** What the spec says of each input, before the override. */
function specInputs(spec: SpecDocument, entry: OperationEntry, bodyName: string | undefined): CliInput[] {
  const doc = spec.document;
  const parameters = [...operationParameters(doc, entry).values()];
  const fromParameter = (parameter: JsonObject, where: InputLocation): CliInput => {
    const schema = dereference(doc, parameter.schema).value;
    return byRule(String(parameter.name), where, where === "path" || parameter.required === true, schema, [
      parameter.description,
      schema.description,
      schema.title,
    ]);
  };
  const inputs = [
    ...pathParameterNames(entry.path).flatMap((name) =>
      parameters.filter((p) => p.in === "path" && p.name === name).map((p) => fromParameter(p, "path")),
    ),
    ...parameters.filter((p) => p.in === "query").map((p) => fromParameter(p, "query")),
  ];
  const body = operationRequestBody(doc, entry);
  const content = Object.entries(asObject(body?.content)).find(
    ([type]) => type === "application/json" || type.endsWith("+json"),
  )?.[1];
  if (body !== undefined && content !== undefined) {
    const schema = dereference(doc, asObject(content).schema).value;
    const properties = asObject(schema.properties);
    const required = Array.isArray(schema.required) ? schema.required.map(String) : [];
    if (Object.keys(properties).length > 0) {
      const names = [...new Set([...required.filter((n) => n in properties), ...Object.keys(properties)])];
      for (const name of names) {
        const property = dereference(doc, properties[name]).value;
        inputs.push(
          byRule(name, "property", body.required === true && required.includes(name), property, [
            property.description,
            property.title,
          ]),
        );
      }
    } else
      inputs.push(
        byRule(bodyName ?? "body", "body", body.required === true, schema, [
          body.description,
          schema.description,
          schema.title,
        ]),
      );
  }
  const names = inputs.map((input) => input.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined)
    throw new Error(
      `${spec.relativePath}: ${entry.key} has two inputs named "${twice}" (a parameter and a body property); the CLI cannot tell them apart`,
    );
  return inputs;

  function byRule(
    name: string,
    where: InputLocation,
    required: boolean,
    schema: JsonObject,
    texts: readonly unknown[],
  ): CliInput {
    const type = inputType(doc, schema);
    return {
      name,
      in: where,
      required,
      type,
      flag: `--${words(name).join("-")}`,
      aliases: [],
      env: `DATAFOLD_${words(name).join("_").toUpperCase()}`,
      label:
        texts.find((text): text is string => typeof text === "string" && text.trim() !== "")?.trim() ?? name,
      placeholder: PLACEHOLDERS[type],
    };
  }
}

const PLACEHOLDERS: Readonly<Record<InputType, string>> = {
  integer: "<n>",
  number: "<n>",
  boolean: "<true|false>",
  string: "<text>",
  array: "<json>",
  object: "<json>",
  json: "<json>",
};

/** How a value of `schema` is read from text: its one type, a nullable one's other type, else JSON. */
function inputType(doc: SpecDocument["document"], schema: JsonObject): InputType {
  const union = Array.isArray(schema.anyOf)
    ? schema.anyOf
    : Array.isArray(schema.oneOf)
      ? schema.oneOf
      : undefined;
  if (union !== undefined) {
    const types = [
      ...new Set(
        union
          .map((member) => dereference(doc, member).value)
          .filter((member) => member.type !== "null")
          .map((member) => inputType(doc, member)),
      ),
    ];
    return types.length === 1 ? types[0]! : "json";
  }
  const values = Array.isArray(schema.enum) ? schema.enum : "const" in schema ? [schema.const] : undefined;
  if (values !== undefined) {
    if (values.every((value) => typeof value === "string")) return "string";
    if (values.every((value) => Number.isInteger(value))) return "integer";
    return "json";
  }
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t) => t !== "null");
  const [type] = types;
  if (types.length !== 1 || typeof type !== "string") return schema.properties ? "object" : "json";
  return type === "integer" ||
    type === "number" ||
    type === "boolean" ||
    type === "string" ||
    type === "array" ||
    type === "object"
    ? type
    : "json";
}

const OVERRIDE_KEYS = [
  "flag",
  "aliases",
  "env",
  "label",
  "placeholder",
  "fact",
  "default",
  "minimum",
  "maximum",
  "file",
  "example",
];
const FLAG = /^--[a-z0-9]+(?:-[a-z0-9]+)*$/;
const VARIABLE = /^[A-Z][A-Z0-9_]*$/;

function applyOverride(input: CliInput, override: JsonObject, where: string): CliInput {
  const unknownKeys = Object.keys(override).filter((key) => !OVERRIDE_KEYS.includes(key));
  if (unknownKeys.length > 0)
    throw new Error(`${where}: unknown key ${quoteAll(unknownKeys)} (expected ${OVERRIDE_KEYS.join(", ")})`);
  const bad = (key: string, expected: string) =>
    new Error(`${where}.${key}: expected ${expected} (got ${JSON.stringify(override[key])})`);
  const text = (key: string): string | undefined => {
    const value = override[key];
    if (value !== undefined && (typeof value !== "string" || value.trim() === "")) throw bad(key, "text");
    return value;
  };
  const flag = (value: unknown, key: string): `--${string}` => {
    if (!isFlag(value)) throw bad(key, "a flag such as --pr-num");
    return value;
  };
  const number = (key: string): number | undefined => {
    const value = override[key];
    if (value !== undefined && typeof value !== "number") throw bad(key, "a number");
    return value;
  };
  const { aliases, env, fact, default: byDefault, file } = override;
  if (aliases !== undefined && !Array.isArray(aliases)) throw bad("aliases", "a list of flags");
  if (env !== undefined && (typeof env !== "string" || !VARIABLE.test(env)))
    throw bad("env", "a variable name such as DATAFOLD_PR_NUMBER");
  if (fact !== undefined && (typeof fact !== "string" || !isCiFact(fact)))
    throw bad(
      "fact",
      `one of the CI facts (${CI_FACTS.join(", ")}, in packages/cli/src/ci/provider-spec.ts)`,
    );
  if (byDefault !== undefined && !["string", "number", "boolean"].includes(typeof byDefault))
    throw bad("default", "a string, number or boolean");
  if (file !== undefined && typeof file !== "boolean") throw bad("file", "true or false");
  const label = text("label");
  const placeholder = text("placeholder");
  const example = text("example");
  const minimum = number("minimum");
  const maximum = number("maximum");
  return {
    ...input,
    ...(override.flag !== undefined && { flag: flag(override.flag, "flag") }),
    ...(aliases !== undefined && { aliases: aliases.map((alias) => flag(alias, "aliases")) }),
    ...(typeof env === "string" && { env }),
    ...(label !== undefined && { label }),
    placeholder: placeholder ?? (file === true ? "<file>" : input.placeholder),
    ...(typeof fact === "string" && { fact }),
    ...(typeof byDefault === "string" || typeof byDefault === "number" || typeof byDefault === "boolean"
      ? { default: byDefault }
      : {}),
    ...(minimum !== undefined && { minimum }),
    ...(maximum !== undefined && { maximum }),
    ...(file === true && { file: true }),
    ...(example !== undefined && { example }),
  };
}

function isFlag(value: unknown): value is `--${string}` {
  return typeof value === "string" && FLAG.test(value);
}

function refuseSharedSpellings(inputs: readonly CliInput[], where: string): void {
  const owners = new Map<string, string>();
  for (const input of inputs)
    for (const spelling of [input.flag, ...input.aliases, input.env]) {
      const owner = owners.get(spelling);
      if (owner !== undefined)
        throw new Error(
          `${where}.inputs: ${owner} and ${input.name} would both be ${spelling}; give one of them its own in cli.inputs.${input.name}`,
        );
      owners.set(spelling, input.name);
    }
}

function sameFlag(a: CliInput, b: CliInput): boolean {
  return (
    a.flag === b.flag && a.env === b.env && [...a.aliases].sort().join() === [...b.aliases].sort().join()
  );
}

function describeFlag(input: CliInput): string {
  return `${[input.flag, ...input.aliases].join(", ")} and ${input.env}`;
}

/** `pr_title`, `prTitle`, `PR-Title` → `["pr", "title"]`. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

function quoteAll(keys: readonly string[]): string {
  return keys.map((key) => `"${key}"`).join(", ");
}

function camelCase(name: string): string {
  return name.replace(/[-_.\s]+(.)/g, (_, c: string) => c.toUpperCase()).replace(/^[^a-zA-Z_$]/, "_$&");
}
