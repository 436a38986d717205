import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Options } from "tsup";
import { datafoldApi } from "../../packages/api-description/src/index.js";

/**
 * Build-time constants every package bakes in: its own name and version, for `User-Agent`
 * and `--version`, and the spec's default server (`undefined` when it names none). Baked in rather than read at run time because the
 * client runs where there is no file system (browsers, workers) and must not import `node:` modules,
 * and because the CLI's `--help` must not pay for loading the client (its start-up goal is 1.3× a bare `node`, measured by `pnpm bench`).
 */
export function packageDefines(packageDir: string): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
    name: string;
    version: string;
  };
  return {
    __PACKAGE_NAME__: JSON.stringify(pkg.name),
    __PACKAGE_VERSION__: JSON.stringify(pkg.version),
    // A spec may name no server (FastAPI writes none unless told): then there is no default host, and the
    // client asks for one rather than guess.
    __DEFAULT_BASE_URL__: JSON.stringify(datafoldApi.servers[0]?.url) ?? "undefined",
  };
}

/** The tsup options all published packages share: ES2022, declarations, the private `@datafold-ci/api-description` bundled in. */
export function tsupPreset(packageDir: string, overrides: Options): Options {
  return {
    target: "es2022",
    sourcemap: false,
    clean: true,
    dts: { resolve: ["@datafold-ci/api-description"] },
    noExternal: ["@datafold-ci/api-description"],
    define: packageDefines(packageDir),
    ...overrides,
  };
}
