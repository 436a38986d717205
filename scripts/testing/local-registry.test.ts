import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type LocalRegistry, startLocalRegistry } from "./local-registry.js";

const run = promisify(execFile);

let registry: LocalRegistry;
let work: string;
beforeAll(async () => {
  [registry, work] = await Promise.all([
    startLocalRegistry(),
    mkdtemp(join(tmpdir(), "datafold-ci-registry-test-")),
  ]);
}, 60_000);
afterAll(async () => {
  await registry?.close();
  await rm(work, { recursive: true, force: true });
});

/** A one-file package with a bin, under the scope the registry keeps local. */
async function probePackage(version: string): Promise<string> {
  const dir = join(work, `probe-${version}`);
  await mkdir(dir);
  const manifest = { name: "@datafold-ci/registry-probe", version, bin: { "registry-probe": "bin.js" } };
  await writeFile(join(dir, "package.json"), JSON.stringify(manifest));
  await writeFile(join(dir, "bin.js"), `#!/usr/bin/env node\nconsole.log("probe ${version}");\n`);
  return dir;
}

it("listens on 127.0.0.1 and writes an npmrc with its URL and a token", async () => {
  expect(registry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  const npmrc = await readFile(registry.npmrc, "utf8");
  expect(npmrc).toContain(`registry=${registry.url}`);
  expect(npmrc).toMatch(/^\/\/127\.0\.0\.1:\d+\/:_authToken=\S+$/m);
});

it("publishes a package that npm then installs and npx runs from this registry, with its own cache", async () => {
  await registry.publish(await probePackage("1.2.3"));
  const consumer = join(work, "consumer");
  await mkdir(consumer);
  await writeFile(join(consumer, "package.json"), '{ "name": "consumer", "private": true }');
  await run("npm", ["install", "--no-package-lock", "@datafold-ci/registry-probe@1.2.3"], {
    cwd: consumer,
    env: registry.env(),
  });
  const installed = JSON.parse(
    await readFile(join(consumer, "node_modules/@datafold-ci/registry-probe/package.json"), "utf8"),
  ) as { version: string };
  expect(installed.version).toBe("1.2.3");

  const { stdout } = await run("npx", ["-y", "@datafold-ci/registry-probe@1.2.3"], {
    cwd: work,
    env: registry.env(),
  });
  expect(stdout.trim()).toBe("probe 1.2.3");
  const { stdout: cache } = await run("npm", ["config", "get", "cache"], { env: registry.env() });
  expect(cache.trim()).not.toBe(join(process.env.HOME ?? "", ".npm"));
  expect(cache.trim().startsWith(tmpdir())).toBe(true);
});

it("keeps @datafold-ci packages local and proxies every other package upstream", async () => {
  const local = await fetch(new URL("@datafold-ci%2fclient", registry.url));
  expect(local.status).toBe(404);
  const { stdout } = await run("npm", ["view", "openapi-fetch@0.17.0", "version"], { env: registry.env() });
  expect(stdout.trim()).toBe("0.17.0");
});

it("close() stops the server and deletes the npmrc; an aborted signal closes it too", async () => {
  const controller = new AbortController();
  const other = await startLocalRegistry({ signal: controller.signal });
  expect((await fetch(new URL("-/ping", other.url))).ok).toBe(true);
  controller.abort();
  await other.close(); // the same close the abort started; resolves once it is done
  await expect(fetch(new URL("-/ping", other.url))).rejects.toThrow();
  await expect(readFile(other.npmrc)).rejects.toThrow(/ENOENT/);
}, 60_000);

it("an aborted signal refuses to start", async () => {
  await expect(startLocalRegistry({ signal: AbortSignal.abort() })).rejects.toThrow();
});
