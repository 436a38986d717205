import type { OpenApiDocument } from "../codegen/spec-documents.js";
import { asObject, type JsonObject, unescapePointerSegment } from "../codegen/json-object.js";
import { HTTP_METHODS, listOperations } from "../codegen/operations.js";

/** The upstream document cut down to what we ship, and the shipped operations upstream no longer has. */
export interface FilteredDocument {
  readonly document: OpenApiDocument;
  /** `POST /path (operationId)` of each shipped operation upstream no longer has. */
  readonly missing: string[];
  /** The identities (`METHOD /path`) of those operations. */
  readonly dropped: string[];
  /** Shipped operations found upstream by operationId at another path: `[old identity, new identity]`. */
  readonly moved: [string, string][];
}

const COMPONENT_REF = /^#\/components\/([^/]+)\/([^/]+)$/;

/**
 * Keeps the operations of `upstream` that `shipped` (our current spec/) has — matched by operationId,
 * or by `METHOD /path` when the id changed upstream — plus every component they reach through `$ref`s
 * and the security schemes they require. Everything else of Datafold's ~50 operations is dropped, so
 * `spec:diff` compares like with like. Key order follows upstream.
 */
export function filterDocument(upstream: OpenApiDocument, shipped: OpenApiDocument): FilteredDocument {
  const wanted = [...listOperations(shipped).values()];
  const wantedIds = new Set<unknown>(
    wanted.map((op) => op.operation.operationId).filter((id) => id !== undefined),
  );
  const wantedKeys = new Set(wanted.map((op) => op.key));
  const upstreamOps = [...listOperations(upstream).values()];
  const kept = upstreamOps.filter((op) => wantedIds.has(op.operation.operationId) || wantedKeys.has(op.key));
  const gone = wanted.filter(
    (w) =>
      !kept.some(
        (k) =>
          k.key === w.key ||
          (w.operation.operationId !== undefined && k.operation.operationId === w.operation.operationId),
      ),
  );
  const missing = gone.map((w) => `${w.key} (${String(w.operation.operationId)})`);
  const moved: [string, string][] = wanted.flatMap((w) => {
    if (kept.some((k) => k.key === w.key)) return [];
    const found = kept.find(
      (k) => w.operation.operationId !== undefined && k.operation.operationId === w.operation.operationId,
    );
    return found ? [[w.key, found.key] as [string, string]] : [];
  });

  const paths: Record<string, JsonObject> = {};
  for (const [path, item] of Object.entries(upstream.paths ?? {})) {
    const methods = kept.filter((op) => op.path === path).map((op) => op.method as string);
    if (methods.length === 0) continue;
    paths[path] = Object.fromEntries(
      Object.entries(asObject(item)).filter(
        ([key]) => methods.includes(key) || !(HTTP_METHODS as readonly string[]).includes(key),
      ),
    );
  }

  const components = reachableComponents(upstream, paths, upstream.security);
  const usedTags = new Set(kept.flatMap((op) => (Array.isArray(op.operation.tags) ? op.operation.tags : [])));
  const document: JsonObject = {
    openapi: upstream.openapi,
    info: upstream.info,
    ...(upstream.servers === undefined ? {} : { servers: upstream.servers }),
    ...(upstream.security === undefined ? {} : { security: upstream.security }),
  };
  const tags = (asObject(upstream).tags as JsonObject[] | undefined)?.filter((tag) => usedTags.has(tag.name));
  if (tags !== undefined && tags.length > 0) document.tags = tags;
  document.paths = paths;
  if (Object.keys(components).length > 0) document.components = components;
  return {
    document: document as unknown as OpenApiDocument,
    missing,
    dropped: gone.map((w) => w.key),
    moved,
  };
}

/** Components reached from `paths` and the global `security` through `$ref`s (transitively) and security requirements. */
function reachableComponents(
  upstream: OpenApiDocument,
  paths: unknown,
  security: unknown,
): Record<string, JsonObject> {
  const all = asObject(upstream.components);
  const reached = new Map<string, Set<string>>();
  const add = (section: string, name: string) => {
    const names = reached.get(section) ?? new Set<string>();
    reached.set(section, names);
    if (names.has(name)) return;
    names.add(name);
    visit(asObject(all[section])[name]);
  };
  const visit = (value: unknown): void => {
    if (typeof value !== "object" || value === null) return;
    const object = value as JsonObject;
    const match = typeof object.$ref === "string" ? COMPONENT_REF.exec(object.$ref) : null;
    if (match?.[1] !== undefined && match[2] !== undefined) add(match[1], unescapePointerSegment(match[2]));
    // Security requirements name schemes without a $ref: [{ ApiKeyAuth: [] }].
    if (Array.isArray(object.security)) addSchemes(object.security);
    for (const child of Object.values(object)) visit(child);
  };
  const addSchemes = (requirements: unknown[]) => {
    for (const requirement of requirements)
      for (const scheme of Object.keys(asObject(requirement))) add("securitySchemes", scheme);
  };
  if (Array.isArray(security)) addSchemes(security);
  visit(paths);

  // Upstream order, section by section, so a re-sync of an unchanged document is an unchanged file.
  const components: Record<string, JsonObject> = {};
  for (const [section, entries] of Object.entries(all)) {
    const names = reached.get(section);
    if (names === undefined) continue;
    components[section] = Object.fromEntries(
      Object.entries(asObject(entries)).filter(([name]) => names.has(name)),
    );
  }
  return components;
}
