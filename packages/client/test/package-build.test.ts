import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { json, scriptedFetch } from "./helpers/fake-fetch.js";
import { details } from "./helpers/client.js";
import { thrownBy } from "./helpers/secrets.js";

// The built package, as users load it (`turbo run test` builds first).
const dist = new URL("../dist/", import.meta.url);
const esm = (await import(new URL("index.js", dist).href)) as typeof import("../src/index.js");
const cjs = createRequire(import.meta.url)("../dist/index.cjs") as typeof import("../src/index.js");

describe("the ESM and CJS builds", () => {
  it("export the same names", () => {
    expect(Object.keys(cjs).sort()).toEqual(Object.keys(esm).sort());
  });

  it("work, and send the User-Agent with the version baked in", async () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    for (const build of [esm, cjs]) {
      const fetch = scriptedFetch(json(200, { ci_run_id: 4, run_id: 4 }));
      const datafold = build.createDatafoldClient({ apiKey: "build-test-key", env: {}, fetch });
      await expect(datafold.triggerPrRun(7, details)).resolves.toEqual({ ci_run_id: 4, run_id: 4 });
      expect(fetch.seen[0]!.headers.get("user-agent")).toBe(`@datafold-ci/client/${pkg.version}`);
    }
  });

  it("recognise each other's errors with instanceof, though their classes differ (the dual-package hazard)", () => {
    expect(cjs.DatafoldInputError).not.toBe(esm.DatafoldInputError);
    const fromCjs = thrownBy(() => cjs.createDatafoldClient({ env: {} }));
    const fromEsm = thrownBy(() => esm.createDatafoldClient({ env: {} }));
    expect(fromCjs).toBeInstanceOf(esm.DatafoldInputError);
    expect(fromCjs).toBeInstanceOf(esm.DatafoldError);
    expect(fromEsm).toBeInstanceOf(cjs.DatafoldInputError);
    expect(fromCjs).not.toBeInstanceOf(esm.DatafoldApiError);
  });

  it("import nothing from node: and bundle the private api-description package", () => {
    for (const file of ["index.js", "index.cjs"]) {
      const code = readFileSync(new URL(file, dist), "utf8");
      expect(code).not.toMatch(/["']node:/);
      expect(code).not.toMatch(/@datafold-ci\/api-description/);
    }
  });
});
