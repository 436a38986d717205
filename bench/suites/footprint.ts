import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleSize } from "../footprint/bundle-size.js";
import { installFootprint } from "../footprint/install-footprint.js";
import { packPackages, publishedPackages } from "../../scripts/packaging/published-packages.js";
import { REPO_ROOT } from "../lib/repo.js";
import { row } from "../lib/report.js";
import type { Suite } from "../lib/suite.js";
import { progress } from "../lib/suite.js";

const CLIENT_GOAL_BYTES = 5_000;
/**
 * Published packages `npm install @datafold-ci/client` installs, in dependency order. The CLI bundles
 * everything and has no dependencies: its install is measured in the CLI distribution suite (npx-cold).
 */
const OURS = ["types", "client"] as const;

/** The client's bundle cost and its install footprint. */
export const footprintSuite: Suite = {
  name: "footprint",
  title: "Footprint",
  async run() {
    progress("client bundle (esbuild, minified, ESM, browser)");
    const clientDir = join(REPO_ROOT, "packages", "client");
    const openapiFetchVersion = await packageVersion(clientDir, "openapi-fetch");
    const exportsOf = (file: string) => `export * from ${JSON.stringify(join(clientDir, "dist", file))};`;
    const entry = exportsOf("index.js");
    const everyEntry = ["index.js", "wait.js", "undeclared-fields.js"].map(exportsOf).join("\n");
    // What a bare openapi-fetch user ships: its default export, `createClient`.
    const bare = await bundleSize('export { default } from "openapi-fetch";', clientDir);
    const whole = await bundleSize(entry, clientDir);
    const every = await bundleSize(everyEntry, clientDir);
    const own = await bundleSize(entry, clientDir, ["openapi-fetch"]);
    const kB = (bytes: number) => ({ value: bytes / 1000, unit: "kB" });
    const bareBaseline = { what: `openapi-fetch ${openapiFetchVersion} alone`, figure: kB(bare.gzipped) };

    progress("client install footprint (pnpm pack + npm install into a fresh project)");
    const work = await mkdtemp(join(tmpdir(), "datafold-ci-bench-footprint-"));
    try {
      const ours = (await publishedPackages()).filter((pkg) =>
        OURS.some((name) => pkg.name === `@datafold-ci/${name}`),
      );
      const tarballPaths = [...(await packPackages(ours, join(work, "tarballs"))).values()];
      const client = await installFootprint(join(work, "client"), tarballPaths);
      const baseline = await installFootprint(join(work, "baseline"), [
        `openapi-fetch@${openapiFetchVersion}`,
      ]);
      const allowed = new Set([
        ...OURS.map((name) => `@datafold-ci/${name}`),
        ...baseline.packages.map(nameOf),
      ]);
      const extra = client.packages.filter((pkg) => !allowed.has(nameOf(pkg)));
      const installBaseline = (figure: { value: number; unit: string }) => ({
        what: `\`npm install openapi-fetch@${openapiFetchVersion}\``,
        figure,
      });
      return {
        rows: [
          row("client bundle, main entry, min+gzip, with openapi-fetch", kB(whole.gzipped), {
            baseline: bareBaseline,
            goal: { text: "≤ 5 kB", met: whole.gzipped <= CLIENT_GOAL_BYTES },
          }),
          row("client bundle, every entry (main, /wait, /undeclared-fields), min+gzip", kB(every.gzipped), {
            baseline: bareBaseline,
          }),
          row("client bundle, min+gzip, openapi-fetch external (our code)", kB(own.gzipped), {
            baseline: bareBaseline,
          }),
          row("client bundle, minified, with openapi-fetch", kB(whole.minified), {
            baseline: { what: bareBaseline.what, figure: kB(bare.minified) },
          }),
          row(
            "client install: packages",
            { value: client.packages.length, unit: "packages" },
            {
              baseline: installBaseline({ value: baseline.packages.length, unit: "packages" }),
              goal: { text: "only ours + openapi-fetch", met: extra.length === 0 },
            },
          ),
          row("client install: node_modules on disk", kB(client.bytes), {
            baseline: installBaseline(kB(baseline.bytes)),
          }),
        ],
        notes: [
          'Bundles: esbuild `bundle, minify, format: esm, platform: browser` of everything the main entry of `@datafold-ci/client` exports (the subpaths `/wait` and `/undeclared-fields` only in the "every entry" row); gzip level 9. The ≤ 5 kB goal applies to what an app ships, openapi-fetch included.',
          `Client install: \`pnpm pack\` of ${OURS.map((n) => `@datafold-ci/${n}`).join(", ")}, then \`npm install --no-audit --no-fund\` of the ${OURS.length} tarballs into an empty project, as \`npm install @datafold-ci/client\` would. Installed: ${client.packages.map((p) => `\`${p}\``).join(", ")}.`,
          extra.length
            ? `Beyond our packages and openapi-fetch's own closure: ${extra.map((p) => `\`${p}\``).join(", ")}.`
            : "Nothing beyond our packages and openapi-fetch (with its own dependencies, as a bare install of it brings).",
        ],
      };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  },
};

function nameOf(pkg: string): string {
  return pkg.slice(0, pkg.lastIndexOf("@"));
}

/** The version of `dependency` that `fromDir` resolves, so the baseline is the very same code. */
async function packageVersion(fromDir: string, dependency: string): Promise<string> {
  const manifest = join(fromDir, "node_modules", dependency, "package.json");
  return (JSON.parse(await readFile(manifest, "utf8")) as { version: string }).version;
}
