import { CI_OPERATION_NAMES, datafoldApi, findOperation } from "@datafold-ci/api-description";
import { afterEach, describe, expect, it } from "vitest";
import { type MockDatafold, type MockDatafoldOptions, startMockDatafold } from "../src/index.js";
import { send, trigger, triggerPath, validDetails } from "./helpers.js";

let mock: MockDatafold | undefined;
const start = async (options?: MockDatafoldOptions) => {
  mock = await startMockDatafold(options);
  return mock;
};
afterEach(() => mock?.close());

describe("triggering runs", () => {
  it("the operation the mock starts runs for is still in spec/", () => {
    expect(findOperation(datafoldApi, CI_OPERATION_NAMES.trigger)?.method).toBe("POST");
  });

  it("gives each successful trigger the next run id, starting at 1", async () => {
    const datafold = await start();
    expect(await trigger(datafold, 10)).toEqual({ ci_run_id: 1, run_id: 1 });
    expect(await trigger(datafold, 11)).toEqual({ ci_run_id: 2, run_id: 2 });
    expect(await trigger(datafold, 10)).toEqual({ ci_run_id: 3, run_id: 3 });
  });

  it("starts at firstRunId when given", async () => {
    const datafold = await start({ firstRunId: 500 });
    expect(await trigger(datafold)).toEqual({ ci_run_id: 500, run_id: 500 });
  });

  it("uses up no run id on a rejected request", async () => {
    const datafold = await start();
    await send(datafold, triggerPath(1), { body: {} });
    await send(datafold, triggerPath(1), { body: validDetails, authorization: "Key wrong" });
    expect(await trigger(datafold)).toEqual({ ci_run_id: 1, run_id: 1 });
  });

  it("answers null ids for config ids in noRunFor: accepted, but no run started", async () => {
    const datafold = await start({ noRunFor: [42] });
    expect(await trigger(datafold, 42)).toEqual({ ci_run_id: null, run_id: null });
    expect(await trigger(datafold, 43)).toEqual({ ci_run_id: 1, run_id: 1 });
  });

  it("matches noRunFor on the parsed config id, as Datafold would", async () => {
    const datafold = await start({ noRunFor: [42] });
    expect(await trigger(datafold, "042" as unknown as number)).toEqual({ ci_run_id: null, run_id: null });
  });

  it("switches the no-run answer on and off with noRunFor()", async () => {
    const datafold = await start();
    datafold.noRunFor(5);
    expect(await trigger(datafold, 5)).toEqual({ ci_run_id: null, run_id: null });
    datafold.noRunFor(5, false);
    expect(await trigger(datafold, 5)).toEqual({ ci_run_id: 1, run_id: 1 });
  });

  it("rejects a config id that is not an integer in noRunFor()", async () => {
    const datafold = await start();
    expect(() => datafold.noRunFor(1.5)).toThrow("noRunFor(): ciConfigId must be an integer, got 1.5.");
  });
});

describe("options", () => {
  it("accepts only the key it was given", async () => {
    const datafold = await start({ apiKey: "test-key" });
    expect(datafold.apiKey).toBe("test-key");
    expect(
      (await send(datafold, triggerPath(1), { body: validDetails, authorization: "Key test-key" })).status,
    ).toBe(200);
  });

  it("makes up a different key for each mock when none is given", async () => {
    const first = await start();
    const second = await startMockDatafold();
    try {
      expect(first.apiKey).toMatch(/^mock-key-[0-9a-f]{24}$/);
      expect(second.apiKey).not.toBe(first.apiKey);
    } finally {
      await second.close();
    }
  });

  it("listens on 127.0.0.1 and a free port by default", async () => {
    const datafold = await start();
    expect(datafold.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it.each<[string, MockDatafoldOptions, string]>([
    [
      "a port out of range",
      { port: 70000 },
      "startMockDatafold: options.port must be an integer from 0 to 65535, got 70000.",
    ],
    ["an empty key", { apiKey: "" }, "startMockDatafold: options.apiKey must be a non-empty string"],
    [
      "a key with a trailing newline",
      { apiKey: "abc\n" },
      "startMockDatafold: options.apiKey must be a non-empty string",
    ],
    [
      "noRunFor that is not a list of integers",
      { noRunFor: ["1" as unknown as number] },
      "options.noRunFor must be an array of integer CI config ids.",
    ],
    [
      "a negative firstRunId",
      { firstRunId: -1 },
      "options.firstRunId must be an integer, 0 or more, got -1.",
    ],
  ])("refuses %s, naming the option", async (_what, options, message) => {
    await expect(startMockDatafold(options)).rejects.toThrow(message);
  });

  it("says which address it could not listen on", async () => {
    const datafold = await start();
    const port = Number(new URL(datafold.url).port);
    await expect(startMockDatafold({ port })).rejects.toThrow(
      `startMockDatafold: cannot listen on 127.0.0.1:${port}: EADDRINUSE`,
    );
  });
});
