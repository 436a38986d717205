import { type ApiDescription, datafoldApi } from "@datafold-ci/api-description";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatafoldSimulator } from "../src/datafold-simulator.js";
import { type MockDatafold, serveSimulator } from "../src/mock-datafold.js";
import { send, trigger } from "./helpers.js";

/**
 * spec/ as it may grow (Datafold's public document has about fifty operations): the CI operations
 * plus a listing with query and header parameters, an upload whose templated path overlaps the
 * listing's, and an unauthenticated health check, on paths spec/ does not have yet (an operation
 * on a path spec/ already serves would be shadowed by it). Nothing in the mock names these; it
 * must serve them all.
 */
const grownApi: ApiDescription = {
  ...datafoldApi,
  operations: [
    ...datafoldApi.operations,
    {
      operationId: "list_artifacts",
      clientMethod: { name: "list_artifacts", arguments: [] },
      method: "GET",
      path: "/api/v1/dbt/{job_id}/artifacts",
      tags: ["dbt"],
      parameters: [
        { name: "job_id", in: "path", required: true, schema: { type: "integer" } },
        { name: "pr_sha", in: "query", required: false, schema: { type: "string" } },
        {
          name: "limit",
          in: "query",
          required: false,
          schema: { type: "integer", minimum: 1, maximum: 100 },
        },
        { name: "x-request-source", in: "header", required: true, schema: { type: "string" } },
      ],
      responses: {
        "200": {
          description: "Successful Response",
          schema: { type: "array", items: { $ref: "#/components/schemas/CiRun" }, minItems: 1 },
        },
      },
      security: [{ ApiKeyAuth: [] }],
    },
    {
      operationId: "upload_artifact",
      clientMethod: { name: "upload_artifact", arguments: [] },
      method: "POST",
      path: "/api/v1/dbt/{job_id}/{artifact_num}",
      tags: ["dbt"],
      parameters: [
        { name: "job_id", in: "path", required: true, schema: { type: "integer" } },
        { name: "artifact_num", in: "path", required: true, schema: { type: "integer" } },
      ],
      requestBody: {
        required: true,
        contentType: "application/json",
        schema: { $ref: "#/components/schemas/PrChanges" },
      },
      responses: { "201": { description: "Created", example: { status: "accepted" } } },
      security: [{ ApiKeyAuth: [] }],
    },
    {
      // Listed after the templated upload on purpose: concrete paths must still match first.
      operationId: "finish_job",
      clientMethod: { name: "finish_job", arguments: [] },
      method: "POST",
      path: "/api/v1/dbt/{job_id}/finish",
      tags: ["dbt"],
      parameters: [{ name: "job_id", in: "path", required: true, schema: { type: "integer" } }],
      responses: { "200": { description: "Finished", example: { finished: true } } },
      security: [{ ApiKeyAuth: [] }],
    },
    {
      operationId: "health",
      clientMethod: { name: "health", arguments: [] },
      method: "GET",
      path: "/api/v1/health",
      tags: [],
      parameters: [],
      responses: { "204": { description: "Healthy" } },
      security: [],
    },
  ],
  schemas: {
    ...datafoldApi.schemas,
    CiRun: {
      type: "object",
      title: "CiRun",
      properties: {
        id: { type: "integer" },
        status: { enum: ["running", "done"] },
        pr_sha: { anyOf: [{ type: "string" }, { type: "null" }] },
      },
      required: ["id", "status"],
    },
    PrChanges: {
      type: "object",
      title: "PrChanges",
      properties: { files: { type: "array", items: { type: "string" } } },
      required: ["files"],
    },
  },
};

let mock: MockDatafold;
beforeAll(async () => {
  mock = await serveSimulator(createDatafoldSimulator(grownApi, {}, "test"), {}, "test");
});
afterAll(() => mock.close());

const list = (query: string, headers: Record<string, string> = { "x-request-source": "ci" }) =>
  send(mock, `/api/v1/dbt/3/artifacts${query}`, { method: "GET", headers });

describe("operations added to spec/ are served without code changes", () => {
  it("serves every operation of the current spec/ on its own route and method", async () => {
    for (const operation of datafoldApi.operations) {
      const path = operation.path.replace(/\{[^}]+\}/g, "1");
      const response = await send(mock, path, { method: operation.method });
      expect([404, 405], `${operation.method} ${operation.path}`).not.toContain(response.status);
    }
  });

  it("answers a new operation with a value synthesised from its success schema", async () => {
    const response = await list("?pr_sha=abc&limit=5");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([{ id: 1, status: "running", pr_sha: "x" }]);
  });

  it("answers with the response's example and its lowest 2xx status when there is one", async () => {
    const response = await send(mock, "/api/v1/dbt/3/17", { body: { files: ["models/a.sql"] } });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ status: "accepted" });
  });

  it("validates query parameters, with loc query.<name>", async () => {
    const response = await list("?limit=abc");
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      detail: [{ type: "int_parsing", loc: ["query", "limit"], input: "abc" }],
    });
  });

  it("applies bounds from the schema", async () => {
    const response = await list("?limit=0");
    expect(await response.json()).toEqual({
      detail: [
        {
          type: "greater_than_equal",
          loc: ["query", "limit"],
          msg: "Input should be greater than or equal to 1",
          input: "0",
          ctx: { ge: 1 },
        },
      ],
    });
  });

  it("reports a missing required header with loc header.<name> and input null", async () => {
    const response = await list("", {});
    expect(await response.json()).toEqual({
      detail: [{ type: "missing", loc: ["header", "x-request-source"], msg: "Field required", input: null }],
    });
  });

  it("validates a new body schema, arrays included", async () => {
    const response = await send(mock, "/api/v1/dbt/3/17", { body: { files: ["a.sql", 2] } });
    expect(await response.json()).toMatchObject({
      detail: [{ type: "string_type", loc: ["body", "files", 1] }],
    });
  });

  it("lets the first route matching path and method win, as Starlette does", async () => {
    // POST /dbt/3/artifacts is the upload route with artifact_num "artifacts", not a 405 from the listing route.
    const response = await send(mock, "/api/v1/dbt/3/artifacts", { body: { files: [] } });
    expect(await response.json()).toMatchObject({
      detail: [{ type: "int_parsing", loc: ["path", "artifact_num"] }],
    });
  });

  it("matches a concrete path before a templated one listed earlier, as OpenAPI and FastAPI do", async () => {
    const finish = await send(mock, "/api/v1/dbt/3/finish");
    expect([finish.status, await finish.json()]).toEqual([200, { finished: true }]);
    const recorded = mock.requests.at(-1);
    expect(recorded?.operationId).toBe("finish_job");
  });

  it("answers 405 with the templated route's method when only its path matches", async () => {
    const response = await send(mock, "/api/v1/dbt/3/17", { method: "GET" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("asks for no key where the operation declares no security", async () => {
    const response = await send(mock, "/api/v1/health", { method: "GET", authorization: null });
    expect(response.status).toBe(204);
  });

  it("still starts runs for the trigger", async () => {
    expect(await trigger(mock)).toEqual({ ci_run_id: 1, run_id: 1 });
  });
});
