import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "tsup";
import { afterAll, describe, expect, it, vi } from "vitest";
import { packageDefines } from "./tsup-preset.js";

// The spec table as a spec with no `servers` generates it: valid OpenAPI, and FastAPI's documents have none.
vi.mock("../../packages/api-description/src/index.js", async (importOriginal) => {
  const spec = await importOriginal<typeof import("../../packages/api-description/src/index.js")>();
  return { ...spec, datafoldApi: { ...spec.datafoldApi, servers: [] } };
});

const packageDir = join(import.meta.dirname, "../../packages/client");
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe("building from a spec with no servers", () => {
  it("succeeds, with no default host baked in", async () => {
    const dir = await mkdtemp(join(tmpdir(), "datafold-ci-preset-"));
    dirs.push(dir);
    await writeFile(join(dir, "entry.ts"), "export const host = __DEFAULT_BASE_URL__;\n");
    await build({
      entry: [join(dir, "entry.ts")],
      outDir: join(dir, "dist"),
      format: ["esm"],
      define: packageDefines(packageDir),
      silent: true,
      config: false,
    });
    const built = (await import(pathToFileURL(join(dir, "dist/entry.js")).href)) as { host: unknown };
    expect(built.host).toBeUndefined();
  });
});
