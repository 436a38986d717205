import type { Middleware } from "openapi-fetch";
import { describe, expect, it } from "vitest";
import { DatafoldConnectionError } from "../src/index.js";
import { details, testClient } from "./helpers/client.js";
import { json, scriptedFetch } from "./helpers/fake-fetch.js";
import { rejectionOf } from "./helpers/secrets.js";

const path = "/api/v1/ci/{ci_config_id}/trigger";
const params = { path: { ci_config_id: 7 } };

describe("datafold.api, the openapi-fetch client", () => {
  it("sends the same auth and User-Agent as triggerPrRun and returns openapi-fetch's result", async () => {
    const fetch = scriptedFetch(json(200, { ci_run_id: 9, run_id: 9 }));
    const datafold = testClient({ fetch });
    const { data, error } = await datafold.api.POST(path, { params, body: details });
    expect(data).toEqual({ ci_run_id: 9, run_id: 9 });
    expect(error).toBeUndefined();
    expect(fetch.seen[0]!.headers.get("authorization")).toBe(`Key ${datafold.apiKey}`);
    expect(fetch.seen[0]!.headers.get("user-agent")).toMatch(/^@datafold-ci\/client\//);
  });

  it("retries beneath middleware: middleware sees one request and one response", async () => {
    const fetch = scriptedFetch(json(503, {}), json(502, {}), json(200, { ci_run_id: 1, run_id: 1 }));
    const datafold = testClient({ fetch });
    const seen: string[] = [];
    const logger: Middleware = {
      onRequest: ({ request }) => void seen.push(`request ${request.method}`),
      onResponse: ({ response }) => void seen.push(`response ${response.status}`),
    };
    datafold.api.use(logger);
    await datafold.api.POST(path, { params, body: details });
    expect(seen).toEqual(["request POST", "response 200"]);
    expect(fetch.seen).toHaveLength(3);
  });

  it("returns error answers as { error, response } rather than throwing", async () => {
    const datafold = testClient({ fetch: scriptedFetch(json(422, { detail: [] })) });
    const { data, error, response } = await datafold.api.POST(path, { params, body: details });
    expect(data).toBeUndefined();
    expect(error).toEqual({ detail: [] });
    expect(response.status).toBe(422);
  });

  it("throws DatafoldConnectionError when no answer comes", async () => {
    const datafold = testClient({ fetch: scriptedFetch(new TypeError("fetch failed")), maxRetries: 1 });
    const error = await rejectionOf(datafold.api.POST(path, { params, body: details }));
    expect(error).toBeInstanceOf(DatafoldConnectionError);
    expect(error).toMatchObject({ attempts: 2 });
  });
});
