import { execFile } from "node:child_process";
import { cp, mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { parse, stringify } from "yaml";
import { REPO_ROOT } from "../packaging/published-packages.js";

const run = promisify(execFile);

/**
 * Copies the repository's working tree (tracked and untracked files, minus what .gitignore excludes) into
 * `destination` as a fresh one-commit git repository, the way a maintainer's checkout would be: ready for
 * `pnpm generate`, `pnpm build`, `spec:diff --base HEAD`, `changeset version` and `pnpm release`.
 *
 * Dependencies are not reinstalled: the root `node_modules` is a symlink to this checkout's, and each
 * package's `node_modules` is copied as the relative symlinks pnpm made, so workspace links point into the
 * copy (its packages build from the copy's sources) and third-party ones into the shared store.
 */
export async function copyRepository(destination: string): Promise<void> {
  const { stdout } = await run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: REPO_ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  const files = stdout.split("\0").filter(Boolean);
  await Promise.all(
    files.map(async (file) => {
      await mkdir(dirname(join(destination, file)), { recursive: true });
      // A file deleted but not yet staged is still listed: skip it, as a commit would.
      await cp(join(REPO_ROOT, file), join(destination, file)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") throw error;
      });
    }),
  );
  await symlink(join(REPO_ROOT, "node_modules"), join(destination, "node_modules"));
  for (const entry of await readdir(join(REPO_ROOT, "packages"), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const modules = join("packages", entry.name, "node_modules");
    await cp(join(REPO_ROOT, modules), join(destination, modules), {
      recursive: true,
      verbatimSymlinks: true,
    });
  }
  const git = (...args: string[]) => run("git", args, { cwd: destination });
  await git("init", "--quiet", "--initial-branch=main");
  // .gitignore's `node_modules/` matches directories only, not the root symlink.
  await writeFile(join(destination, ".git/info/exclude"), "node_modules\n");
  await git("add", "--all");
  await git(
    "-c",
    "user.name=repository copy",
    "-c",
    "user.email=repository-copy@localhost",
    "commit",
    "--quiet",
    "-m",
    "copy",
  );
}

/** Rewrites a YAML file of a copy (a spec document, an override file) through `edit`. */
export async function editYaml<T>(copy: string, file: string, edit: (document: T) => void): Promise<void> {
  const path = join(copy, file);
  const document = parse(await readFile(path, "utf8")) as T;
  edit(document);
  await writeFile(path, stringify(document));
}
