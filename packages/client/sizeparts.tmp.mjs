import { build } from "/work/wt-core/node_modules/.pnpm/esbuild@0.28.2/node_modules/esbuild/lib/main.js";
import { gzipSync } from "node:zlib";
const r = await build({ entryPoints: ["src/index.ts"], define: { __DEFAULT_BASE_URL__: "\"https://app.datafold.com\"", __PACKAGE_VERSION__: "\"0.0.0\"", __PACKAGE_NAME__: "\"@datafold-ci/client\"" }, bundle: true, minify: true, write: false, metafile: true, format: "esm", platform: "neutral", logLevel: "silent" });
const out = Object.values(r.metafile.outputs)[0];
console.log("total min", r.outputFiles[0].contents.length, "gz", gzipSync(r.outputFiles[0].contents).length);
const rows = Object.entries(out.inputs).sort((a,b)=>b[1].bytesInOutput-a[1].bytesInOutput);
for (const [k,v] of rows.slice(0,20)) console.log(v.bytesInOutput, k);
