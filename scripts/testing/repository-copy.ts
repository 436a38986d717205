import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parse, stringify } from "yaml";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const run = promisify(execFile);
const tool = (name: string) => join(repoRoot, "node_modules", ".bin", name);

/**
 * Copies the repository to a temporary folder, the way a maintainer's checkout would be: sources and the
 * packages' own node_modules (symlinks, relative, so workspace links point into the copy); the root
 * node_modules, only third-party code, is shared through one symlink. Builds, `.git` and bench results stay behind.
 */
export async function copyRepository(prefix: string): Promise<string> {
  const copy = await mkdtemp(join(tmpdir(), prefix));
  await cp(repoRoot, copy, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => {
      const path = relative(repoRoot, source).split(sep);
      return !(
        (path[0] === "node_modules" && path.length === 1) ||
        path.includes(".git") ||
        path.includes("dist") ||
        path.includes(".turbo") ||
        path.includes(".vite") ||
        path[0] === "bench"
      );
    },
  });
  await symlink(join(repoRoot, "node_modules"), join(copy, "node_modules"));
  return copy;
}

/** Rewrites a YAML file of the copy (a spec document, an override file) through `edit`. */
export async function editYaml<T>(copy: string, file: string, edit: (document: T) => void): Promise<void> {
  const path = join(copy, file);
  const document = parse(await readFile(path, "utf8")) as T;
  edit(document);
  await writeFile(path, stringify(document));
}

/**
 * Runs `pnpm generate` in the copy, then builds `packages` there as their `build` scripts do (`types` with
 * tsc, the others with tsup), in order: a package is built after those before it in the list.
 */
export async function generateAndBuild(
  copy: string,
  packages: readonly ("types" | "client" | "testing" | "cli")[],
): Promise<void> {
  await run(process.execPath, ["--import", "tsx", join(copy, "scripts", "generate.ts"), "--root", copy]);
  for (const name of packages) {
    const cwd = join(copy, "packages", name);
    if (name === "types") {
      await run(tool("tsc"), ["-p", "tsconfig.build.json"], { cwd });
      await run(process.execPath, [join(copy, "scripts", "build", "emit-cjs-types.mjs")], { cwd });
    } else await run(tool("tsup"), [], { cwd, env: { ...process.env, NODE_ENV: "production" } });
  }
}
