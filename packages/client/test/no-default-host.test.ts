import { describe, expect, it } from "vitest";
import { clientDefaults, resolveClientConfig } from "../src/config.js";
import { DatafoldInputError } from "../src/index.js";
import { testKey, thrownBy } from "./helpers/secrets.js";

// A spec may name no server (FastAPI's documents do not): `pnpm generate` then bakes in no default host,
// which the client sees as `clientDefaults.baseUrl` undefined.
const noServer = { ...clientDefaults, baseUrl: undefined };

describe("a client built from a spec with no servers", () => {
  it("asks for a host, naming the option and the variable", () => {
    const error = thrownBy(() => resolveClientConfig({ apiKey: testKey(), env: {} }, noServer));
    expect(error).toBeInstanceOf(DatafoldInputError);
    expect((error as DatafoldInputError).issues).toEqual([
      {
        field: "baseUrl",
        message:
          "no Datafold host: pass the baseUrl option or set DATAFOLD_HOST (this build's spec names no default server)",
      },
    ]);
  });

  it("names the caller's own word for the option", () => {
    const error = thrownBy(() =>
      resolveClientConfig({ apiKey: testKey(), env: {}, sources: { baseUrl: "--host" } }, noServer),
    );
    expect((error as DatafoldInputError).issues[0]?.message).toMatch(/^no Datafold host: pass --host or set/);
  });

  it.each([
    ["the baseUrl option", { baseUrl: "https://datafold.internal.example" }, {}],
    ["DATAFOLD_HOST", {}, { DATAFOLD_HOST: "https://datafold.internal.example" }],
  ])("works with a host from %s", (_, options, env) => {
    expect(resolveClientConfig({ apiKey: testKey(), env, ...options }, noServer).baseUrl).toBe(
      "https://datafold.internal.example",
    );
  });
});
