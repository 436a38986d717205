/**
 * `pnpm spec:sync --input <openapi-public.json> [--spec spec/datafold-api.yaml] [--root <dir>]`:
 * replaces our spec document with Datafold's published one, cut down to the operations we already
 * ship (and the components they reach). The spec-sync workflow downloads the document, runs this,
 * `pnpm generate` and `pnpm spec:diff --write`, and opens a pull request.
 *
 * The leading comment block of the current file is kept; the rest is written as YAML, formatted with
 * this repository's prettier settings so `format:check` stays green. A shipped operation missing
 * upstream is dropped with a warning, and its entry in `spec/overrides/` with it: `spec:diff` then
 * reports it as removed (major) in the PR.
 */
import { readFile, writeFile } from "node:fs/promises";
import { basename, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { format, resolveConfig } from "prettier";
import { parse, stringify } from "yaml";
import type { OpenApiDocument } from "./codegen/spec-documents.js";
import { filterDocument } from "./spec-sync/filter-document.js";
import { updateOverrides } from "./spec-sync/update-overrides.js";

try {
  const { values } = parseArgs({
    options: {
      input: { type: "string" },
      spec: { type: "string", default: "spec/datafold-api.yaml" },
      root: { type: "string", default: fileURLToPath(new URL("..", import.meta.url)) },
    },
  });
  if (values.input === undefined)
    throw new Error("--input <file> is required: the downloaded openapi-public.json.");
  const root = resolve(values.root);
  const target = join(root, values.spec);

  const current = await readFile(target, "utf8");
  // JSON is YAML, so one parser reads the published .json and a .yaml alike.
  const upstream = parse(await readFile(values.input, "utf8")) as OpenApiDocument;
  if (typeof upstream?.openapi !== "string" || typeof upstream.paths !== "object") {
    throw new Error(`${values.input} is not an OpenAPI document (no "openapi" version or no "paths").`);
  }
  const { document, missing, dropped, moved } = filterDocument(upstream, parse(current) as OpenApiDocument);
  for (const operation of missing) {
    process.stderr.write(`spec:sync: warning: ${operation} is no longer in ${values.input}; dropped.\n`);
  }
  // The override file beside the document follows: an entry for a dropped or moved operation would stop
  // `pnpm generate`, which refuses entries that match no operation.
  const overridesPath = join(
    root,
    "spec",
    "overrides",
    `${basename(values.spec, extname(values.spec))}.yaml`,
  );
  const overrides = await readFile(overridesPath, "utf8").catch(() => undefined);
  if (overrides !== undefined && (dropped.length > 0 || moved.length > 0)) {
    await writeFile(overridesPath, updateOverrides(overrides, dropped, moved));
    for (const [from, to] of moved)
      process.stderr.write(`spec:sync: ${from} moved upstream to ${to}; its override entry follows.\n`);
  }

  const header = current.match(/^(?:#.*\n)*/)?.[0] ?? "";
  const prettierOptions = (await resolveConfig(join(root, values.spec))) ?? {};
  const yaml = await format(header + stringify(document, { lineWidth: 0 }), {
    ...prettierOptions,
    parser: "yaml",
  });
  await writeFile(target, yaml);
  process.stdout.write(
    `Wrote ${values.spec}: ${Object.keys(document.paths ?? {}).length} paths kept from ${values.input}.\n`,
  );
} catch (error) {
  process.stderr.write(`spec:sync: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
