import { defineConfig } from "tsup";
import { tsupPreset } from "../../scripts/build/tsup-preset.js";

export default defineConfig(
  tsupPreset(import.meta.dirname, { entry: ["src/index.ts"], format: ["esm", "cjs"] }),
);
