import type { ApiDescription, JsonSchema } from "@datafold-ci/api-description";
import { describe, expect, it } from "vitest";
import { checkArgumentsWith } from "../src/check-arguments.js";
import { DatafoldInputError } from "../src/errors.js";
import { findUndeclaredFields } from "../src/find-undeclared-fields.js";
import { undeclaredFields } from "../src/undeclared-fields.js";
import { details, testClient } from "./helpers/client.js";
import { compileValidators } from "./helpers/compile-validators.js";
import { json, scriptedFetch } from "./helpers/fake-fetch.js";

describe("a body field the spec does not declare, where the schema lets it through", () => {
  it("is named by argument path, with the field meant; the client still sends it as given", async () => {
    const typo = { ...details, pr_shaa: details.pr_sha } as typeof details;
    expect(undeclaredFields("triggerPrRun", [7, typo])).toEqual([
      {
        field: "details.pr_shaa",
        message:
          "is not a field of APIPrDetails in the API description, so Datafold ignores it (did you mean pr_sha?)",
      },
    ]);
    // Sent as given: the spec allows it, and the server decides.
    const fetch = scriptedFetch(() => json(200, { ci_run_id: 5, run_id: 9 }));
    await expect(testClient({ fetch }).triggerPrRun(7, typo)).resolves.toEqual({ ci_run_id: 5, run_id: 9 });
    expect(JSON.parse(fetch.seen.at(-1)!.body)).toMatchObject({ pr_shaa: details.pr_sha });
  });

  it("is found inside an array body's items: a diff's include_column", () => {
    const diffs = [
      { prod: "db.orders", pr: "db.pr_42.orders" },
      { prod: "db.users", pr: "db.pr_42.users", include_column: ["id"] },
    ];
    expect(undeclaredFields("uploadPrChanges", [7, 42, diffs])).toEqual([
      {
        field: "diffs[1].include_column",
        message: expect.stringMatching(/^is not a field of CiDiff .*\(did you mean include_columns\?\)$/),
      },
    ]);
  });

  it("finds nothing in declared fields, ignores a trailing options argument, and knows only the client's methods", () => {
    expect(undeclaredFields("triggerPrRun", [7, details, { timeoutMs: 5 }])).toEqual([]);
    const diffs = [{ prod: "a", pr: "b", pk: ["id"], exclude_columns: [] }];
    expect(undeclaredFields("uploadPrChanges", [7, 42, diffs])).toEqual([]);
    expect(() => undeclaredFields("triggerRun", [7, details])).toThrow('No client method "triggerRun"');
  });

  it("is no client option: onWarning is refused as an unknown one", () => {
    expect(() => testClient({ onWarning: () => {} } as never)).toThrow(DatafoldInputError);
  });
});

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** A one-operation description whose body is `Body`, with `schemas` beside it. */
function describeBody(body: JsonSchema, schemas: Record<string, JsonSchema>): ApiDescription {
  return {
    source: "spec/edited.yaml",
    title: "Edited",
    version: "1",
    servers: [],
    securitySchemes: {},
    operations: [
      {
        operationId: "send",
        method: "POST",
        path: "/send",
        parameters: [],
        requestBody: { required: true, contentType: "application/json", schema: body },
        responses: {},
        security: [],
        clientMethod: { name: "send", arguments: [{ name: "body", in: "body" }] },
      },
    ],
    schemas,
  };
}

describe("what the schema's additionalProperties says", () => {
  it("false: the field is refused before anything is sent, by the validators", async () => {
    const { validators, sentences } = await compileValidators(
      describeBody(ref("Closed"), {
        Closed: {
          type: "object",
          properties: { name: { type: "string" } },
          additionalProperties: false,
        },
      }),
    );
    expect(checkArgumentsWith(validators.send!, sentences, "send", [{ name: "a", nmae: "b" }])).toEqual([
      { field: "body.nmae", message: 'Field not allowed here (got "b")' },
    ]);
  });

  it("true, a schema, or patternProperties: extra names are meant, and not told", async () => {
    const open = (extra: JsonSchema) =>
      compileValidators(
        describeBody(ref("Open"), {
          Open: { type: "object", properties: { name: { type: "string" } }, ...extra },
        }),
      );
    const extras: JsonSchema[] = [
      { additionalProperties: true },
      { additionalProperties: { type: "string" } },
      { patternProperties: { "^x-": {} } },
    ];
    for (const extra of extras) {
      const { validators } = await open(extra);
      expect(
        findUndeclaredFields(validators.send!, [{ name: "a", other: "b" }]),
        JSON.stringify(extra),
      ).toEqual([]);
    }
  });

  it("absent: told, through unions, arrays and $refs; not inside a free-form object or a component within itself", async () => {
    const { validators } = await compileValidators(
      describeBody(ref("Outer"), {
        Outer: {
          type: "object",
          properties: {
            inner: { anyOf: [ref("Inner"), { type: "null" }] },
            items: { type: "array", items: ref("Inner") },
            free: { type: "object" },
            tree: ref("Outer"),
          },
        },
        Inner: { type: "object", properties: { depth: { type: "integer" } } },
      }),
    );
    const found = findUndeclaredFields(validators.send!, [
      {
        inner: { depth: 1, deep: 2 },
        items: [{ depth: 1 }, { dpth: 2 }],
        free: { anything: true },
        tree: { inner: null, oops: 1 },
        other: 1,
      },
    ]);
    // `tree` is Outer again: a recursive schema is walked one level, so a body of any depth costs one pass.
    expect(found.map((issue) => issue.field)).toEqual([
      "body.inner.deep",
      "body.items[1].dpth",
      "body.other",
    ]);
  });
});
