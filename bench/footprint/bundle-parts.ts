import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";
import { gzipSync } from "node:zlib";

/** The slice of esbuild's JS API used here (its types are not resolvable from bench/). */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { path: string; text: string }[] }>;
}

// esbuild is not a dependency of ours: borrow the copy tsup already brings, so bench adds nothing.
const esbuild = createRequire(createRequire(import.meta.url).resolve("tsup"))("esbuild") as Esbuild;

/** What one source module adds to a bundle. */
export interface BundlePart {
  /** The module, relative to the repository (a dependency as `openapi-fetch`), or `(glue)` for bytes no module owns. */
  readonly part: string;
  /** Its minified bytes in the bundle. */
  readonly minified: number;
  /** How much smaller the gzipped bundle is without those bytes (level 9). */
  readonly gzipped: number;
}

/** A bundle's total sizes and each module's share. */
export interface BundleParts {
  readonly minified: number;
  readonly gzipped: number;
  /** Largest gzip contribution first. */
  readonly parts: readonly BundlePart[];
}

/**
 * Bundles `entry` (minified ESM for the browser, `define`s applied) with a source map, assigns every
 * output character to the module the map says it came from, and measures each module's cost: its
 * minified bytes, and the gzipped bundle's size with and without them (leave one out). Gzip shares
 * repeated text across modules, so the contributions add up to less than the gzipped total.
 */
export async function bundleParts(
  entry: string,
  repoRoot: string,
  define: Record<string, string>,
): Promise<BundleParts> {
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    define,
    sourcemap: "external",
    absWorkingDir: repoRoot,
    outdir: join(repoRoot, "out"),
    write: false,
    logLevel: "silent",
  });
  const js = result.outputFiles.find((file) => file.path.endsWith(".js"))!.text;
  const map = JSON.parse(result.outputFiles.find((file) => file.path.endsWith(".map"))!.text) as {
    sources: string[];
    mappings: string;
  };
  const names = map.sources.map((source) => partName(resolve(repoRoot, "out", source), repoRoot));
  const owner = ownerOfEachCharacter(js, map.mappings);
  const gzip = (text: string) => gzipSync(text, { level: 9 }).byteLength;
  const total = gzip(js);
  const partOf = Array.from(owner, (source) => (source < 0 ? "(glue)" : names[source]!));
  const parts = [...new Set(partOf)].map((part) => {
    let own = "";
    let kept = "";
    partOf.forEach((name, index) => {
      if (name === part) own += js[index];
      else kept += js[index];
    });
    return { part, minified: Buffer.byteLength(own), gzipped: total - gzip(kept) };
  });
  parts.sort((a, b) => b.gzipped - a.gzipped || b.minified - a.minified);
  return { minified: Buffer.byteLength(js), gzipped: total, parts };
}

/** `packages/client/src/config.ts`; a dependency by its package name. */
function partName(path: string, repoRoot: string): string {
  const dependency = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(path);
  return dependency ? dependency[1]! : relative(repoRoot, path);
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/**
 * For each character of `js`, the index of the source its source map segment names, or -1 where no
 * segment does. A segment owns the characters up to the next segment of its line.
 */
function ownerOfEachCharacter(js: string, mappings: string): Int32Array {
  const owner = new Int32Array(js.length).fill(-1);
  const lineStarts = [0];
  for (let i = 0; i < js.length; i++) if (js[i] === "\n") lineStarts.push(i + 1);
  let source = 0;
  mappings.split(";").forEach((line, lineIndex) => {
    const start = lineStarts[lineIndex];
    if (start === undefined || line === "") return;
    const end = lineStarts[lineIndex + 1] ?? js.length;
    let column = 0;
    const segments: [column: number, source: number][] = [];
    for (const segment of line.split(",")) {
      const fields = decodeVlq(segment);
      column += fields[0]!;
      if (fields.length >= 4) {
        source += fields[1]!;
        segments.push([column, source]);
      } else segments.push([column, -1]);
    }
    segments.forEach(([from, owned], index) => {
      const to = segments[index + 1]?.[0] ?? end - start;
      owner.fill(owned, start + from, Math.min(start + to, end));
    });
  });
  return owner;
}

function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}
