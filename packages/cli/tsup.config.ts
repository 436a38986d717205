import { defineConfig } from "tsup";
import { tsupPreset } from "../../scripts/build/tsup-preset.js";

/**
 * The CLI is published with no runtime `dependencies`, so `npx @datafold-ci/cli` fetches one
 * package and its tarball installs with no registry. The client, its spec table, openapi-fetch and
 * undici (loaded only when a proxy variable is set) are bundled in; ESM chunks keep `--version` and
 * `--help` from loading any of them.
 */
const BUNDLED = [
  "@datafold-ci/api-description",
  "@datafold-ci/client",
  "@datafold-ci/types",
  "openapi-fetch",
  "undici",
];

export default defineConfig(
  tsupPreset(import.meta.dirname, {
    entry: ["src/index.ts", "src/bin.ts"],
    format: ["esm"],
    noExternal: BUNDLED,
    // The declaration bundler cannot follow the types package's `export type *` into its dist, nor the
    // declaration chunks the client's entries share: the types' generated declarations and the client's
    // sources are read instead.
    dts: {
      resolve: [...BUNDLED, "@datafold-ci/client/wait", "@datafold-ci/client/undeclared-fields"],
      compilerOptions: {
        paths: {
          "@datafold-ci/types": ["../types/dist/generated/datafold-api.d.cts"],
          "@datafold-ci/client": ["../client/src/index.ts"],
          "@datafold-ci/client/wait": ["../client/src/wait-for-ci-run.ts"],
          "@datafold-ci/client/undeclared-fields": ["../client/src/undeclared-fields.ts"],
        },
      },
    },
    // undici is CommonJS and `require`s Node's built-ins; an ES module has no `require` of its own.
    banner: {
      js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
    },
    // Whitespace and syntax only: names stay, so `--debug` stack traces remain readable.
    esbuildOptions(options) {
      options.minifyWhitespace = true;
      options.minifySyntax = true;
    },
  }),
);
