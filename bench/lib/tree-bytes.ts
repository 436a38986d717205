import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

/** Total bytes of the regular files under `dir` (apparent size, not disk blocks). */
export async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}
