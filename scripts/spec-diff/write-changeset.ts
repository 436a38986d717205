import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SpecDocument } from "../codegen/spec-documents.js";
import { type Bump, type Change, formatChange } from "./change.js";

/**
 * Writes `.changeset/spec-<hash>.md` bumping every package of the changesets `fixed` group(s) — the
 * published packages, which release together — with the reasons as the summary. The hash is of the
 * new spec, so running twice for the same spec rewrites the same file instead of adding a second one.
 * Returns the path relative to `root`.
 */
export async function writeSpecChangeset(
  root: string,
  options: {
    base: string;
    bump: Exclude<Bump, "none">;
    changes: readonly Change[];
    after: readonly SpecDocument[];
  },
): Promise<string> {
  const packages = await publishedPackages(root);
  const hash = createHash("sha256");
  for (const spec of options.after) hash.update(`${spec.relativePath}\0${spec.sha256}\n`);
  const path = `.changeset/spec-${hash.digest("hex").slice(0, 8)}.md`;
  const body = [
    "---",
    ...packages.map((name) => `"${name}": ${options.bump}`),
    "---",
    "",
    `Regenerated from a new Datafold API description (\`spec/\` compared with \`${options.base}\` by \`pnpm spec:diff\`):`,
    "",
    ...options.changes.map((change) => `- ${formatChange(change)}`),
    "",
  ].join("\n");
  await writeFile(join(root, path), body);
  return path;
}

async function publishedPackages(root: string): Promise<string[]> {
  const file = join(root, ".changeset/config.json");
  const config = JSON.parse(await readFile(file, "utf8").catch(() => "{}")) as { fixed?: string[][] };
  const packages = (config.fixed ?? []).flat();
  if (packages.length === 0) {
    throw new Error(`${file} has no "fixed" group naming the published packages; cannot write a changeset.`);
  }
  return packages;
}
