import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import * as client from "../src/index.js";
import {
  DatafoldApiError,
  DatafoldAuthError,
  DatafoldError,
  DatafoldInvalidResponseError,
  DatafoldNotFoundError,
  DatafoldRateLimitError,
  DatafoldServerError,
  DatafoldInputError,
  DatafoldValidationError,
} from "../src/index.js";
import { details, testClient } from "./helpers/client.js";
import { json, type Script, scriptedFetch } from "./helpers/fake-fetch.js";
import { rejectionOf } from "./helpers/secrets.js";

async function failure(answer: Script, options: Parameters<typeof testClient>[0] = {}) {
  return rejectionOf(
    testClient({ fetch: scriptedFetch(answer), maxRetries: 0, ...options }).triggerPrRun(7, details),
  );
}

const fastApi422 = {
  detail: [
    { type: "int_parsing", loc: ["body", "pr_number"], msg: "Input should be a valid integer", input: "x" },
    { type: "missing", loc: ["body", "pr_sha"], msg: "Field required", input: {} },
  ],
};

describe("error answers", () => {
  it("422: lists each loc and msg, and keeps FastAPI's items", async () => {
    const error = await failure(json(422, fastApi422));
    expect(error).toBeInstanceOf(DatafoldValidationError);
    expect(error.message).toMatch(
      /as invalid \(HTTP 422\): body\.pr_number: Input should be a valid integer; body\.pr_sha: Field required$/,
    );
    expect((error as DatafoldValidationError).errors).toEqual(fastApi422.detail);
    expect((error as DatafoldValidationError).detail).toEqual(fastApi422.detail);
  });

  it("422 with a string detail: shows the string and keeps no items", async () => {
    const error = await failure(json(422, { detail: "pr_sha is not a commit" }));
    expect(error.message).toMatch(/\(HTTP 422\): pr_sha is not a commit$/);
    expect((error as DatafoldValidationError).errors).toEqual([]);
  });

  it.each([401, 403])("%i: says the key was refused, where it came from and for which host", async (code) => {
    const error = await failure(json(code, { detail: "Invalid API key" }), {
      baseUrl: "https://eu.datafold.com",
    });
    expect(error).toBeInstanceOf(DatafoldAuthError);
    expect(error).toMatchObject({ status: code, detail: "Invalid API key" });
    expect(error.message).toMatch(
      new RegExp(
        `refused the API key from the apiKey option \\(HTTP ${code}: Invalid API key\\).*https://eu\\.datafold\\.com`,
      ),
    );
  });

  it("404: says the CI config id may be wrong, and that Datafold answers 404 to unrecognised keys", async () => {
    const error = await failure(json(404, { detail: "Not Found" }));
    expect(error).toBeInstanceOf(DatafoldNotFoundError);
    expect(error.message).toMatch(/the CI config id 7 may be wrong/);
    expect(error.message).toMatch(/Datafold answers 404 to unrecognised API keys/);
  });

  it("429 and 5xx after the last attempt", async () => {
    expect(await failure(json(429, { detail: "slow down" }))).toBeInstanceOf(DatafoldRateLimitError);
    const error = await failure(json(503, { detail: "maintenance" }));
    expect(error).toBeInstanceOf(DatafoldServerError);
    expect(error.message).toMatch(/\(HTTP 503: maintenance\)/);
  });

  it.each([400, 405, 418])("%i: a plain DatafoldApiError with status and detail", async (code) => {
    const error = await failure(json(code, { detail: { reason: "teapot" } }));
    expect(error.name).toBe("DatafoldApiError");
    expect(error).toMatchObject({ status: code, detail: { reason: "teapot" } });
    expect(error.message).toMatch(
      new RegExp(
        `HTTP ${code} to POST https://app\\.datafold\\.com/api/v1/ci/7/trigger: \\{"reason":"teapot"\\}$`,
      ),
    );
  });

  it("keeps only a short excerpt of an HTML error page, its text without tags", async () => {
    const page = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>body { color: red; }</style></head>
      <body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>${"<p>padding</p>\n".repeat(200)}</body></html>`;
    const error = (await failure(
      new Response(page, {
        status: 502,
        statusText: "Bad Gateway",
        headers: { "content-type": "text/html" },
      }),
    )) as DatafoldServerError;
    expect(error.bodyExcerpt).toMatch(/^502 Bad Gateway 502 Bad Gateway nginx padding padding/);
    expect(error.bodyExcerpt!.length).toBeLessThanOrEqual(200);
    expect(error.detail).toBeUndefined();
    expect(error.message).not.toMatch(/<|color: red/);
    expect(error.message.length).toBeLessThan(400);
  });

  it("keeps an excerpt of a JSON body without `detail`", async () => {
    const error = (await failure(json(500, { error: "boom" }))) as DatafoldApiError;
    expect(error.bodyExcerpt).toBe('{"error":"boom"}');
  });

  it("says so when the error body is empty", async () => {
    const error = await failure(new Response(null, { status: 500 }));
    expect(error.message).toMatch(/\(HTTP 500: \(empty body\)\)/);
  });
});

describe("success answers", () => {
  it.each([
    [{ ci_run_id: 17, run_id: 18 }],
    [{ ci_run_id: null, run_id: null }],
    [{}],
    [{ ci_run_id: 3, run_id: 3, extra: "kept" }],
  ])("returns %j as is: null or absent ids mean Datafold started no run", async (body) => {
    await expect(
      testClient({ fetch: scriptedFetch(json(200, body)) }).triggerPrRun(7, details),
    ).resolves.toEqual(body);
  });

  it("refuses a body that is not JSON, with an excerpt and a hint about the base URL", async () => {
    const error = await failure(
      new Response("<html><body>Sign in to continue</body></html>", { status: 200 }),
    );
    expect(error).toBeInstanceOf(DatafoldInvalidResponseError);
    expect(error).toMatchObject({ status: 200, bodyExcerpt: "Sign in to continue" });
    expect(error.message).toMatch(
      /not JSON \("Sign in to continue"\); is https:\/\/app\.datafold\.com Datafold's API\?/,
    );
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it("refuses an empty body", async () => {
    expect((await failure(new Response("", { status: 200 }))).message).toMatch(/an empty body/);
  });

  it("refuses a body of the wrong shape, naming the field", async () => {
    const error = await failure(json(200, { ci_run_id: "17" }));
    expect(error).toBeInstanceOf(DatafoldInvalidResponseError);
    expect(error.message).toMatch(/wrong shape \(ci_run_id: Input should be a valid integer\)/);
    expect((await failure(json(200, [1]))).message).toMatch(
      /wrong shape \(body: Input should be a valid dictionary/,
    );
  });
});

describe("the error family", () => {
  const classes = Object.entries(client).filter(
    (entry): entry is [string, typeof DatafoldError] =>
      typeof entry[1] === "function" && entry[1].prototype instanceof Error,
  );

  it("has a literal name per class, equal to the class name, and every class is a DatafoldError", () => {
    expect(classes.map(([name]) => name).sort()).toEqual([
      "DatafoldApiError",
      "DatafoldAuthError",
      "DatafoldConnectionError",
      "DatafoldError",
      "DatafoldInputError",
      "DatafoldInvalidResponseError",
      "DatafoldNotFoundError",
      "DatafoldRateLimitError",
      "DatafoldServerError",
      "DatafoldTimeoutError",
      "DatafoldValidationError",
    ]);
    for (const [name, Class] of classes) {
      const error =
        name === "DatafoldInputError"
          ? new client.DatafoldInputError([{ field: "f", message: "m" }], "input")
          : new (Class as new (...args: unknown[]) => Error)("m", { status: 500, timeoutMs: 1, errors: [] });
      expect(error.name).toBe(name);
      expect(error).toBeInstanceOf(DatafoldError);
      expect(JSON.parse(JSON.stringify(error)).name).toBe(name);
    }
  });

  it("puts the status errors under DatafoldApiError", async () => {
    const error = await failure(json(404, { detail: "Not Found" }));
    expect(error).toBeInstanceOf(DatafoldApiError);
    expect(error).toBeInstanceOf(DatafoldNotFoundError);
    expect(error).not.toBeInstanceOf(DatafoldValidationError);
    expect(error).not.toBeInstanceOf(DatafoldInputError);
  });

  it("keeps what a caller needs in JSON.stringify(error)", async () => {
    const error = await failure(json(422, fastApi422));
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      name: "DatafoldValidationError",
      status: 422,
      attempts: 1,
      errors: fastApi422.detail,
    });
  });

  it("recognises its errors from another realm by the brand they carry, where the constructors differ", () => {
    // What another copy of the package (the CommonJS build beside the ES module one) or a vm context
    // makes: a different class, carrying the same brand.
    const brand = Symbol.for("@datafold-ci/client.error-lineage");
    const foreign = runInNewContext(
      `const e = new Error("from elsewhere"); e.name = "DatafoldNotFoundError"; e.status = 404;
       Object.defineProperty(e, brand, { value: ["DatafoldNotFoundError", "DatafoldApiError", "DatafoldError"] }); e`,
      { brand },
    );
    expect(foreign instanceof Error).toBe(false);
    expect(foreign).toBeInstanceOf(DatafoldNotFoundError);
    expect(foreign).toBeInstanceOf(DatafoldApiError);
    expect(foreign).toBeInstanceOf(DatafoldError);
    expect(foreign).not.toBeInstanceOf(DatafoldInputError);
  });

  it("is not fooled by a look-alike with the same name, nor by non-errors", () => {
    for (const value of [
      null,
      undefined,
      "DatafoldError",
      { name: "DatafoldApiError", status: 404 },
      Object.assign(new Error("x"), { name: "DatafoldNotFoundError" }),
    ]) {
      expect(value instanceof DatafoldError).toBe(false);
      expect(value instanceof DatafoldApiError).toBe(false);
    }
  });
});
