import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { CORE_SCHEMA, load } from "js-yaml";

/** One OpenAPI document found under `spec/`, read once and fingerprinted. */
export interface SpecDocument {
  /** Path relative to the repository root, with forward slashes, e.g. `spec/datafold-api.yaml`. */
  readonly relativePath: string;
  /** File name without extension; names every file generated from this document. */
  readonly name: string;
  /** sha256 of the file's bytes, written into every generated header. */
  readonly sha256: string;
  /** The parsed document. */
  readonly document: OpenApiDocument;
  /** The text of `spec/overrides/<name>.yaml` beside it, where a reader loaded it (`pnpm spec:diff` does). */
  readonly overridesText?: string | undefined;
}

/** The parts of an OpenAPI 3.1 document the generators read; everything else passes through untouched. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  servers?: { url: string; description?: string }[];
  security?: Record<string, string[]>[];
  paths?: Record<string, Record<string, unknown>>;
  components?: {
    schemas?: Record<string, unknown>;
    securitySchemes?: Record<string, unknown>;
  };
}

const SPEC_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

/** Reads every OpenAPI document in `<root>/spec`, sorted by file name so output order never depends on the file system. */
export async function readSpecDocuments(root: string): Promise<SpecDocument[]> {
  const specDir = join(root, "spec");
  const entries = (await readdir(specDir, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && isSpecFileName(entry.name))
    .map((entry) => entry.name)
    .sort();
  if (entries.length === 0) {
    throw new Error(`No OpenAPI document (*.yaml, *.yml, *.json) found in ${specDir}.`);
  }
  return Promise.all(
    entries.map(async (fileName) => parseSpecDocument(fileName, await readFile(join(specDir, fileName)))),
  );
}

/**
 * Parses one file of `spec/` from its bytes, wherever they came from (the working tree, or
 * `git show <ref>:spec/<file>` for `pnpm spec:diff`). Throws naming the file when it is not OpenAPI 3.x.
 */
export function parseSpecDocument(fileName: string, bytes: Uint8Array): SpecDocument {
  const text = Buffer.from(bytes).toString("utf8");
  // js-yaml, not the `yaml` package used elsewhere: it parses a 1000-operation document in 0.6 s rather
  // than 7.5 s, and `generate` must stay fast at that size. CORE_SCHEMA is YAML 1.2's: no timestamps, no merge keys, as `yaml` reads.
  const document = (
    extname(fileName) === ".json" ? JSON.parse(text) : load(text, { schema: CORE_SCHEMA, filename: fileName })
  ) as OpenApiDocument;
  if (typeof document?.openapi !== "string" || !document.openapi.startsWith("3.")) {
    throw new Error(`spec/${fileName} is not an OpenAPI 3.x document (no "openapi: 3.x" field).`);
  }
  return {
    relativePath: `spec/${fileName}`,
    name: basename(fileName, extname(fileName)),
    sha256: createHash("sha256").update(bytes).digest("hex"),
    document,
  };
}

/** File extensions `spec/` documents may have. */
export function isSpecFileName(fileName: string): boolean {
  return SPEC_EXTENSIONS.has(extname(fileName));
}
