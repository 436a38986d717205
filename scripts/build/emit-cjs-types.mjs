// `@datafold-ci/types` is types only, built by tsc as ESM declarations (dist/**/*.d.ts, "type": "module").
// CommonJS consumers resolve "require" to dist/index.d.cts: each .d.ts copied as .d.cts with relative
// specifiers pointing at the .cjs twins, so a `require`-mode program never reads ESM declarations
// (tsup does the same for the client and the testing kit). Run from the package directory after tsc.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

for (const file of readdirSync("dist", { recursive: true, encoding: "utf8" })) {
  if (!file.endsWith(".d.ts")) continue;
  const source = readFileSync(join("dist", file), "utf8");
  const cjs = source.replace(/(from\s+["']\.{1,2}\/[^"']+)\.js(["'])/g, "$1.cjs$2");
  writeFileSync(join("dist", file.replace(/\.d\.ts$/, ".d.cts")), cjs);
}
