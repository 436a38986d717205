import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { DocumentValidators, JsonSchema } from "@datafold-ci/api-description";
import { describe, expect, it } from "vitest";
import { describe as describeDocument } from "../../../scripts/codegen/emit-operations.js";
import { emitValidators, reachableSchemas } from "../../../scripts/codegen/emit-validators.js";
import { assertKeywordsSupported } from "../../../scripts/codegen/schema-keywords.js";
import { parseSpecDocument } from "../../../scripts/codegen/spec-documents.js";
import { EMULATED_FORMATS, EMULATED_KEYWORDS } from "../src/emulated-keywords.js";
import { synthesizeValue } from "../src/synthesize-value.js";
import { validate } from "../src/validate.js";

// Datafold's whole public document (see fixtures/README.md), described as `pnpm generate` describes spec/.
const spec = parseSpecDocument(
  "datafold-openapi-public.json",
  await readFile(new URL("fixtures/datafold-openapi-public.json", import.meta.url)),
);
const api = describeDocument(spec, {
  file: "spec/overrides/datafold-openapi-public.yaml",
  operations: new Map(),
});
const schemas = api.schemas;
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const issuesOf = (schema: JsonSchema, value: unknown) =>
  validate(schema, value, ["body"], { mode: "lax", fromAttributes: true, schemas }).issues;

/** The client's validators for the whole document, compiled and loaded as `pnpm generate` would write them. */
async function compiledValidators(): Promise<DocumentValidators> {
  const runtime = new URL("../../api-description/src/", import.meta.url);
  const { js } = emitValidators(spec, api);
  const code = js.replace(
    /from "\.\.\/([\w-]+)\.js"/g,
    (_, name: string) => `from ${JSON.stringify(new URL(`${name}.ts`, runtime).href)}`,
  );
  const file = join(await mkdtemp(join(tmpdir(), "whole-document-")), "validators.mjs");
  await writeFile(file, code);
  return ((await import(pathToFileURL(file).href)) as { datafoldOpenapiPublicValidators: DocumentValidators })
    .datafoldOpenapiPublicValidators;
}

describe("Datafold's whole public document", () => {
  it("uses no assertion keyword or format the kit's emulator does not follow", () => {
    expect(api.operations).toHaveLength(52);
    expect(() =>
      assertKeywordsSupported(
        spec.relativePath,
        reachableSchemas(api).all,
        EMULATED_KEYWORDS,
        "the kit",
        EMULATED_FORMATS,
      ),
    ).not.toThrow();
  });

  it(
    "answers every operation with a value its schema accepts, for the emulator and for the client's validators",
    { timeout: 120_000 },
    async () => {
      const validators = await compiledValidators();
      let checked = 0;
      for (const operation of api.operations)
        for (const [status, response] of Object.entries(operation.responses)) {
          if (!/^2\d\d$/.test(status) || response.schema === undefined) continue;
          const value = synthesizeValue(response.schema, schemas);
          const where = `${operation.method} ${operation.path} ${status}`;
          expect(issuesOf(response.schema, value), where).toEqual([]);
          const check = validators[operation.clientMethod.name]!.responses[status]!;
          expect(check(value) ? [] : check.errors, where).toEqual([]);
          checked++;
        }
      expect(checked).toBeGreaterThan(40);
    },
  );

  it("synthesizes a discriminated member with its tag, a tuple of its length, dates and bounded numbers", () => {
    const diff = synthesizeValue(ref("ApiDataDiffData"), schemas) as Record<string, unknown>;
    expect(diff.file1_options).toMatchObject({ file_type: "csv" });
    const pks = synthesizeValue(ref("ApiDataDiffSummaryPKs"), schemas) as Record<string, unknown>;
    expect(pks.distincts).toEqual([1, 2]);
    const run = synthesizeValue(ref("ApiPublicMonitorRunResultOut"), schemas) as Record<string, unknown>;
    expect(run.started_at).toBe("2024-01-01T00:00:00Z");
    expect(typeof run.state).toBe("string");
  });
});

describe("the emulator, on the whole document's keywords (pydantic v2's types and words)", () => {
  const options = ref("ApiDataDiffData");
  const base = synthesizeValue(options, schemas) as Record<string, unknown>;

  it("a discriminated union: a missing tag, an unknown tag, and the chosen member's issues under its tag", () => {
    const at = (value: unknown) => issuesOf(options, { ...base, file1_options: value });
    expect(at({ delimiter: "," })).toMatchObject([
      {
        type: "union_tag_not_found",
        loc: ["body", "file1_options"],
        msg: "Unable to extract tag using discriminator 'file_type'",
        ctx: { discriminator: "'file_type'" },
      },
    ]);
    expect(at({ file_type: "xlsx" })).toMatchObject([
      {
        type: "union_tag_invalid",
        msg: "Input tag 'xlsx' found using 'file_type' does not match any of the expected tags: 'csv', 'excel', 'parquet'",
        ctx: { tag: "xlsx", expected_tags: "'csv', 'excel', 'parquet'" },
      },
    ]);
    expect(at({ file_type: "csv", skip_head_rows: "many" })).toMatchObject([
      { type: "int_parsing", loc: ["body", "file1_options", "csv", "skip_head_rows"] },
    ]);
    expect(at(null)).toEqual([]);
  });

  it("a tuple: missing positions, extra items, each position's type", () => {
    const pks = ref("ApiDataDiffSummaryPKs");
    const value = synthesizeValue(pks, schemas) as Record<string, unknown>;
    expect(issuesOf(pks, { ...value, dupes: [1] })).toMatchObject([
      { type: "missing", loc: ["body", "dupes", 1], msg: "Field required" },
    ]);
    expect(issuesOf(pks, { ...value, dupes: [1, 2, 3] })).toMatchObject([
      { type: "too_long", msg: "Tuple should have at most 2 items after validation, not 3" },
    ]);
    expect(issuesOf(pks, { ...value, dupes: [1, "x"] })).toMatchObject([
      { type: "int_parsing", loc: ["body", "dupes", 1] },
    ]);
    expect(issuesOf(pks, { ...value, dupes: "1,2" })).toMatchObject([{ type: "tuple_type" }]);
  });

  it("a set (uniqueItems): duplicates are removed, not refused", () => {
    const result = validate(ref("CiDiff"), { prod: "a", pr: "b", pk: ["id", "id", "ts"] }, ["body"], {
      mode: "lax",
      schemas,
    });
    expect(result.issues).toEqual([]);
    expect(result.value).toMatchObject({ pk: ["id", "ts"] });
    expect(issuesOf(ref("CiDiff"), { prod: "a", pr: "b", pk: "id" })).toMatchObject([{ type: "set_type" }]);
  });

  it("formats: datetime, time and URL as pydantic parses them", () => {
    const datetime: JsonSchema = { type: "string", format: "date-time" };
    expect(issuesOf(datetime, "2024-05-01T12:30:00Z")).toEqual([]);
    expect(issuesOf(datetime, "2024-05-01")).toEqual([]);
    expect(issuesOf(datetime, 1_700_000_000)).toEqual([]);
    expect(issuesOf(datetime, "yesterday")).toMatchObject([
      {
        type: "datetime_from_date_parsing",
        msg: "Input should be a valid datetime or date, input is too short",
      },
    ]);
    expect(issuesOf(datetime, "2024-05-01T25:00:00")).toMatchObject([
      {
        type: "datetime_from_date_parsing",
        msg: "Input should be a valid datetime or date, unexpected extra characters at the end of the input",
      },
    ]);
    expect(issuesOf(datetime, true)).toMatchObject([{ type: "datetime_type" }]);
    expect(issuesOf({ type: "string", format: "time" }, "25:00")).toMatchObject([
      {
        type: "time_parsing",
        msg: "Input should be in a valid time format, hour value is outside expected range of 0-23",
      },
    ]);
    expect(issuesOf({ type: "string", format: "uri" }, "reports/today")).toMatchObject([
      { type: "url_parsing", msg: "Input should be a valid URL, relative URL without a base" },
    ]);
  });

  it("bounds, lengths and a pattern, with pydantic's wording", () => {
    expect(issuesOf({ type: "integer", exclusiveMaximum: 100 }, 100)).toMatchObject([
      { type: "less_than", msg: "Input should be less than 100", ctx: { lt: 100 } },
    ]);
    expect(issuesOf({ type: "string", maxLength: 3 }, "abcd")).toMatchObject([
      { type: "string_too_long", msg: "String should have at most 3 characters", ctx: { max_length: 3 } },
    ]);
    expect(issuesOf({ type: "array", items: { type: "string" }, minItems: 1 }, [])).toMatchObject([
      { type: "too_short", msg: "List should have at least 1 item after validation, not 0" },
    ]);
    expect(issuesOf({ type: "integer", multipleOf: 5 }, 7)).toMatchObject([
      { type: "multiple_of", msg: "Input should be a multiple of 5" },
    ]);
    const decimal = schemas.OrgSpend!.properties!.daily_cap_usd!.anyOf![1]!;
    expect(issuesOf(decimal, "12.50")).toEqual([]);
    expect(issuesOf(decimal, "12,50")).toMatchObject([{ type: "string_pattern_mismatch" }]);
  });
});
