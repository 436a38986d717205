import { build } from "/work/wt-core/node_modules/.pnpm/esbuild@0.28.2/node_modules/esbuild/lib/main.js";
import { gzipSync } from "node:zlib";
for (const [name, code] of [["all", 'export * from "./dist/index.js"'], ["create", 'export { createDatafoldClient } from "./dist/index.js"'], ["create+wait", 'export { createDatafoldClient, waitForCiRun } from "./dist/index.js"']]) {
  const r = await build({ stdin: { contents: code, resolveDir: process.cwd() }, bundle: true, minify: true, write: false, format: "esm", platform: "neutral", logLevel: "silent" });
  console.log(name, r.outputFiles[0].contents.length, gzipSync(r.outputFiles[0].contents, {level:9}).length);
}
