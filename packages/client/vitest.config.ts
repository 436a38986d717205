import { defineConfig } from "vitest/config";
import { packageDefines } from "../../scripts/build/tsup-preset.js";

export default defineConfig({
  define: packageDefines(import.meta.dirname),
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup/no-key-leaks.ts"],
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});
