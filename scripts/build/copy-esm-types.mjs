// `@datafold-ci/types` is types only and CommonJS-typed (dist/index.d.ts). ESM consumers get
// dist/index.d.mts, the same re-export read as ESM, so `import type` is unambiguous under
// node16/nodenext (publint: a lone "types" condition is read as CJS under the "import" condition).
// Run from the package directory after `tsc`.
import { copyFileSync } from "node:fs";

copyFileSync("dist/index.d.ts", "dist/index.d.mts");
