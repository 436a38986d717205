import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { datafoldApi, type JsonSchema } from "@datafold-ci/api-description";
import { type ValidateOptions, validate } from "../src/validate.js";

const schemas = datafoldApi.schemas;
const lax: ValidateOptions = { mode: "lax", schemas };
const strict: ValidateOptions = { mode: "strict", schemas };
const details: JsonSchema = { $ref: "#/components/schemas/APIPrDetails" };
const int: JsonSchema = { type: "integer" };
const valid = { pr_number: 7, pr_branch: "feature", base_branch: "main", pr_sha: "a1", base_sha: "b2" };

const issuesOf = (schema: JsonSchema, value: unknown, options: ValidateOptions = lax) =>
  validate(schema, value, ["body"], options).issues.map(({ type, loc }) => [type, loc]);

describe("validate, against the trigger's request body", () => {
  it("accepts a valid body and returns it", () => {
    expect(validate(details, valid, ["body"], lax)).toEqual({ value: valid, issues: [] });
  });

  it("reports every missing field with the whole object as input", () => {
    const { issues } = validate(details, { pr_number: 1 }, ["body"], lax);
    expect(issues).toEqual(
      ["pr_branch", "base_branch", "pr_sha", "base_sha"].map((name) => ({
        type: "missing",
        loc: ["body", name],
        msg: "Field required",
        input: { pr_number: 1 },
      })),
    );
  });

  it("lists fields in declaration order (the spec's `required`), not alphabetically", () => {
    expect(issuesOf(details, {}).map(([, loc]) => (loc as string[])[1])).toEqual([
      "pr_number",
      "pr_branch",
      "base_branch",
      "pr_sha",
      "base_sha",
    ]);
  });

  it("ignores a property inherited from Object.prototype when looking for a field", () => {
    const schema: JsonSchema = {
      type: "object",
      properties: Object.fromEntries([["constructor", { type: "string" } as const]]),
      required: ["constructor"],
    };
    expect(issuesOf(schema, {})).toEqual([["missing", ["body", "constructor"]]]);
  });

  it("reports a non-object as model_type, naming the model", () => {
    expect(validate(details, [], ["body"], lax).issues).toEqual([
      {
        type: "model_type",
        loc: ["body"],
        msg: "Input should be a valid dictionary or instance of APIPrDetails",
        input: [],
        ctx: { class_name: "APIPrDetails" },
      },
    ]);
  });

  it("reports a non-object as model_attributes_type under fromAttributes, as FastAPI validates bodies", () => {
    expect(validate(details, "text", ["body"], { ...lax, fromAttributes: true }).issues).toEqual([
      {
        type: "model_attributes_type",
        loc: ["body"],
        msg: "Input should be a valid dictionary or object to extract fields from",
        input: "text",
      },
    ]);
  });

  it("reports a non-object where a plain dict is expected as dict_type", () => {
    expect(issuesOf({ type: "object" }, 1)).toEqual([["dict_type", ["body"]]]);
  });

  it("ignores unknown fields, and forbids them only under additionalProperties: false", () => {
    expect(issuesOf(details, { ...valid, extra: 1 })).toEqual([]);
    const closed: JsonSchema = { type: "object", properties: {}, additionalProperties: false };
    expect(issuesOf(closed, { extra: 1 })).toEqual([["extra_forbidden", ["body", "extra"]]]);
  });
});

describe("validate, integers", () => {
  it.each<[unknown, number]>([
    ["12", 12],
    [" 12 ", 12],
    ["+12", 12],
    ["-3", -3],
    ["007", 7],
    ["12.0", 12],
    ["12.", 12],
    [12.0, 12],
    [true, 1],
    [false, 0],
  ])("reads %j as %i in lax mode", (input, expected) => {
    expect(validate(int, input, ["path", "id"], lax)).toEqual({ value: expected, issues: [] });
  });

  it.each<[unknown, string, string]>([
    ["abc", "int_parsing", "Input should be a valid integer, unable to parse string as an integer"],
    ["12.5", "int_parsing", "Input should be a valid integer, unable to parse string as an integer"],
    ["1e3", "int_parsing", "Input should be a valid integer, unable to parse string as an integer"],
    ["", "int_parsing", "Input should be a valid integer, unable to parse string as an integer"],
    [12.5, "int_from_float", "Input should be a valid integer, got a number with a fractional part"],
    [Infinity, "finite_number", "Input should be a finite number"],
    [Number.NaN, "finite_number", "Input should be a finite number"],
    [null, "int_type", "Input should be a valid integer"],
    [[1], "int_type", "Input should be a valid integer"],
    [{}, "int_type", "Input should be a valid integer"],
  ])("rejects %j as %s", (input, type, msg) => {
    expect(validate(int, input, ["path", "id"], lax).issues).toEqual([
      { type, loc: ["path", "id"], msg, input },
    ]);
  });

  it("accepts only JSON integers in strict mode", () => {
    expect(issuesOf(int, "12", strict)).toEqual([["int_type", ["body"]]]);
    expect(issuesOf(int, true, strict)).toEqual([["int_type", ["body"]]]);
    expect(issuesOf(int, 12, strict)).toEqual([]);
  });

  it("applies bounds with pydantic's wording and ctx", () => {
    expect(validate({ type: "integer", exclusiveMinimum: 0 }, 0, ["q"], lax).issues).toEqual([
      { type: "greater_than", loc: ["q"], msg: "Input should be greater than 0", input: 0, ctx: { gt: 0 } },
    ]);
    expect(validate({ type: "integer", maximum: 10 }, "11", ["q"], lax).issues).toEqual([
      {
        type: "less_than_equal",
        loc: ["q"],
        msg: "Input should be less than or equal to 10",
        input: "11",
        ctx: { le: 10 },
      },
    ]);
  });
});

describe("validate, other scalars", () => {
  it.each<[unknown, unknown]>([
    ["1.5", 1.5],
    [".5", 0.5],
    ["1e3", 1000],
    ["inf", Infinity],
    ["-Infinity", -Infinity],
    [2, 2],
    [true, 1],
  ])("reads %j as the number %d in lax mode", (input, expected) => {
    expect(validate({ type: "number" }, input, ["q"], lax)).toEqual({ value: expected, issues: [] });
  });

  it("rejects a number string it cannot parse as float_parsing", () => {
    expect(issuesOf({ type: "number" }, "1,5")).toEqual([["float_parsing", ["body"]]]);
  });

  it("never turns a number into a string", () => {
    expect(validate({ type: "string" }, 123, ["body", "pr_sha"], lax).issues).toEqual([
      { type: "string_type", loc: ["body", "pr_sha"], msg: "Input should be a valid string", input: 123 },
    ]);
  });

  it.each<[unknown, boolean]>([
    ["true", true],
    ["YES", true],
    ["on", true],
    ["1", true],
    [1, true],
    ["f", false],
    ["Off", false],
    [0, false],
  ])("reads %j as the boolean %s in lax mode", (input, expected) => {
    expect(validate({ type: "boolean" }, input, ["q"], lax)).toEqual({ value: expected, issues: [] });
  });

  it.each<[unknown, string]>([
    [" true", "bool_parsing"],
    ["maybe", "bool_parsing"],
    [2, "bool_parsing"],
    [0.5, "bool_type"],
    [null, "bool_type"],
  ])("rejects %j as %s", (input, type) => {
    expect(issuesOf({ type: "boolean" }, input)).toEqual([[type, ["body"]]]);
  });

  it("counts string length in code points, as Python does", () => {
    expect(issuesOf({ type: "string", maxLength: 2 }, "😀😀")).toEqual([]);
    expect(validate({ type: "string", minLength: 3 }, "ab", ["q"], lax).issues).toEqual([
      {
        type: "string_too_short",
        loc: ["q"],
        msg: "String should have at least 3 characters",
        input: "ab",
        ctx: { min_length: 3 },
      },
    ]);
  });

  it("checks patterns", () => {
    expect(issuesOf({ type: "string", pattern: "^[0-9a-f]+$" }, "xyz")).toEqual([
      ["string_pattern_mismatch", ["body"]],
    ]);
  });
});

describe("validate, choices and unions", () => {
  it("reports an inline enum as literal_error with Python reprs", () => {
    expect(validate({ enum: ["a", true, null] }, "b", ["q"], lax).issues).toEqual([
      {
        type: "literal_error",
        loc: ["q"],
        msg: "Input should be 'a', True or None",
        input: "b",
        ctx: { expected: "'a', True or None" },
      },
    ]);
  });

  it("reports a named enum component as enum", () => {
    const options = { ...lax, schemas: { Color: { enum: ["red", "blue"] } } };
    expect(validate({ $ref: "#/components/schemas/Color" }, "green", ["q"], options).issues).toEqual([
      {
        type: "enum",
        loc: ["q"],
        msg: "Input should be 'red' or 'blue'",
        input: "green",
        ctx: { expected: "'red' or 'blue'" },
      },
    ]);
  });

  it("treats anyOf [X, null] as optional X: null passes, other errors are X's, untagged", () => {
    const nullableInt: JsonSchema = { anyOf: [{ type: "integer" }, { type: "null" }] };
    expect(issuesOf(nullableInt, null)).toEqual([]);
    expect(issuesOf(nullableInt, "x")).toEqual([["int_parsing", ["body"]]]);
  });

  it("prefers an exact-type member, as pydantic's smart unions do", () => {
    expect(validate({ anyOf: [{ type: "integer" }, { type: "string" }] }, "12", ["q"], lax).value).toBe("12");
    expect(validate({ anyOf: [{ type: "string" }, { type: "integer" }] }, 12, ["q"], lax).value).toBe(12);
  });

  it("reports each union member's failure under its tag", () => {
    expect(
      issuesOf({ anyOf: [{ type: "integer" }, { type: "array", items: { type: "string" } }] }, {}),
    ).toEqual([
      ["int_type", ["body", "int"]],
      ["list_type", ["body", "list[str]"]],
    ]);
  });

  it("validates array items with their index in loc", () => {
    expect(issuesOf({ type: "array", items: int, minItems: 3 }, [1, "x"])).toEqual([
      ["too_short", ["body"]],
      ["int_parsing", ["body", 1]],
    ]);
  });

  it("throws on a $ref the spec does not define", () => {
    expect(() => validate({ $ref: "#/components/schemas/Nope" }, 1, [], lax)).toThrow("Unresolvable $ref");
  });
});

describe("validate, properties", () => {
  const prDetails = fc.record({
    pr_number: fc.integer(),
    pr_branch: fc.string(),
    base_branch: fc.string(),
    pr_sha: fc.string(),
    base_sha: fc.string(),
  });

  it("accepts every well-typed body, in both modes, unchanged", () => {
    fc.assert(
      fc.property(prDetails, (body) => {
        for (const options of [lax, strict])
          expect(validate(details, body, ["body"], options)).toEqual({ value: body, issues: [] });
      }),
    );
  });

  it("reports exactly the dropped fields as missing", () => {
    fc.assert(
      fc.property(prDetails, fc.subarray(Object.keys(valid)), (body, dropped) => {
        const partial = Object.fromEntries(Object.entries(body).filter(([name]) => !dropped.includes(name)));
        const missing = validate(details, partial, ["body"], lax).issues.map((issue) => issue.loc[1]);
        expect(new Set(missing)).toEqual(new Set(dropped));
      }),
    );
  });

  it("reads the decimal text of any safe integer back in lax mode, spaces around or not", () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.constantFrom("", " ", "\t"), (n, pad) => {
        expect(validate(int, `${pad}${n}${pad}`, ["q"], lax)).toEqual({ value: n, issues: [] });
      }),
    );
  });

  it("rejects any text with a letter in it as int_parsing", () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom("a", "x", "e", "_"), fc.string(), (before, letter, after) => {
        expect(issuesOf(int, `${before}${letter}${after}`)).toEqual([["int_parsing", ["body"]]]);
      }),
    );
  });
});
