import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { exitCodeMarkdown } from "../../packages/cli/src/exit-codes.js";

/**
 * Sections of hand-written READMEs that `pnpm generate` writes from code, so they cannot drift from it:
 * each lies between `<!-- <name>:start -->` and `<!-- <name>:end -->` lines of its file. The exit-code
 * table comes from `packages/cli/src/exit-codes.ts`, which `--help` prints too.
 */
export const README_SECTIONS: readonly {
  readonly file: string;
  readonly name: string;
  readonly render: () => string;
}[] = [
  { file: "docs/ci-systems.md", name: "exit-codes", render: exitCodeMarkdown },
  { file: "packages/cli/README.md", name: "exit-codes", render: exitCodeMarkdown },
];

/** The README files {@link README_SECTIONS} writes into, relative to the root. */
export const README_FILES: readonly string[] = [...new Set(README_SECTIONS.map((section) => section.file))];

/**
 * Each README of {@link README_SECTIONS} under `root` as it should be, by path: its sections rendered,
 * the rest as it is. A README the root does not have is left out (a checkout of the spec alone).
 * @throws naming the file and the marker, when a README lacks a section's markers.
 */
export async function renderReadmeSections(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const { file, name, render } of README_SECTIONS) {
    const text = files.get(file) ?? (await readFile(join(root, file), "utf8").catch(() => undefined));
    if (text === undefined) continue;
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const from = text.indexOf(`${start}\n`);
    const to = text.indexOf(`\n${end}`, from);
    if (from === -1 || to === -1)
      throw new Error(
        `${file} has no "${start}" and "${end}" lines around its ${name} section; put them back around it.`,
      );
    files.set(file, `${text.slice(0, from + start.length + 1)}\n${render()}\n${text.slice(to)}`);
  }
  return files;
}
