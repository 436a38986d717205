// Replaced at build time by scripts/build/tsup-preset.ts (and in tests by vitest's `define`).
declare const __PACKAGE_NAME__: string;
declare const __PACKAGE_VERSION__: string;
declare const __DEFAULT_BASE_URL__: string | undefined;
