import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { datafoldApi, type JsonSchema, validate, validateStrict } from "../src/index.js";

const schemas = datafoldApi.schemas;
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const trigger = datafoldApi.operations.find((op) => op.path === "/api/v1/ci/{ci_config_id}/trigger")!;

// What a client checks strictly: the trigger's path parameter, its body and its 200 answer.
const clientSchemas: [string, JsonSchema][] = [
  ["the path parameter", trigger.parameters[0]!.schema],
  ["the request body", trigger.requestBody!.schema],
  ["the 200 answer", trigger.responses["200"]!.schema!],
  [
    "an object of nullable integers and a tagged union",
    {
      type: "object",
      properties: {
        id: { anyOf: [{ type: "integer" }, { type: "null" }] },
        either: { anyOf: [{ type: "number" }, ref("APIPrDetails")] },
        ok: { type: "boolean" },
        none: { type: "null" },
      },
      required: ["ok"],
      additionalProperties: false,
    },
  ],
];

/** JSON-ish values near the schemas' shapes: valid bodies with fields dropped, retyped or added, and anything else. */
const candidates = fc.oneof(
  fc.record(
    {
      pr_number: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)),
      pr_branch: fc.oneof(fc.string(), fc.integer(), fc.boolean()),
      base_branch: fc.string(),
      pr_sha: fc.oneof(fc.string(), fc.constant(undefined)),
      base_sha: fc.string(),
      ci_run_id: fc.oneof(fc.integer(), fc.constant(null), fc.string(), fc.double()),
      run_id: fc.oneof(fc.integer(), fc.constant(null)),
      id: fc.oneof(fc.integer(), fc.constant(null), fc.string()),
      either: fc.oneof(fc.double(), fc.string(), fc.object()),
      ok: fc.oneof(fc.boolean(), fc.integer()),
      none: fc.oneof(fc.constant(null), fc.integer()),
      extra: fc.anything(),
    },
    { requiredKeys: [] },
  ),
  fc.anything(),
);

describe("validateStrict", () => {
  it.each(clientSchemas)("reports exactly what validate reports in strict mode, for %s", (_, schema) => {
    fc.assert(
      fc.property(candidates, (value) => {
        expect(validateStrict(schema, value, ["body"], schemas)).toEqual(
          validate(schema, value, ["body"], { mode: "strict", schemas }).issues,
        );
      }),
      { numRuns: 500 },
    );
  });

  it("refuses a keyword outside its core, naming it, rather than let a value through unchecked", () => {
    expect(() => validateStrict({ type: "string", minLength: 1 }, "", [], schemas)).toThrow(
      'validateStrict does not support "minLength"',
    );
    expect(() => validateStrict({ type: "array", maxItems: 2 }, [], [], schemas)).toThrow(
      'validateStrict does not support "maxItems"',
    );
  });

  it("checks arrays item by item, as the upload's CiDiff[] body needs, and lets duplicates through as pydantic's set does", () => {
    const list = { type: "array", items: { type: "string" }, uniqueItems: true } as const;
    expect(validateStrict(list, ["a", "a"], [], schemas)).toEqual([]);
    expect(validateStrict(list, ["a", 3], ["body"], schemas)).toEqual([
      { type: "string_type", loc: ["body", 1], msg: "Input should be a valid string", input: 3 },
    ]);
    expect(validateStrict(list, "a", ["body"], schemas)).toEqual([
      { type: "list_type", loc: ["body"], msg: "Input should be a valid list", input: "a" },
    ]);
  });

  it("throws on a $ref the spec does not define", () => {
    expect(() => validateStrict(ref("Nope"), 1, [], schemas)).toThrow("Unresolvable $ref");
  });
});
