import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runScript } from "./testing/run-script.js";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const SPEC = "spec/datafold-api.yaml";
const TRIGGER_PATH = "/api/v1/ci/{ci_config_id}/trigger";
const RUNS_PATH = "/api/v1/ci/{ci_config_id}/runs";
const UPLOAD_PATH = "/api/v1/ci/{ci_config_id}/{pr_num}";
const OVERRIDES = "spec/overrides/datafold-api.yaml";

// biome-ignore lint/suspicious/noExplicitAny: the tests build upstream documents freely.
type Doc = Record<string, any>;

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "datafold-ci-spec-sync-"));
  await cp(join(repoRoot, "spec"), join(root, "spec"), { recursive: true });
});
afterEach(() => rm(root, { recursive: true, force: true }));

/** Datafold's published document as the workflow downloads it: our operations among many others, as JSON. */
async function upstream(edit: (doc: Doc) => void = () => {}): Promise<string> {
  const doc = parse(await readFile(join(repoRoot, SPEC), "utf8")) as Doc;
  doc.paths["/api/v1/ci/{ci_config_id}/status"] = {
    get: {
      tags: ["CI"],
      operationId: "ci_status_api_v1_ci__ci_config_id__status_get",
      responses: {
        "200": {
          description: "Successful Response",
          content: { "application/json": { schema: { $ref: "#/components/schemas/CiStatus" } } },
        },
      },
    },
  };
  doc.paths["/api/v1/monitors"] = {
    get: { tags: ["Monitors"], operationId: "list_monitors", responses: { "200": { description: "OK" } } },
  };
  doc.components.schemas.CiStatus = { type: "object", properties: { id: { type: "integer" } } };
  edit(doc);
  const file = join(root, "openapi-public.json");
  await writeFile(file, JSON.stringify(doc));
  return file;
}

function specSync(...args: string[]) {
  return runScript("spec-sync.ts", ["--root", root, ...args]);
}

/** `pnpm generate --check`-free dry run: renders spec/ of the copy, which fails on an override matching nothing. */
async function generate() {
  const { renderAll } = await import("./codegen/render-all.js");
  return renderAll(root).then(
    () => ({ code: 0, message: "" }),
    (error: unknown) => ({ code: 2, message: String(error) }),
  );
}

describe("pnpm spec:sync", () => {
  it("keeps only the operations we ship: an unchanged upstream reproduces spec/ byte for byte", async () => {
    const result = await specSync("--input", await upstream());
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(await readFile(join(root, SPEC), "utf8")).toBe(await readFile(join(repoRoot, SPEC), "utf8"));
  });

  it("brings upstream edits to our operations and the schemas they reach, and nothing else", async () => {
    const input = await upstream((doc) => {
      doc.components.schemas.APIPrDetails.properties.pr_title = { type: "string", title: "Pr Title" };
      doc.tags = [{ name: "CI" }, { name: "Monitors" }];
    });
    await specSync("--input", input);
    const synced = parse(await readFile(join(root, SPEC), "utf8")) as Doc;
    expect(Object.keys(synced.paths)).toEqual([RUNS_PATH, TRIGGER_PATH, UPLOAD_PATH]);
    expect(Object.keys(synced.components.schemas)).toEqual([
      "APIPrDetails",
      "ApiCiRun",
      "CiDiff",
      "HTTPValidationError",
      "SubmitCiJob",
      "ValidationError",
    ]);
    expect(synced.components.schemas.APIPrDetails.properties.pr_title).toEqual({
      type: "string",
      title: "Pr Title",
    });
    expect(synced.tags.map((tag: { name: string }) => tag.name)).toEqual(["CI"]);
  });

  it("follows an operation whose path moved upstream by its operationId", async () => {
    const input = await upstream((doc) => {
      doc.paths["/api/v2/ci/{ci_config_id}/trigger"] = doc.paths[TRIGGER_PATH];
      delete doc.paths[TRIGGER_PATH];
    });
    await specSync("--input", input);
    const synced = parse(await readFile(join(root, SPEC), "utf8")) as Doc;
    expect(Object.keys(synced.paths)).toEqual([RUNS_PATH, UPLOAD_PATH, "/api/v2/ci/{ci_config_id}/trigger"]);
    // Its override entry follows it, so `pnpm generate` still names it triggerPrRun.
    const overrides = parse(await readFile(join(root, OVERRIDES), "utf8")) as Doc;
    expect(overrides[`POST ${TRIGGER_PATH}`]).toBeUndefined();
    expect(overrides["POST /api/v2/ci/{ci_config_id}/trigger"]).toMatchObject({ method: "triggerPrRun" });
    expect(await generate()).toMatchObject({ code: 0 });
  });

  it("warns about, and drops, a shipped operation upstream no longer has", async () => {
    const input = await upstream((doc) => {
      delete doc.paths[TRIGGER_PATH];
    });
    const result = await specSync("--input", input);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `spec:sync: warning: POST ${TRIGGER_PATH} (trigger_ci_api_v1_ci__ci_config_id__trigger_post) is no longer in`,
    );
    expect(Object.keys((parse(await readFile(join(root, SPEC), "utf8")) as Doc).paths)).toEqual([
      RUNS_PATH,
      UPLOAD_PATH,
    ]);
    // And its override entry with it, comments kept: generate refuses entries that match no operation.
    const overrides = await readFile(join(root, OVERRIDES), "utf8");
    expect(overrides).not.toContain(`POST ${TRIGGER_PATH}:`);
    expect(overrides).toContain("GET /api/v1/ci/{ci_config_id}/runs:\n  method: listCiRuns");
    expect(overrides).toMatch(/^# How the packages present/);
    expect(await generate()).toMatchObject({ code: 0 });
  });

  it("refuses a download that is not an OpenAPI document, leaving spec/ alone", async () => {
    const input = join(root, "openapi-public.json");
    await writeFile(input, "<html>Not found</html>");
    const result = await specSync("--input", input);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `spec:sync: ${input} is not an OpenAPI document (no "openapi" version or no "paths").\n`,
    );
    expect(await readFile(join(root, SPEC), "utf8")).toBe(await readFile(join(repoRoot, SPEC), "utf8"));
  });
});
