import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type MockDatafold, startMockDatafold } from "../src/index.js";
import { encodeUtf16, encodeUtf32le, send, triggerPath, validDetails } from "./helpers.js";

let mock: MockDatafold;
beforeEach(async () => {
  mock = await startMockDatafold({ apiKey: "sk-mock-0123456789" });
});
afterEach(() => mock.close());

describe("request recording", () => {
  it("records method, path, query, lower-case headers, parsed body, operation and status", async () => {
    await send(mock, `${triggerPath(12)}?source=ci&source=retry`, {
      body: validDetails,
      headers: { "X-Request-Id": "abc" },
    });
    expect(mock.requests).toEqual([
      {
        method: "POST",
        path: "/api/v1/ci/12/trigger",
        query: { source: "retry" },
        headers: expect.objectContaining({
          "x-request-id": "abc",
          "content-type": "application/json",
          authorization: "[REDACTED]",
        }),
        body: validDetails,
        operationId: "trigger_ci_api_v1_ci__ci_config_id__trigger_post",
        status: 200,
      },
    ]);
  });

  it("records every request in order, rejected ones and unknown routes included", async () => {
    await send(mock, triggerPath(1), { body: {} });
    await send(mock, "/nowhere", { method: "GET" });
    await send(mock, triggerPath(1), { body: validDetails, authorization: null });
    expect(mock.requests.map((r) => [r.method, r.path, r.status, r.operationId])).toEqual([
      ["POST", "/api/v1/ci/1/trigger", 422, "trigger_ci_api_v1_ci__ci_config_id__trigger_post"],
      ["GET", "/nowhere", 404, undefined],
      ["POST", "/api/v1/ci/1/trigger", 401, "trigger_ci_api_v1_ci__ci_config_id__trigger_post"],
    ]);
  });

  it("keeps a body that is not JSON as text, and an empty one as undefined", async () => {
    await send(mock, triggerPath(1), { body: "not json" });
    await send(mock, triggerPath(1), {});
    expect(mock.requests.map((r) => r.body)).toEqual(["not json", undefined]);
  });

  it("records a UTF-16 or UTF-32 JSON body as the JSON it parsed, not as garbled text", async () => {
    const json = JSON.stringify(validDetails);
    await send(mock, triggerPath(1), { body: encodeUtf16(json, { bom: true, bigEndian: false }) });
    await send(mock, triggerPath(1), { body: encodeUtf16(json, { bom: false, bigEndian: true }) });
    await send(mock, triggerPath(1), { body: encodeUtf32le(json) });
    expect(mock.requests.map((r) => [r.status, r.body])).toEqual([
      [200, validDetails],
      [200, validDetails],
      [200, validDetails],
    ]);
  });

  it("keeps the path as sent, not decoded", async () => {
    await send(mock, triggerPath("%31"), { body: validDetails });
    expect(mock.requests[0]).toMatchObject({ path: "/api/v1/ci/%31/trigger", status: 200 });
  });

  it("never holds the API key, even where the code under test leaked it", async () => {
    await send(mock, `${triggerPath(1)}?token=sk-mock-0123456789`, {
      body: { ...validDetails, pr_branch: "sk-mock-0123456789" },
      headers: { "x-debug": "key=sk-mock-0123456789" },
    });
    const [request] = mock.requests;
    expect(JSON.stringify(mock.requests)).not.toContain("sk-mock-0123456789");
    expect(request).toMatchObject({
      query: { token: "[REDACTED]" },
      headers: { "x-debug": "key=[REDACTED]", authorization: "[REDACTED]" },
      body: { pr_branch: "[REDACTED]" },
    });
  });

  it("redacts a wrong key in Authorization too", async () => {
    await send(mock, triggerPath(1), { body: validDetails, authorization: "Key sk-someone-elses-key" });
    expect(JSON.stringify(mock.requests)).not.toContain("sk-someone-elses-key");
  });

  it("records a request on arrival, before it is answered", async () => {
    mock.enqueue({ kind: "hang" });
    const pending = send(mock, triggerPath(1), { body: validDetails, signal: AbortSignal.timeout(2_000) });
    await expect.poll(() => mock.requests.length).toBe(1);
    expect(mock.requests[0]?.status).toBe(0);
    await mock.close();
    await expect(pending).rejects.toThrow();
  });
});
