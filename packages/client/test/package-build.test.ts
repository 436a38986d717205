import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { json, scriptedFetch } from "./helpers/fake-fetch.js";
import { details } from "./helpers/client.js";
import { thrownBy } from "./helpers/secrets.js";

// The built package, as users load it (`turbo run test` builds first).
const dist = new URL("../dist/", import.meta.url);
const esm = (await import(new URL("index.js", dist).href)) as typeof import("../src/index.js");
const cjs = createRequire(import.meta.url)("../dist/index.cjs") as typeof import("../src/index.js");
type WaitModule = typeof import("../src/wait-for-ci-run.js");
type FieldsModule = typeof import("../src/undeclared-fields.js");
// The subpaths `@datafold-ci/client/wait` and `…/undeclared-fields`, both builds of each.
const waitEsm = (await import(new URL("wait.js", dist).href)) as WaitModule;
const waitCjs = createRequire(import.meta.url)("../dist/wait.cjs") as WaitModule;
const fieldsEsm = (await import(new URL("undeclared-fields.js", dist).href)) as FieldsModule;
const fieldsCjs = createRequire(import.meta.url)("../dist/undeclared-fields.cjs") as FieldsModule;

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

  it("give each subpath the same names in both, and none of them in the main entry", () => {
    expect(Object.keys(waitCjs).sort()).toEqual(Object.keys(waitEsm).sort());
    expect(Object.keys(waitEsm)).toContain("waitForCiRun");
    expect(Object.keys(fieldsCjs).sort()).toEqual(Object.keys(fieldsEsm).sort());
    expect(Object.keys(fieldsEsm)).toContain("undeclaredFields");
    expect(Object.keys(esm).filter((name) => name in waitEsm || name in fieldsEsm)).toEqual([]);
  });

  it("let undeclaredFields of either build name a misspelt field", () => {
    for (const build of [fieldsEsm, fieldsCjs]) {
      const typo = { ...details, pr_shaa: details.pr_sha };
      expect(build.undeclaredFields("triggerPrRun", [7, typo])).toEqual([
        expect.objectContaining({
          field: "details.pr_shaa",
          message: expect.stringContaining("did you mean pr_sha?"),
        }),
      ]);
    }
  });

  it("let waitForCiRun of either build tell the main builds' errors apart: a 503 is polled again, a 401 ends the wait", async () => {
    const run = { id: 5, status: "done" };
    for (const wait of [waitEsm, waitCjs]) {
      for (const errors of [esm, cjs]) {
        const failures: unknown[] = [new errors.DatafoldServerError("busy", { status: 503 })];
        const client = {
          listCiRuns: async () => {
            const failure = failures.shift();
            if (failure) throw failure;
            return [run] as never;
          },
        };
        const retried: unknown[] = [];
        const outcome = await wait.waitForCiRun(client, {
          ciConfigId: 7,
          ciRunId: 5,
          prSha: details.pr_sha,
          runtime: { now: () => 0, random: () => 0, sleep: async () => {} },
          onPollFailure: ({ error }) => retried.push(error),
        });
        expect(outcome.kind).toBe("done");
        expect(retried).toHaveLength(1);

        const refused = new errors.DatafoldAuthError("no", { status: 401 });
        const refusing = { listCiRuns: () => Promise.reject(refused) };
        await expect(wait.waitForCiRun(refusing, { ciConfigId: 7, ciRunId: 5, prSha: "a" })).rejects.toBe(
          refused,
        );
      }
    }
  });

  it("import nothing from node: and bundle the private api-description package", () => {
    // The ES module entries share their code through chunks: every file is checked.
    const files = readdirSync(dist).filter((file) => /\.c?js$/.test(file));
    const entries = ["index", "wait", "undeclared-fields"].flatMap((entry) => [
      `${entry}.js`,
      `${entry}.cjs`,
    ]);
    expect(files).toEqual(expect.arrayContaining(entries));
    for (const file of files) {
      const code = readFileSync(new URL(file, dist), "utf8");
      expect(code).not.toMatch(/["']node:/);
      expect(code).not.toMatch(/@datafold-ci\/api-description/);
    }
    // Nor do the declarations name it: an installed package has no such dependency to resolve.
    for (const file of readdirSync(dist).filter((name) => /\.d\.c?ts$/.test(name)))
      expect(readFileSync(new URL(file, dist), "utf8"), file).not.toMatch(/@datafold-ci\/api-description/);
  });
});
