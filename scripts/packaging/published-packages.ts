import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** pnpm, as every command in this repository runs it (it is not installed globally). */
export const PNPM = ["-y", "pnpm@10.20.0"] as const;

/** A workspace package that is published to npm (not `private`). */
export interface PublishedPackage {
  readonly name: string;
  readonly version: string;
  /** Absolute path of the package directory. */
  readonly dir: string;
}

/** Every non-private package under `packages/`, sorted by name. */
export async function publishedPackages(): Promise<PublishedPackage[]> {
  const packagesDir = join(REPO_ROOT, "packages");
  const found: PublishedPackage[] = [];
  for (const entry of await readdir(packagesDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(packagesDir, entry.name);
    const manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as {
      name: string;
      version: string;
      private?: boolean;
    };
    if (manifest.private !== true) found.push({ name: manifest.name, version: manifest.version, dir });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Packs each package with `pnpm pack` into `destination`, exactly what `changeset publish` (through
 * `pnpm publish`) uploads: `files` applied, `workspace:*` and `catalog:` ranges replaced by versions.
 * Returns the tarball path per package name. The packages must be built.
 */
export async function packPackages(
  packages: readonly PublishedPackage[],
  destination: string,
): Promise<Map<string, string>> {
  const tarballs = new Map<string, string>();
  // One at a time: parallel `npx -y pnpm` runs race to populate the npx cache on a fresh machine.
  for (const pkg of packages) {
    const { stdout } = await promisify(execFile)(
      "npx",
      [...PNPM, "pack", "--pack-destination", destination],
      {
        cwd: pkg.dir,
      },
    );
    const tarball = stdout.trim().split("\n").at(-1) ?? "";
    if (!tarball.endsWith(".tgz"))
      throw new Error(`pnpm pack in ${pkg.dir} printed no tarball path:\n${stdout}`);
    tarballs.set(pkg.name, tarball);
  }
  return tarballs;
}
