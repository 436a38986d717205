import { defineConfig } from "vitest/config";
import { packageDefines } from "../../scripts/build/tsup-preset.js";

export default defineConfig({
  define: packageDefines(import.meta.dirname),
  test: {
    include: ["test/**/*.test.ts"],
    // End-to-end tests spawn the built CLI and git; a loaded CI machine needs more than the default 5 s.
    testTimeout: 20_000,
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});
