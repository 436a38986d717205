import { describe, expect, it, vi } from "vitest";
import { createDatafoldClient, DatafoldInputError, DEFAULT_BASE_URL } from "../src/index.js";
import { details } from "./helpers/client.js";
import { json, scriptedFetch } from "./helpers/fake-fetch.js";
import { testKey, thrownBy } from "./helpers/secrets.js";

// The spec table as a spec with no `servers` generates it: valid OpenAPI, and FastAPI's documents have none.
vi.mock("@datafold-ci/api-description", async (importOriginal) => {
  const spec = await importOriginal<typeof import("@datafold-ci/api-description")>();
  return { ...spec, datafoldApi: { ...spec.datafoldApi, servers: [] } };
});

const ok = () => scriptedFetch(json(200, { ci_run_id: 1, run_id: 1 }));

describe("a client built from a spec with no servers", () => {
  it("has no default host", () => {
    expect(DEFAULT_BASE_URL).toBeUndefined();
  });

  it("asks for a host, naming the option and the variable, and sends nothing", () => {
    const fetch = ok();
    const error = thrownBy(() => createDatafoldClient({ apiKey: testKey(), env: {}, fetch }));
    expect(error).toBeInstanceOf(DatafoldInputError);
    expect((error as DatafoldInputError).issues).toEqual([
      {
        field: "baseUrl",
        message:
          "no Datafold host: pass the baseUrl option or set DATAFOLD_HOST (this build's spec names no default server)",
      },
    ]);
    expect(fetch.seen).toHaveLength(0);
  });

  it("names the caller's own word for the option", () => {
    const error = thrownBy(() =>
      createDatafoldClient({ apiKey: testKey(), env: {}, sources: { baseUrl: "--host" } }),
    );
    expect((error as DatafoldInputError).issues[0]?.message).toMatch(/^no Datafold host: pass --host or set/);
  });

  it.each([
    ["the baseUrl option", { baseUrl: "https://datafold.internal.example" }, {}],
    ["DATAFOLD_HOST", {}, { DATAFOLD_HOST: "https://datafold.internal.example" }],
  ])("works with a host from %s", async (_, options, env) => {
    const fetch = ok();
    await createDatafoldClient({ apiKey: testKey(), env, fetch, ...options }).triggerPrRun(7, details, {
      checkForStartedRun: false, // one request: the trigger
    });
    expect(fetch.seen[0]?.url).toBe("https://datafold.internal.example/api/v1/ci/7/trigger");
  });
});
