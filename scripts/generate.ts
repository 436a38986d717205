/**
 * The one generation entry point: `pnpm generate` writes everything derived from `spec/`, and the README
 * sections derived from code (`codegen/readme-sections.ts`: the exit-code tables); `pnpm generate --check`
 * writes nothing and exits 1 naming each stale, missing or orphaned file.
 *
 * Options: `--root <dir>` generates for another checkout (tests run it on a temporary copy).
 */
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { README_FILES, renderReadmeSections } from "./codegen/readme-sections.js";
import { GENERATED_DIRS, GENERATED_FILES, renderAll } from "./codegen/render-all.js";

const { values } = parseArgs({
  options: {
    check: { type: "boolean", default: false },
    root: { type: "string", default: fileURLToPath(new URL("..", import.meta.url)) },
  },
});
const root = resolve(values.root);
// The pnpm the repository pins (`packageManager`), spelled as the README's commands run it.
const PNPM: string = JSON.parse(
  await readFile(new URL("../package.json", import.meta.url), "utf8"),
).packageManager;

const expected = await Promise.all([renderAll(root), renderReadmeSections(root)])
  .then(([files, readmes]) => new Map([...files, ...readmes]))
  .catch((error: unknown) => {
    // A broken or missing spec is the user's input, not our bug: say what is wrong, no stack trace.
    process.stderr.write(`generate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  });
const onDisk = await readGeneratedDirs(root);
const problems: string[] = [];
for (const [path, content] of expected) {
  const current = onDisk.get(path);
  if (current === undefined) problems.push(`missing: ${path}`);
  else if (current !== content) problems.push(`stale: ${path}`);
}
for (const path of onDisk.keys()) {
  if (!expected.has(path)) problems.push(`orphan: ${path} (no document in spec/ produces it)`);
}

if (values.check) {
  if (problems.length > 0) {
    process.stderr.write(
      `Generated output is out of date with spec/:\n${problems.map((p) => `  ${p}`).join("\n")}\n` +
        `Run \`npx -y ${PNPM} generate\` and commit the result.\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`Generated output is up to date (${expected.size} files).\n`);
} else {
  for (const path of onDisk.keys()) if (!expected.has(path)) await rm(join(root, path));
  for (const [path, content] of expected) {
    if (onDisk.get(path) === content) continue;
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  const changed = problems.length === 0 ? "nothing changed" : problems.join(", ");
  process.stdout.write(`Generated ${expected.size} files from spec/ (${changed}).\n`);
}

async function readGeneratedDirs(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const dir of GENERATED_DIRS) {
    const names = await readdir(join(root, dir)).catch(() => [] as string[]);
    for (const name of names.sort())
      files.set(`${dir}/${name}`, await readFile(join(root, dir, name), "utf8"));
  }
  for (const path of [...GENERATED_FILES, ...README_FILES]) {
    const content = await readFile(join(root, path), "utf8").catch(() => undefined);
    if (content !== undefined) files.set(path, content);
  }
  return files;
}
