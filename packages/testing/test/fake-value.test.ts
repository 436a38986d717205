import { datafoldApi } from "@datafold-ci/api-description";
import { describe, expect, it } from "vitest";
import { fakeValueFrom } from "../src/fake-value.js";
import { fakeValue } from "../src/index.js";

describe("fakeValue", () => {
  it("makes a whole run from the spec, with the fields a test names laid over it", () => {
    const [run, other] = fakeValue("listCiRuns", "result", [{ id: 41, status: "processing" }, { id: 40 }]);
    expect(run).toMatchObject({ id: 41, status: "processing" });
    expect(other?.id).toBe(40);
    // Every field the run schema requires is there.
    const required = datafoldApi.schemas.ApiCiRun?.required ?? [];
    expect(required.length).toBeGreaterThan(0);
    for (const field of required) expect(run).toHaveProperty(field);
  });

  it("makes a body the client accepts, and a path and query object", () => {
    const body = fakeValue("triggerPrRun", "body", { pr_number: 42 });
    expect(body.pr_number).toBe(42);
    expect(typeof body.pr_sha).toBe("string");
    expect(fakeValue("listCiRuns", "path")).toHaveProperty("ci_config_id");
    expect(fakeValue("listCiRuns", "query", { limit: 5 })).toMatchObject({ limit: 5 });
  });

  it("fills a field a spec adds as required, so a test built on it needs no edit", () => {
    const api = structuredClone(datafoldApi) as typeof datafoldApi & {
      schemas: Record<string, { properties: object; required: string[] }>;
    };
    const run = api.schemas.ApiCiRun!;
    run.properties = { ...run.properties, kind: { enum: ["pr", "push"] } };
    run.required = [...run.required, "kind"];
    const [made] = fakeValueFrom(api, "listCiRuns", "result", [{ id: 1 }]) as [Record<string, unknown>];
    expect(made).toMatchObject({ id: 1, kind: "pr" });
  });

  it("names the method or the part the spec lacks", () => {
    expect(() => fakeValueFrom(datafoldApi, "noSuchMethod", "body")).toThrow(
      /has no client method "noSuchMethod"/,
    );
    expect(() => fakeValueFrom(datafoldApi, "listCiRuns", "body")).toThrow(/listCiRuns has no body/);
  });
});
