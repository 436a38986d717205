import { defineConfig } from "tsup";
import { tsupPreset } from "../../scripts/build/tsup-preset.js";

export default defineConfig(
  tsupPreset(import.meta.dirname, {
    // The subpaths `@datafold-ci/client/wait` and `…/undeclared-fields`: helpers kept out of the main entry.
    entry: {
      index: "src/index.ts",
      wait: "src/wait-for-ci-run.ts",
      "undeclared-fields": "src/undeclared-fields.ts",
    },
    format: ["esm", "cjs"],
  }),
);
