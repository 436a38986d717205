import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packPackages, publishedPackages } from "../../scripts/packaging/published-packages.js";
import { startLocalRegistry } from "../../scripts/testing/local-registry.js";
import { installedPackages, installFootprint } from "../footprint/install-footprint.js";
import { row } from "../lib/report.js";
import { runProcess } from "../lib/run-process.js";
import { median } from "../lib/stats.js";
import type { Suite } from "../lib/suite.js";
import { progress } from "../lib/suite.js";

const RUNS = 5;
/** The floor: a one-file, zero-dependency package, published next to the CLI (`@datafold-ci/*` stays local). */
const FLOOR = "@datafold-ci/bench-npx-floor";

/**
 * What distributing the CLI through `npx` costs: its tarball and installed size, how many packages `npx` fetches, and a
 * cold `npx -y @datafold-ci/cli@<v> --version` (local registry, empty npm cache) next to `npx` of a one-file
 * package whose tarball is as large — what any CLI of that size costs to fetch and start.
 */
export const npxColdSuite: Suite = {
  name: "npx",
  title: "CLI distribution: tarball, install, cold npx",
  async run() {
    const cli = (await publishedPackages()).find((pkg) => pkg.name === "@datafold-ci/cli");
    if (!cli) throw new Error("packages/cli is not a published package");
    const work = await mkdtemp(join(tmpdir(), "datafold-ci-bench-npx-"));
    const registry = await startLocalRegistry({ signal: AbortSignal.timeout(600_000) });
    try {
      progress("pnpm pack of the CLI, and a floor package of the same tarball size");
      const tarball = (await packPackages([cli], work)).get(cli.name) ?? "";
      const tarballBytes = (await stat(tarball)).size;
      const floor = await packFloor(join(work, "floor"), tarballBytes);
      await registry.publish(tarball);
      await registry.publish(floor.tarball);
      const installed = await installFootprint(join(work, "install"), [tarball]);

      progress(`${RUNS} interleaved cold npx runs of each (empty npm cache each time)`);
      const commands = [
        { what: `cold \`npx -y ${FLOOR}\` (floor, ${kB(floor.bytes)})`, spec: `${FLOOR}@1.0.0`, args: [] },
        {
          what: "cold `npx -y @datafold-ci/cli --version`",
          spec: `${cli.name}@${cli.version}`,
          args: ["--version"],
        },
      ];
      const times = commands.map(() => [] as number[]);
      let fetched: string[] = [];
      for (let run = 0; run < RUNS; run++) {
        for (let step = 0; step < commands.length; step++) {
          const index = (run + step) % commands.length;
          const command = commands[index]!;
          const cache = join(work, `cache-${run}-${index}`);
          const cwd = join(work, `cwd-${run}-${index}`);
          await mkdir(cwd);
          const result = await runProcess("npx", ["-y", command.spec, ...command.args], {
            cwd,
            env: registry.env({ npm_config_cache: cache }),
          });
          if (index === 1) {
            if (result.stdout.trim() !== cli.version) throw new Error(`npx printed ${result.stdout.trim()}`);
            fetched = await npxInstalled(cache);
          }
          times[index]!.push(result.ms);
          await rm(cache, { recursive: true, force: true });
        }
      }
      const [floorMs, cliMs] = times.map((t) => ({ value: median(t), unit: "ms" }));
      const floorBaseline = { what: commands[0]!.what, figure: floorMs! };
      return {
        rows: [
          row("CLI tarball (`pnpm pack`)", { value: tarballBytes / 1000, unit: "kB" }),
          row("CLI installed (`npm install <tarball>`), on disk", {
            value: installed.bytes / 1000,
            unit: "kB",
          }),
          row(
            "packages `npx -y @datafold-ci/cli` fetches",
            { value: fetched.length, unit: "packages" },
            { goal: { text: "1", met: fetched.length === 1 } },
          ),
          row(commands[0]!.what, floorMs!),
          row(commands[1]!.what, cliMs!, { baseline: floorBaseline }),
        ],
        notes: [
          `Local verdaccio on loopback (scripts/testing/local-registry.ts) holding the packed CLI ${cli.version} and the floor; each npx run has a fresh \`npm_config_cache\`, so it resolves, downloads, unpacks and starts the package. Median of ${RUNS} interleaved runs.`,
          `The floor is a one-file bin (\`console.log\` plus an incompressible comment) whose tarball is ${kB(floor.bytes)}, the CLI's is ${kB(tarballBytes)}. npx fetched: ${fetched.map((p) => `\`${p}\``).join(", ")}.`,
        ],
      };
    } finally {
      await registry.close();
      await rm(work, { recursive: true, force: true });
    }
  },
};

function kB(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

/** The packages npx installed into its cache (`_npx/<hash>/node_modules`). */
async function npxInstalled(cache: string): Promise<string[]> {
  const npx = join(cache, "_npx");
  const [hash] = await readdir(npx);
  return installedPackages(join(npx, hash ?? "", "node_modules"));
}

/** Packs the floor package, padded until its tarball is within 2 % of `targetBytes`. */
async function packFloor(dir: string, targetBytes: number): Promise<{ tarball: string; bytes: number }> {
  await mkdir(join(dir, "bin"), { recursive: true });
  const manifest = {
    name: FLOOR,
    version: "1.0.0",
    type: "module",
    bin: { floor: "bin/floor.js" },
    license: "MIT",
  };
  await writeFile(join(dir, "package.json"), `${JSON.stringify(manifest)}\n`);
  // Random base64 barely compresses, so the tarball grows with the padding; two corrections land close.
  let padding = targetBytes;
  for (let attempt = 0; ; attempt++) {
    const comment = randomBytes(Math.ceil((padding * 3) / 4)).toString("base64");
    await writeFile(join(dir, "bin/floor.js"), `#!/usr/bin/env node\nconsole.log("1.0.0");\n// ${comment}\n`);
    const { stdout } = await runProcess("npm", ["pack", "--pack-destination", dir], { cwd: dir });
    const tarball = join(dir, stdout.trim().split("\n").at(-1) ?? "");
    const bytes = (await stat(tarball)).size;
    if (Math.abs(bytes - targetBytes) <= targetBytes * 0.02 || attempt === 3) return { tarball, bytes };
    await rm(tarball);
    padding = Math.round((padding * targetBytes) / bytes);
  }
}
