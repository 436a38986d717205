import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { overridesFile } from "../codegen/overrides.js";
import {
  isSpecFileName,
  parseSpecDocument,
  readSpecDocuments,
  type SpecDocument,
} from "../codegen/spec-documents.js";

const git = promisify(execFile);

/** The documents of `spec/` as committed at `ref` (`git show <ref>:spec/<file>`); none when `spec/` did not exist. */
export async function readSpecAtRef(root: string, ref: string): Promise<SpecDocument[]> {
  const commit = await git("git", ["-C", root, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).catch(
    () => {
      throw new Error(
        `"${ref}" (from --base) is not a commit in ${root}; pass a branch, tag or sha, e.g. --base origin/main.`,
      );
    },
  );
  const sha = commit.stdout.trim();
  const { stdout } = await git("git", ["-C", root, "ls-tree", "--name-only", sha, "spec/"]);
  const files = stdout
    .split("\n")
    .map((path) => path.slice("spec/".length))
    .filter(isSpecFileName)
    .sort();
  return Promise.all(
    files.map(async (file) => {
      const { stdout: bytes } = await git("git", ["-C", root, "show", `${sha}:spec/${file}`], {
        encoding: "buffer",
        maxBuffer: 256 * 1024 * 1024,
      });
      const spec = parseSpecDocument(file, bytes);
      const overrides = await git("git", ["-C", root, "show", `${sha}:${overridesFile(spec)}`]).catch(
        () => undefined,
      );
      return { ...spec, overridesText: overrides?.stdout };
    }),
  );
}

/** The documents of `spec/` in the working tree, uncommitted edits included; none when there is no document. */
export async function readSpecInWorkingTree(root: string): Promise<SpecDocument[]> {
  const specs = await readSpecDocuments(root).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || /No OpenAPI document/.test(String(error)))
      return [];
    throw error;
  });
  return Promise.all(
    specs.map(async (spec) => ({
      ...spec,
      overridesText: await readFile(join(root, overridesFile(spec)), "utf8").catch(() => undefined),
    })),
  );
}
