import type {
  ClientMethodDescription,
  JsonSchema,
  MethodArgument,
} from "../../packages/api-description/src/api-description.js";
import type { OperationEntry } from "./operations.js";
import type { Overrides } from "./overrides.js";

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Names every operation of a document and lays out its arguments.
 *
 * The name rule (documented in packages/client/README.md): the HTTP method in lower case, then each
 * path segment in PascalCase — a literal segment as it reads, a `{parameter}` as `By<Parameter>` —
 * leaving out a leading `/api` and a `/v1` after it. `POST /api/v1/ci/{ci_config_id}/trigger` is
 * `postCiByCiConfigIdTrigger`. It depends on nothing but the operation's own method and path, so a
 * name never changes when other operations come or go. Should two operations still meet on one name
 * (paths that differ only in punctuation), each of them takes its operationId in camelCase instead,
 * which OpenAPI makes unique. An override's `method` wins over the rule (overrides are keyed by
 * `METHOD /path`, so a renamed operationId keeps its name).
 *
 * Arguments: path parameters in the order they appear in the path (not in `parameters`), named in
 * camelCase; then the body, if there is one (named by the override's `body`, else by its inline
 * schema's `title`, else `body`); then the query parameters as one object, if there are any. Options last.
 */
export function layoutMethods(
  source: string,
  entries: readonly {
    entry: OperationEntry;
    parameters: readonly { readonly in: string }[];
    bodySchema: JsonSchema | undefined;
    bodyRequired: boolean;
  }[],
  overrides: Overrides,
): Map<OperationEntry, ClientMethodDescription> {
  const derived = new Map(entries.map(({ entry }) => [entry, deriveName(entry.method, entry.path)]));
  const counts = new Map<string, number>();
  for (const name of derived.values()) counts.set(name, (counts.get(name) ?? 0) + 1);

  const layouts = new Map<OperationEntry, ClientMethodDescription>();
  const taken = new Map<string, string>();
  for (const { entry, parameters, bodySchema, bodyRequired } of entries) {
    const operationId = String(entry.operation.operationId);
    const override = overrides.operations.get(entry.key) ?? { sections: {} };
    const fallback = counts.get(derived.get(entry)!)! > 1 ? camelCase(operationId) : derived.get(entry)!;
    const name = override.method ?? fallback;
    const clash = taken.get(name);
    if (clash !== undefined)
      throw new Error(
        `${source}: ${entry.key} and ${clash} would both be the client method "${name}"; rename one in ${overrides.file}`,
      );
    taken.set(name, entry.key);

    const args: MethodArgument[] = pathParameterNames(entry.path).map((parameter) => ({
      name: camelCase(parameter),
      in: "path",
      parameter,
    }));
    // The Fetch standard forbids a body on GET and HEAD: such an operation's body cannot be sent, so an
    // optional one is left out of the method, and a required one makes the operation uncallable.
    const bodyless = entry.method === "get" || entry.method === "head";
    if (bodySchema !== undefined && bodyless) {
      if (bodyRequired)
        throw new Error(
          `${source}: ${entry.key} requires a request body, which fetch cannot send with ${entry.method.toUpperCase()}; the client cannot call it`,
        );
    } else if (bodySchema !== undefined)
      args.push({ name: override.body ?? bodyName(bodySchema), in: "body" });
    if (parameters.some((p) => p.in === "query")) args.push({ name: "query", in: "query" });
    const names = args.map((a) => a.name);
    const repeated = names.find((n, i) => names.indexOf(n) !== i);
    if (repeated !== undefined)
      throw new Error(
        `${source}: ${entry.key} has two arguments named "${repeated}"; set its body name in ${overrides.file}`,
      );
    layouts.set(entry, { name, arguments: args });
  }
  return layouts;
}

/** `{ci_config_id}` and `{pr_num}` of `/api/v1/ci/{ci_config_id}/{pr_num}`, in path order. */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([^{}]+)\}/g)].map((match) => match[1]!);
}

function deriveName(method: string, path: string): string {
  const segments = path.split("/").filter(Boolean);
  if (segments[0] === "api") segments.shift();
  if (segments[0] === "v1") segments.shift();
  const words = segments.map((segment) => {
    const parameter = /^\{(.+)\}$/.exec(segment)?.[1];
    return parameter === undefined ? pascalCase(segment) : `By${pascalCase(parameter)}`;
  });
  return method.toLowerCase() + words.join("");
}

function bodyName(schema: JsonSchema): string {
  // FastAPI titles an inline body schema after the Python parameter (`diffs: list[CiDiff]` → "Diffs").
  const title = schema.$ref === undefined ? schema.title : undefined;
  const name = typeof title === "string" ? camelCase(title) : "";
  return IDENTIFIER.test(name) ? name : "body";
}

function pascalCase(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join("");
}

function camelCase(text: string): string {
  const pascal = pascalCase(text);
  const name = pascal.charAt(0).toLowerCase() + pascal.slice(1);
  return /^[0-9]/.test(name) ? `_${name}` : name;
}
