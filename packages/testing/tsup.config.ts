import { defineConfig } from "tsup";
import { tsupPreset } from "../../scripts/build/tsup-preset.js";

export default defineConfig([
  tsupPreset(import.meta.dirname, { entry: ["src/index.ts", "src/msw.ts"], format: ["esm", "cjs"] }),
  tsupPreset(import.meta.dirname, { entry: ["src/bin.ts"], format: ["esm"], dts: false, clean: false }),
]);
