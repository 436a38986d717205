import type { ApiDescription, JsonSchema } from "@datafold-ci/api-description";
import { beforeAll, describe, expect, it } from "vitest";
import { checkArgumentsWith } from "../src/check-arguments.js";
import { compileValidators } from "./helpers/compile-validators.js";

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** One operation whose body uses every kind of keyword Datafold's whole document does. */
const api: ApiDescription = {
  source: "spec/edited.yaml",
  title: "Keywords",
  version: "1",
  servers: [],
  securitySchemes: {},
  operations: [
    {
      operationId: "create_monitor",
      method: "POST",
      path: "/api/v1/monitors/{monitor_id}",
      parameters: [{ name: "monitor_id", in: "path", required: true, schema: { type: "integer" } }],
      requestBody: { required: true, contentType: "application/json", schema: ref("MonitorIn") },
      responses: { "200": { schema: ref("MonitorOut") } },
      security: [],
      clientMethod: {
        name: "createMonitor",
        arguments: [
          { name: "monitorId", in: "path", parameter: "monitor_id" },
          { name: "monitor", in: "body" },
        ],
      },
    },
  ],
  schemas: {
    MonitorIn: {
      type: "object",
      title: "MonitorIn",
      required: ["name", "kind", "schedule"],
      properties: {
        name: { type: "string", minLength: 3, maxLength: 8, section: "basic", widget: "multiline" },
        kind: { type: "string", enum: ["diff", "metric", "schema"] },
        version: { const: "v1" },
        sensitivity: { type: "number", minimum: 0, maximum: 100 },
        limit: { type: "integer", exclusiveMaximum: 100 },
        budget: {
          anyOf: [{ type: "string", pattern: "^(?!^[-+.]*$)[+-]?0*\\d*\\.?\\d*$" }, { type: "null" }],
        },
        starts_at: { anyOf: [{ type: "string", format: "date-time" }, { type: "null" }] },
        window: {
          type: "array",
          prefixItems: [{ type: "integer" }, { type: "integer" }],
          minItems: 2,
          maxItems: 2,
        },
        tags: { type: "array", items: { type: "string" }, minItems: 1, uniqueItems: true },
        schedule: {
          oneOf: [ref("Hourly"), ref("Cron")],
          discriminator: {
            propertyName: "type",
            mapping: { hourly: "#/components/schemas/Hourly", cron: "#/components/schemas/Cron" },
          },
        },
      },
    },
    Hourly: {
      type: "object",
      title: "Hourly",
      properties: { type: { const: "hourly" }, every: { type: "integer", minimum: 1 } },
    },
    Cron: {
      type: "object",
      title: "Cron",
      required: ["cron"],
      properties: { type: { const: "cron" }, cron: { type: "string" } },
    },
    MonitorOut: {
      type: "object",
      title: "MonitorOut",
      required: ["id", "state"],
      properties: { id: { type: "integer" }, state: { type: "string", enum: ["ok", "error"] } },
    },
  },
};

const valid = { name: "orders", kind: "diff", schedule: { type: "hourly", every: 2 } };
let check: (monitorId: unknown, body: unknown) => { field: string; message: string }[];
let response: (body: unknown) => boolean;

beforeAll(async () => {
  const { validators, sentences } = await compileValidators(api);
  check = (monitorId, body) =>
    checkArgumentsWith(validators.createMonitor!, sentences, "createMonitor", [monitorId, body]);
  response = (body) => validators.createMonitor!.responses["200"]!(body);
});

describe("a sentence per keyword, with the argument path and what was given", () => {
  it.each([
    [{ name: "ab" }, "monitor.name", 'String should have at least 3 characters (got "ab")'],
    [{ name: "a-long-name" }, "monitor.name", 'String should have at most 8 characters (got "a-long-name")'],
    [{ kind: "trend" }, "monitor.kind", 'Input should be "diff", "metric" or "schema" (got "trend")'],
    [{ version: "v2" }, "monitor.version", 'Input should be "v1" (got "v2")'],
    [{ sensitivity: 101 }, "monitor.sensitivity", "Input should be less than or equal to 100 (got 101)"],
    [{ sensitivity: -1 }, "monitor.sensitivity", "Input should be greater than or equal to 0 (got -1)"],
    [{ limit: 100 }, "monitor.limit", "Input should be less than 100 (got 100)"],
    [
      { budget: "12,50" },
      "monitor.budget",
      'String should be a decimal number, such as "12.50" (got "12,50")',
    ],
    [{ budget: 12 }, "monitor.budget", "Input should be a valid string (got 12)"],
    [
      { starts_at: "yesterday" },
      "monitor.starts_at",
      'String should be a date and time, such as 2024-05-01T12:30:00Z (got "yesterday")',
    ],
    [{ window: [1] }, "monitor.window", "List should have at least 2 items (got [1])"],
    [{ window: [1, "x"] }, "monitor.window[1]", 'Input should be a valid integer (got "x")'],
    [{ tags: [] }, "monitor.tags", "List should have at least 1 item (got [])"],
    [{ tags: [" "] }, "monitor.tags[0]", 'String should not be empty or only whitespace (got " ")'],
    [{ schedule: { every: 2 } }, "monitor.schedule.type", "Field required"],
    [
      { schedule: { type: "weekly" } },
      "monitor.schedule.type",
      'Input should be "hourly" or "cron" (got "weekly")',
    ],
    [
      { schedule: { type: "hourly", every: 0 } },
      "monitor.schedule.every",
      "Input should be greater than or equal to 1 (got 0)",
    ],
    [{ schedule: { type: "cron" } }, "monitor.schedule.cron", "Field required"],
    [{ schedule: "hourly" }, "monitor.schedule", 'Input should be a valid dictionary (got "hourly")'],
  ])("%j → %s", (change, field, message) => {
    expect(check(7, { ...valid, ...change })).toEqual([{ field, message }]);
  });

  it("accepts a valid body, annotations (section, widget) ignored, a set's duplicates allowed", () => {
    expect(check(7, valid)).toEqual([]);
    expect(
      check(7, {
        ...valid,
        tags: ["a", "a"],
        window: [1, 2],
        budget: null,
        starts_at: "2024-05-01T12:30:00Z",
      }),
    ).toEqual([]);
  });

  it("names the identifier rule in words, and lists fields in the spec's required order", () => {
    expect(check(0, {})).toEqual([
      { field: "monitor_id", message: "Input should be a whole number of 1 or more (got 0)" },
      { field: "monitor.name", message: "Field required" },
      { field: "monitor.kind", message: "Field required" },
      { field: "monitor.schedule", message: "Field required" },
    ]);
    expect(check(2 ** 53, valid)).toEqual([
      {
        field: "monitor_id",
        message: "Input should be a whole number of 1 or more, below 2^53 (got 9007199254740992)",
      },
    ]);
  });

  it("checks answers against the spec alone (an enum there too)", () => {
    expect(response({ id: 1, state: "ok" })).toBe(true);
    expect(response({ id: 1, state: "paused" })).toBe(false);
  });
});
