import { defineConfig } from "vitest/config";
import { packageDefines } from "../../scripts/build/tsup-preset.js";

export default defineConfig({
  define: packageDefines(import.meta.dirname),
  test: {
    include: ["test/**/*.test.ts"],
    // Loopback round trips and property runs: generous, for a 2-core CI machine under load.
    testTimeout: 30_000,
    setupFiles: ["test/setup/no-key-leaks.ts"],
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});
