import { type ApiDescription, datafoldApi, type JsonSchema } from "@datafold-ci/api-description";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkArgumentsWith } from "../src/check-arguments.js";
import { checkInput, DatafoldInputError } from "../src/index.js";

const checkTriggerInput = (ciConfigId: unknown, details: unknown) =>
  checkInput("triggerPrRun", ciConfigId, details);
import { details, testClient } from "./helpers/client.js";
import { compileValidators } from "./helpers/compile-validators.js";
import { scriptedFetch } from "./helpers/fake-fetch.js";
import { rejectionOf } from "./helpers/secrets.js";

/** The trigger's check as `pnpm generate` would compile it from an edited API description. */
async function createTriggerInputCheck(api: ApiDescription) {
  const { validators, sentences } = await compileValidators(api);
  return (ciConfigId: unknown, body: unknown) =>
    checkArgumentsWith(validators.triggerPrRun!, sentences, "triggerPrRun", [ciConfigId, body]).map(
      ({ field, message }) => ({ field: field.replace(/^details\./, ""), message }),
    );
}

const fields = (issues: { field: string }[]) => issues.map((issue) => issue.field);

describe("checkTriggerInput", () => {
  it("accepts a complete PR", () => {
    expect(checkTriggerInput(7, details)).toEqual([]);
  });

  it.each([0, -3, 1.5, Number.NaN, 2 ** 53, "7", null, undefined])("refuses CI config id %j", (id) => {
    const issues = checkTriggerInput(id, details);
    expect(fields(issues)).toEqual(["ci_config_id"]);
  });

  it("names a missing field, a mistyped one, a non-positive pr_number and blank strings", () => {
    const { pr_sha: _, ...withoutPrSha } = details;
    expect(checkTriggerInput(7, withoutPrSha)).toEqual([
      { field: "details.pr_sha", message: "Field required" },
    ]);
    expect(checkTriggerInput(7, { ...details, pr_number: "42" })).toEqual([
      { field: "details.pr_number", message: 'Input should be a valid integer (got "42")' },
    ]);
    expect(checkTriggerInput(7, { ...details, pr_number: 0 })).toEqual([
      { field: "details.pr_number", message: "Input should be a whole number of 1 or more (got 0)" },
    ]);
    expect(checkTriggerInput(7, { ...details, base_branch: "", pr_branch: " \t" })).toEqual([
      { field: "details.pr_branch", message: 'String should not be empty or only whitespace (got " \\t")' },
      { field: "details.base_branch", message: 'String should not be empty or only whitespace (got "")' },
    ]);
  });

  it("lists every bad field, path first, then the body in the spec's order", () => {
    const issues = checkTriggerInput(-1, { pr_number: 1.5, base_sha: 5, pr_branch: "" });
    expect(fields(issues)).toEqual([
      "ci_config_id",
      "details.pr_number",
      "details.pr_branch",
      "details.base_branch",
      "details.pr_sha",
      "details.base_sha",
    ]);
  });

  it.each([null, [], "details", 42])(
    "names the whole body `details` when it is not an object (%j)",
    (value) => {
      expect(fields(checkTriggerInput(7, value))).toEqual(["details"]);
    },
  );

  it("does not choke on values it cannot print as JSON", () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(checkTriggerInput(7, { ...details, pr_sha: circular, pr_number: 10n })).toEqual([
      { field: "details.pr_number", message: "Input should be a valid integer (got 10)" },
      { field: "details.pr_sha", message: "Input should be a valid string (got [object Object])" },
    ]);
  });
});

describe("triggerPrRun input", () => {
  it("fails before any request, with a message naming every bad field", async () => {
    const fetch = scriptedFetch(new Error("must not be called"));
    const error = await rejectionOf(
      testClient({ fetch }).triggerPrRun(0, { ...details, pr_number: -2, pr_sha: " " }),
    );
    expect(error).toBeInstanceOf(DatafoldInputError);
    expect(error.message).toBe(
      "Invalid triggerPrRun input: ci_config_id: Input should be a whole number of 1 or more (got 0); " +
        "details.pr_number: Input should be a whole number of 1 or more (got -2); " +
        'details.pr_sha: String should not be empty or only whitespace (got " ")',
    );
    expect(error.stack).toBeDefined();
    expect(fetch.seen).toHaveLength(0);
  });

  it("refuses bad per-call timeoutMs and maxRetries before any request", async () => {
    const fetch = scriptedFetch(new Error("must not be called"));
    const error = await rejectionOf(
      testClient({ fetch }).triggerPrRun(7, details, { timeoutMs: -1, maxRetries: 0.5 }),
    );
    expect((error as DatafoldInputError).issues.map((issue) => issue.field)).toEqual([
      "timeoutMs",
      "maxRetries",
    ]);
    expect(fetch.seen).toHaveLength(0);
  });
});

describe("validation is derived from the spec", () => {
  // What `pnpm generate` would emit after a spec change, applied to a copy of the description.
  function withBodySchema(change: (schema: JsonSchema) => JsonSchema): ApiDescription {
    return {
      ...datafoldApi,
      schemas: { ...datafoldApi.schemas, APIPrDetails: change(datafoldApi.schemas.APIPrDetails!) },
    };
  }

  it("requires a field the spec adds, and applies the non-blank and identifier rules to it", async () => {
    const check = await createTriggerInputCheck(
      withBodySchema((schema) => ({
        ...schema,
        properties: {
          ...schema.properties,
          repository: { type: "string" },
          installation_id: { type: "integer" },
        },
        required: [...(schema.required ?? []), "repository", "installation_id"],
      })),
    );
    expect(fields(check(7, details))).toEqual(["repository", "installation_id"]);
    expect(check(7, { ...details, repository: " ", installation_id: 0 })).toEqual([
      { field: "repository", message: 'String should not be empty or only whitespace (got " ")' },
      { field: "installation_id", message: "Input should be a whole number of 1 or more (got 0)" },
    ]);
    expect(check(7, { ...details, repository: "org/repo", installation_id: 3 })).toEqual([]);
  });

  it("stops requiring a field the spec makes optional, and checks a type the spec changes", async () => {
    const check = await createTriggerInputCheck(
      withBodySchema((schema) => ({
        ...schema,
        properties: { ...schema.properties, pr_number: { type: "string" } },
        required: (schema.required ?? []).filter((name) => name !== "base_sha"),
      })),
    );
    const { base_sha: _, ...withoutBaseSha } = details;
    expect(check(7, { ...withoutBaseSha, pr_number: "42" })).toEqual([]);
    expect(fields(check(7, details))).toEqual(["pr_number"]);
  });

  it("fails loudly for a method the spec does not have", () => {
    expect(() => checkInput("noSuchMethod" as "triggerPrRun", 7)).toThrow(/No client method "noSuchMethod"/);
  });
});

describe("properties", () => {
  const name = fc.string({ minLength: 1 }).filter((s) => s.trim() !== "");
  // The five fields the tests vary, over a body the spec makes whole (a field Datafold adds is filled).
  const validDetails = fc
    .record({
      pr_number: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      pr_branch: name,
      base_branch: name,
      pr_sha: name,
      base_sha: name,
    })
    .map((varied) => ({ ...details, ...varied }));
  const validId = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
  const keys = ["pr_number", "pr_branch", "base_branch", "pr_sha", "base_sha"] as const;
  const notAPositiveSafeInteger = fc.oneof(
    fc.integer({ max: 0 }),
    fc.double().filter((n) => !(Number.isSafeInteger(n) && n > 0)),
    fc.string(),
    fc.constantFrom(null, true, 2 ** 53, Number.NaN),
  );
  const notANonBlankString = fc.oneof(
    fc.stringMatching(/^\s*$/),
    fc.integer(),
    fc.constantFrom(null, false, [], {}),
  );

  it("accepts every complete PR with positive ids and non-blank strings", () => {
    fc.assert(fc.property(validId, validDetails, (id, pr) => checkTriggerInput(id, pr).length === 0));
  });

  it("reports exactly the one field that is bad", () => {
    fc.assert(
      fc.property(
        validId,
        validDetails,
        fc.constantFrom(...keys),
        notAPositiveSafeInteger,
        notANonBlankString,
        (id, pr, key, badNumber, badString) => {
          const bad = { ...pr, [key]: key === "pr_number" ? badNumber : badString };
          expect(fields(checkTriggerInput(id, bad))).toEqual([`details.${key}`]);
        },
      ),
    );
  });

  it("reports a missing field by its name", () => {
    fc.assert(
      fc.property(validDetails, fc.subarray([...keys], { minLength: 1 }), (pr, dropped) => {
        const partial = Object.fromEntries(
          Object.entries(pr).filter(([key]) => !dropped.includes(key as never)),
        );
        expect(fields(checkTriggerInput(1, partial)).sort()).toEqual(
          dropped.map((key) => `details.${key}`).sort(),
        );
      }),
    );
  });

  it("never throws, whatever it is given, and only names known fields", () => {
    const known = new Set(["ci_config_id", "details", ...keys.map((key) => `details.${key}`)]);
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (id, value) => {
        for (const issue of checkTriggerInput(id, value)) expect(known.has(issue.field)).toBe(true);
      }),
    );
  });

  it("never sends a request for invalid input", async () => {
    await fc.assert(
      fc.asyncProperty(notAPositiveSafeInteger, validDetails, async (id, pr) => {
        const fetch = scriptedFetch(new Error("must not be called"));
        await expect(
          rejectionOf(testClient({ fetch }).triggerPrRun(id as number, pr)),
        ).resolves.toBeInstanceOf(DatafoldInputError);
        expect(fetch.seen).toHaveLength(0);
      }),
      { numRuns: 50 },
    );
  });
});
