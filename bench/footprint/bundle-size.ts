import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";

/** The slice of esbuild's JS API used here (its types are not resolvable from bench/). */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { contents: Uint8Array }[] }>;
}

// esbuild is not a dependency of ours: borrow the copy tsup already brings, so bench adds nothing.
const esbuild = createRequire(createRequire(import.meta.url).resolve("tsup"))("esbuild") as Esbuild;

/** Sizes, in bytes, of one entry bundled the way an app bundler would ship it. */
export interface BundleSize {
  minified: number;
  gzipped: number;
}

/**
 * Bundles `source` (module text, imports resolved from `resolveDir`) as minified ESM for the browser,
 * with `external` left out, and measures the output raw and gzipped (level 9).
 */
export async function bundleSize(
  source: string,
  resolveDir: string,
  external: string[] = [],
): Promise<BundleSize> {
  const result = await esbuild.build({
    stdin: { contents: source, resolveDir, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    external,
    write: false,
    logLevel: "silent",
  });
  const contents = result.outputFiles[0]!.contents;
  return { minified: contents.byteLength, gzipped: gzipSync(contents, { level: 9 }).byteLength };
}
