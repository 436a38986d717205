import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { asObject, type JsonObject } from "./json-object.js";
import { listOperations } from "./operations.js";
import type { SpecDocument } from "./spec-documents.js";

/**
 * What `spec/overrides/<document>.yaml` says about one operation: how the packages present it, and the
 * hand-written facts about it that its document does not state.
 */
export interface OperationOverride {
  /** The client method's name, instead of the one the method-and-path rule gives. */
  readonly method?: string;
  /** The body argument's name, instead of the body schema's title. */
  readonly body?: string;
  /** Hand-written documentation of the operation, appended to the spec's own in TSDoc and the reference page. */
  readonly notes?: string;
  /** Every other section (read by its own emitter), as written. */
  readonly sections: Readonly<Record<string, unknown>>;
}

/** The overrides of one document, keyed by operation identity: `POST /api/v1/ci/{ci_config_id}/trigger`. */
export interface Overrides {
  /** `spec/overrides/<document>.yaml`, for messages. */
  readonly file: string;
  readonly operations: ReadonlyMap<string, OperationOverride>;
}

/** The sections an entry may have besides `method`, `body` and `notes`, each read by the emitter named. */
const SECTIONS = new Set(["retry", "cli"]);
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const IDENTITY = /^(GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH|TRACE) \/\S*$/;

/**
 * Reads `spec/overrides/<document>.yaml`; a document without one has no overrides.
 *
 * An operation's identity is its method and path, which renaming the handler behind it (FastAPI derives the
 * operationId from the handler's name) does not change. So every entry must name an operation of the
 * document by `METHOD /path`: an entry that matches none fails here, naming the file and the entry, so a
 * typo or an upstream change of path is never silently ignored. A spec sync that drops an operation must
 * drop its entry in the same change.
 *
 * @throws naming the file and entry, for a malformed entry or one that matches no operation.
 */
export async function readOverrides(root: string, spec: SpecDocument): Promise<Overrides> {
  const text = await readFile(join(root, overridesFile(spec)), "utf8").catch(() => undefined);
  return parseOverrides(spec, text);
}

/** Where a document's overrides live: `spec/overrides/<document>.yaml`. */
export function overridesFile(spec: SpecDocument): string {
  return `spec/overrides/${spec.name}.yaml`;
}

/**
 * The overrides of `spec` from the file's text, wherever it was read (the working tree, or
 * `git show <ref>:…` for `pnpm spec:diff`); `undefined` is a document without overrides.
 * @throws as {@link readOverrides} does.
 */
export function parseOverrides(spec: SpecDocument, text: string | undefined): Overrides {
  const file = overridesFile(spec);
  const operations = new Map<string, OperationOverride>();
  if (text === undefined) return { file, operations };
  const known = new Set(listOperations(spec.document).keys());
  for (const [identity, raw] of Object.entries(asObject(parseYaml(text, file)))) {
    const where = `${file}: "${identity}"`;
    if (!IDENTITY.test(identity))
      throw new Error(
        `${where} is not an operation identity: write the method in capitals and the path as the spec has it, e.g. "POST /api/v1/ci/{ci_config_id}/trigger"`,
      );
    if (!known.has(identity))
      throw new Error(
        `${where} matches no operation of ${spec.relativePath}. Did its path change upstream, or was the operation removed? Update or delete the entry (operations: ${[...known].join(", ")})`,
      );
    operations.set(identity, parseEntry(asObject(raw), where));
  }
  return { file, operations };
}

/**
 * The file's one YAML 1.2 document as plain values. Merge keys (`<<: *shared`) are read, so entries may share
 * a section through an anchor. @throws naming the file, line and column of the first syntax error.
 */
function parseYaml(text: string, file: string): unknown {
  const document = parseDocument(text, { merge: true });
  const [error] = document.errors;
  if (error) throw new Error(`${file}: ${error.message.trimEnd()}`);
  return document.toJS();
}

function parseEntry(entry: JsonObject, where: string): OperationOverride {
  const { method, body, notes, ...rest } = entry;
  for (const [key, value] of [
    ["method", method],
    ["body", body],
  ] as const)
    if (value !== undefined && !(typeof value === "string" && IDENTIFIER.test(value)))
      throw new Error(`${where}: ${key} must be a JavaScript identifier (got ${JSON.stringify(value)})`);
  if (notes !== undefined && typeof notes !== "string")
    throw new Error(`${where}: notes must be text (got ${JSON.stringify(notes)})`);
  const unknown = Object.keys(rest).filter((key) => !SECTIONS.has(key));
  if (unknown.length > 0)
    throw new Error(
      `${where}: unknown key ${unknown.map((k) => `"${k}"`).join(", ")} (expected method, body, notes, ${[...SECTIONS].join(", ")})`,
    );
  return {
    ...(typeof method === "string" && { method }),
    ...(typeof body === "string" && { body }),
    ...(typeof notes === "string" && { notes: notes.trim() }),
    sections: rest,
  };
}
