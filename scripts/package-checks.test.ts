import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packPackages, publishedPackages, REPO_ROOT } from "./packaging/published-packages.js";

const run = promisify(execFile);
const bin = (name: string) => join(REPO_ROOT, "node_modules/.bin", name);

/**
 * attw rules ignored per package: none, so every resolution is checked, `node10` included (still the
 * default of `module: commonjs`, which old consuming tsconfigs use). The CLI is ESM by design (a
 * command, plus helpers for ESM programs), so `require` resolving to ESM is its intent, not a problem.
 */
const ATTW_IGNORED_RULES: Record<string, readonly string[]> = {
  "@datafold-ci/types": [],
  "@datafold-ci/client": [],
  "@datafold-ci/testing": [],
  "@datafold-ci/cli": ["cjs-resolves-to-esm"],
};

const packages = await publishedPackages();
let packDir: string;
let tarballs: Map<string, string>;
beforeAll(async () => {
  packDir = await mkdtemp(join(tmpdir(), "datafold-ci-package-checks-"));
  tarballs = await packPackages(packages, packDir);
}, 120_000);
afterAll(() => rm(packDir, { recursive: true, force: true }));

async function manifest(dir: string) {
  return JSON.parse(await readFile(join(dir, "package.json"), "utf8"));
}

/** Every object in an `exports` map that chooses between conditions. */
function conditionObjects(exports: unknown): Record<string, unknown>[] {
  if (typeof exports !== "object" || exports === null) return [];
  const objects = Object.values(exports).flatMap(conditionObjects);
  return Object.keys(exports).some((key) => !key.startsWith("."))
    ? [exports as Record<string, unknown>, ...objects]
    : objects;
}

it("publishes exactly the four packages of the changesets fixed group", async () => {
  const config = JSON.parse(await readFile(join(REPO_ROOT, ".changeset/config.json"), "utf8"));
  expect(packages.map((p) => p.name).sort()).toEqual([...config.fixed[0]].sort());
  expect(Object.keys(ATTW_IGNORED_RULES).sort()).toEqual(packages.map((p) => p.name).sort());
});

describe.each(packages)("$name", (pkg) => {
  it("declares what consumers and the registry need: engines, license, repository, homepage, public access, no side effects", async () => {
    const json = await manifest(pkg.dir);
    expect(json).toMatchObject({
      license: "MIT",
      sideEffects: false,
      engines: { node: ">=20" },
      repository: { type: "git", directory: relative(REPO_ROOT, pkg.dir) },
      publishConfig: { access: "public" },
      bugs: { url: expect.stringMatching(/^https:\/\/.+\/issues$/) },
      homepage: expect.stringContaining(relative(REPO_ROOT, pkg.dir)),
    });
    // The registry comes from the publisher's npm config (NPM_CONFIG_REGISTRY, .npmrc), never from here.
    expect(json.publishConfig.registry).toBeUndefined();
    // Provenance is asked for by the release workflow where OIDC exists; here it fails every other publish.
    expect(json.publishConfig.provenance).toBeUndefined();
    expect(json.keywords).toContain("datafold");
  });

  it("lists `types` first in every exports condition, so TypeScript never picks a JS file instead", async () => {
    const objects = conditionObjects((await manifest(pkg.dir)).exports);
    expect(objects.length).toBeGreaterThan(0);
    for (const conditions of objects.filter((c) => "types" in c))
      expect(Object.keys(conditions)[0]).toBe("types");
  });

  it("ships built files only: no sources, tests or configs in the tarball", async () => {
    const { stdout } = await run("tar", ["-tzf", tarballs.get(pkg.name) ?? ""]);
    const files = stdout.trim().split("\n");
    expect(files).toContain("package/package.json");
    // A subpath export (`./wait`) may have a `wait/package.json` pointing into dist/, for resolvers that
    // read no `exports` (TypeScript's node10, older bundlers).
    const subpaths = Object.keys((await manifest(pkg.dir)).exports ?? {})
      .filter((key) => /^\.\/[\w-]+$/.test(key))
      .map((key) => `package/${key.slice(2)}/package.json`);
    for (const file of files.filter((file) => !subpaths.includes(file)))
      expect(file).toMatch(/^package\/(dist\/.+|bin\/[\w-]+\.js|package\.json|README\.md|LICENSE)$/);
  });

  it("passes publint with nothing to report (suggestions included)", async () => {
    const { stdout } = await run(bin("publint"), ["run", tarballs.get(pkg.name) ?? "", "--strict"]).catch(
      (e) => {
        throw new Error(`publint failed for ${pkg.name}:\n${e.stdout}${e.stderr}`);
      },
    );
    expect(stdout).toContain("All good!");
  });

  const ignored = ATTW_IGNORED_RULES[pkg.name] ?? [];
  it(`passes attw (are the types wrong) in every resolution, node10 included, ignoring ${ignored.join(", ") || "nothing"}`, async () => {
    const tarball = tarballs.get(pkg.name) ?? "";
    const args = [
      tarball,
      "--profile",
      "strict",
      ...(ignored.length > 0 ? ["--ignore-rules", ...ignored] : []),
      "--format",
      "ascii",
      "--no-emoji",
      "--no-color",
    ];
    const { stdout } = await run(bin("attw"), args).catch((e) => {
      throw new Error(`attw found problems in ${basename(tarball)}:\n${e.stdout}${e.stderr}`);
    });
    // attw exits 1 on any problem its profile does not ignore; the ignored ones are listed, marked so.
    const problems = stdout
      .split("\n")
      .filter((line) => line.includes("arethetypeswrong.github.io/blob/main/docs/problems"));
    for (const problem of problems) expect(problem).toMatch(/^\(ignored per resolution\) /);
  });
});
