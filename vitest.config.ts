import { defineConfig } from "vitest/config";

// Root tests: the generation pipeline and the repository scripts. Packages have their own configs.
export default defineConfig({
  test: {
    include: ["scripts/**/*.test.ts", "bench/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
