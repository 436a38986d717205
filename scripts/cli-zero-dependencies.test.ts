import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { packPackages, publishedPackages } from "./packaging/published-packages.js";

// `@datafold-ci/cli` is one package with no runtime dependencies, so `npx` fetches one
// package and its tarball installs where no registry is reachable.
const run = promisify(execFile);
const cli = (await publishedPackages()).find((p) => p.name === "@datafold-ci/cli");
if (!cli) throw new Error("packages/cli is not a published package");

let work: string;
let tarball: string;
let unreachable: string;
let installed: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "datafold-ci-zero-deps-"));
  tarball = (await packPackages([cli], work)).get(cli.name) ?? "";
  unreachable = `http://127.0.0.1:${await closedPort()}`;
  installed = join(work, "project");
}, 120_000);
afterAll(() => rm(work, { recursive: true, force: true }));

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const manifest = async () =>
  JSON.parse((await run("tar", ["-xzOf", tarball, "package/package.json"])).stdout) as Record<
    string,
    unknown
  >;

it("the packed manifest declares no dependencies of any kind", async () => {
  const json = await manifest();
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies", "bundleDependencies"])
    expect(json[field], field).toBeUndefined();
});

it("every module in the tarball imports only Node built-ins and its own files", async () => {
  const dir = join(work, "unpacked");
  await run("mkdir", ["-p", dir]);
  await run("tar", ["-xzf", tarball, "-C", dir]);
  const files = (await readdir(join(dir, "package"), { recursive: true })).filter((f) => f.endsWith(".js"));
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const outside = new Set<string>();
  for (const file of files) {
    const code = await readFile(join(dir, "package", file), "utf8");
    for (const [, specifier = ""] of code.matchAll(
      /(?:\bfrom|\bimport\(?|\brequire\()\s*["']([\w@.][\w@/.:-]*)["']/g,
    ))
      if (!specifier.startsWith(".") && !builtins.has(specifier)) outside.add(`${file}: ${specifier}`);
  }
  expect([...outside]).toEqual([]);
});

it("npm installs the tarball with the registry unreachable and an empty cache, and the CLI and its export work", async () => {
  await run("mkdir", ["-p", installed]);
  await writeFile(
    join(installed, "package.json"),
    '{ "name": "offline-consumer", "private": true, "type": "module" }\n',
  );
  await writeFile(join(installed, ".npmrc"), `registry=${unreachable}/\n`);
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: work,
    npm_config_cache: join(work, "npm-cache"),
    npm_config_userconfig: join(installed, ".npmrc"),
  };
  await run("npm", ["install", "--no-audit", "--no-fund", "--offline", tarball], { cwd: installed, env });
  expect((await readdir(join(installed, "node_modules"))).filter((d) => !d.startsWith("."))).toEqual([
    "@datafold-ci",
  ]);
  expect(await readdir(join(installed, "node_modules/@datafold-ci"))).toEqual(["cli"]);

  const bin = join(installed, "node_modules/.bin/datafold-ci");
  expect((await run(bin, ["--version"], { env })).stdout).toBe(`${cli.version}\n`);
  // A trigger to a closed port loads the whole bundle (client, openapi-fetch; undici through the proxy
  // variable) and fails the way a network failure does: exit 1, the host named.
  const trigger = await run(
    bin,
    [
      "trigger",
      "--ci-config-id=1",
      "--pr-num=2",
      "--pr-branch=f",
      "--base-branch=main",
      "--pr-sha=abc1234",
      "--base-sha=def5678",
      "--retries=0",
    ],
    { env: { ...env, DATAFOLD_API_KEY: "offline-key", DATAFOLD_HOST: unreachable, HTTP_PROXY: unreachable } },
  ).catch((e: { code: number; stderr: string }) => e);
  expect(trigger).toMatchObject({ code: 1, stderr: expect.stringContaining("127.0.0.1") });
  expect((trigger as { stderr: string }).stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find/);

  const exported = await run(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      'const m = await import("@datafold-ci/cli"); console.log(typeof m.runCli, typeof m.detectCi)',
    ],
    { cwd: installed, env },
  );
  expect(exported.stdout).toBe("function function\n");
});
