/**
 * The Quick start's main job. For now: the operation table generated from spec/.
 * (Replaced by a real trigger against the testing kit once the CLI lands.)
 */
import { datafoldApi } from "../packages/spec/src/index.js";

console.log(`${datafoldApi.title} (${datafoldApi.version}) from ${datafoldApi.source}:`);
for (const op of datafoldApi.operations)
  console.log(`  ${op.method.padEnd(6)} ${op.path}  ${op.summary ?? ""}`);
