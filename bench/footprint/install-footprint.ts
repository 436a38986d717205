import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runProcess } from "../lib/run-process.js";
import { treeBytes } from "../lib/tree-bytes.js";

/** What `npm install` put on disk in a fresh project. */
export interface InstallFootprint {
  /** `name@version` of every installed package, sorted. */
  packages: string[];
  /** Bytes of every file under node_modules. */
  bytes: number;
}

/**
 * Installs `specs` (tarball paths or registry specs) into a fresh project at `dir` with npm, the way a
 * user of another repository would, and measures node_modules.
 */
export async function installFootprint(dir: string, specs: string[]): Promise<InstallFootprint> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "package.json"), `${JSON.stringify({ name: "probe", private: true })}\n`);
  await runProcess("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock", ...specs], {
    cwd: dir,
  });
  const nodeModules = join(dir, "node_modules");
  return { packages: (await installedPackages(nodeModules)).sort(), bytes: await treeBytes(nodeModules) };
}

/** `name@version` of each package folder under `nodeModules`, nested node_modules included. */
export async function installedPackages(nodeModules: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(nodeModules, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const dirs = entry.name.startsWith("@")
      ? (await readdir(join(nodeModules, entry.name))).map((name) => join(nodeModules, entry.name, name))
      : [join(nodeModules, entry.name)];
    for (const dir of dirs) {
      const manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as {
        name: string;
        version: string;
      };
      found.push(
        `${manifest.name}@${manifest.version}`,
        ...(await installedPackages(join(dir, "node_modules"))),
      );
    }
  }
  return found;
}
