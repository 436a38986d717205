import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockDatafold, startMockDatafold } from "../src/index.js";
import { encodeUtf16, encodeUtf32le, type SendOptions, send, triggerPath, validDetails } from "./helpers.js";

/**
 * What a FastAPI app with Datafold's signature answers, request by request: the status and, for a
 * 422, the `type` and `loc` of each detail item in order. Each expectation follows FastAPI ≥ 0.122
 * with pydantic 2 (see the README's "Fidelity" section for what was matched from source and what
 * is uncertain).
 */
interface Row {
  readonly title: string;
  readonly path?: string;
  readonly request: SendOptions;
  readonly status: number;
  /** `[type, loc]` of each 422 detail item, in order. */
  readonly detail?: readonly (readonly [string, readonly (string | number)[]])[];
  /** The exact JSON body, for non-422 answers. */
  readonly json?: unknown;
}

const without = (field: keyof typeof validDetails) => {
  const { [field]: _dropped, ...rest } = validDetails;
  return rest;
};
const withField = (field: keyof typeof validDetails, value: unknown) => ({ ...validDetails, [field]: value });

const accepted: Row[] = [
  { title: "a valid trigger", request: { body: validDetails }, status: 200 },
  {
    title: "a CI config id with leading zeros",
    path: triggerPath("007"),
    request: { body: validDetails },
    status: 200,
  },
  {
    title: "a CI config id written 3.0",
    path: triggerPath("3.0"),
    request: { body: validDetails },
    status: 200,
  },
  {
    title: "a CI config id with spaces around it (percent-encoded)",
    path: triggerPath("%209%20"),
    request: { body: validDetails },
    status: 200,
  },
  { title: "pr_number as a numeric string", request: { body: withField("pr_number", "7") }, status: 200 },
  {
    title: "pr_number as the JSON number 7.0",
    request: { body: '{"pr_number":7.0,"pr_branch":"f","base_branch":"m","pr_sha":"a","base_sha":"b"}' },
    status: 200,
  },
  {
    title: "pr_number as true (pydantic's lax mode reads it as 1)",
    request: { body: withField("pr_number", true) },
    status: 200,
  },
  {
    title: "fields Datafold does not know, which are ignored",
    request: { body: { ...validDetails, draft: true } },
    status: 200,
  },
  {
    title: "a JSON body with a charset in its content type",
    request: { body: validDetails, contentType: "application/json; charset=utf-8" },
    status: 200,
  },
  {
    title: "a JSON body typed application/vnd.api+json",
    request: { body: validDetails, contentType: "application/vnd.api+json" },
    status: 200,
  },
  {
    // Bytes, because fetch labels a string body text/plain.
    title: "a JSON body with no content type at all",
    request: { body: new TextEncoder().encode(JSON.stringify(validDetails)), contentType: null },
    status: 200,
  },
  {
    title: "a JSON body in UTF-16 with a BOM, which Python's json.loads sniffs and reads",
    request: { body: encodeUtf16(JSON.stringify(validDetails), { bom: true, bigEndian: false }) },
    status: 200,
  },
  {
    title: "a JSON body in UTF-16 big-endian without a BOM",
    request: { body: encodeUtf16(JSON.stringify(validDetails), { bom: false, bigEndian: true }) },
    status: 200,
  },
  {
    title: "a JSON body in UTF-32 little-endian without a BOM",
    request: { body: encodeUtf32le(JSON.stringify(validDetails)) },
    status: 200,
  },
  {
    title: "a JSON body in UTF-8 with a BOM",
    request: {
      body: new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(JSON.stringify(validDetails))]),
    },
    status: 200,
  },
];

const body422 = (field: string, type: string) => [type, ["body", field]] as const;

const rejected: Row[] = [
  ...(Object.keys(validDetails) as (keyof typeof validDetails)[]).map((field): Row => ({
    title: `a body without ${field}`,
    request: { body: without(field) },
    status: 422,
    detail: [body422(field, "missing")],
  })),
  {
    title: "an empty object, reporting fields in Datafold's declaration order",
    request: { body: {} },
    status: 422,
    detail: ["pr_number", "pr_branch", "base_branch", "pr_sha", "base_sha"].map((f) => body422(f, "missing")),
  },
  {
    title: "pr_number that is not a number",
    request: { body: withField("pr_number", "seven") },
    status: 422,
    detail: [body422("pr_number", "int_parsing")],
  },
  {
    title: "pr_number with a fraction",
    request: { body: withField("pr_number", 7.5) },
    status: 422,
    detail: [body422("pr_number", "int_from_float")],
  },
  {
    title: "pr_number as the string 7.5",
    request: { body: withField("pr_number", "7.5") },
    status: 422,
    detail: [body422("pr_number", "int_parsing")],
  },
  {
    title: "pr_number null",
    request: { body: withField("pr_number", null) },
    status: 422,
    detail: [body422("pr_number", "int_type")],
  },
  {
    title: "pr_number as a list",
    request: { body: withField("pr_number", [7]) },
    status: 422,
    detail: [body422("pr_number", "int_type")],
  },
  {
    title: "pr_sha as a number",
    request: { body: withField("pr_sha", 123) },
    status: 422,
    detail: [body422("pr_sha", "string_type")],
  },
  {
    title: "pr_branch null",
    request: { body: withField("pr_branch", null) },
    status: 422,
    detail: [body422("pr_branch", "string_type")],
  },
  {
    title: "base_sha as a boolean",
    request: { body: withField("base_sha", false) },
    status: 422,
    detail: [body422("base_sha", "string_type")],
  },
  {
    title: "several bad fields at once, each reported",
    request: { body: { pr_number: "x", pr_branch: 1, base_branch: "main", base_sha: "b" } },
    status: 422,
    detail: [
      body422("pr_number", "int_parsing"),
      body422("pr_branch", "string_type"),
      body422("pr_sha", "missing"),
    ],
  },
  {
    title: "a JSON array body",
    request: { body: "[]" },
    status: 422,
    detail: [["model_attributes_type", ["body"]]],
  },
  {
    title: "a JSON string body",
    request: { body: '"hello"' },
    status: 422,
    detail: [["model_attributes_type", ["body"]]],
  },
  {
    title: "a JSON null body, which FastAPI treats as no body",
    request: { body: "null" },
    status: 422,
    detail: [["missing", ["body"]]],
  },
  { title: "an empty body", request: { body: "" }, status: 422, detail: [["missing", ["body"]]] },
  { title: "no body at all", request: {}, status: 422, detail: [["missing", ["body"]]] },
  {
    title: "a body of spaces",
    request: { body: "   " },
    status: 422,
    detail: [["json_invalid", ["body", 3]]],
  },
  {
    title: "a body that is not JSON",
    request: { body: "{bad" },
    status: 422,
    detail: [["json_invalid", ["body", 1]]],
  },
  {
    title: "a body with a trailing comma",
    request: { body: '{"pr_number": 1,}' },
    status: 422,
    detail: [["json_invalid", ["body", 16]]],
  },
  {
    title: "a body with data after the JSON",
    request: { body: "{} x" },
    status: 422,
    detail: [["json_invalid", ["body", 3]]],
  },
  {
    title: "valid JSON sent as text/plain, which FastAPI does not parse",
    request: { body: validDetails, contentType: "text/plain;charset=UTF-8" },
    status: 422,
    detail: [["model_attributes_type", ["body"]]],
  },
  {
    title: "a form-encoded body",
    request: { body: "pr_number=7", contentType: "application/x-www-form-urlencoded" },
    status: 422,
    detail: [["model_attributes_type", ["body"]]],
  },
  {
    title: "a CI config id that is not a number",
    path: triggerPath("abc"),
    request: { body: validDetails },
    status: 422,
    detail: [["int_parsing", ["path", "ci_config_id"]]],
  },
  {
    title: "a CI config id with a fraction",
    path: triggerPath("1.5"),
    request: { body: validDetails },
    status: 422,
    detail: [["int_parsing", ["path", "ci_config_id"]]],
  },
  {
    title: "a bad CI config id and a bad body together, path first",
    path: triggerPath("abc"),
    request: { body: without("pr_sha") },
    status: 422,
    detail: [["int_parsing", ["path", "ci_config_id"]], body422("pr_sha", "missing")],
  },
  {
    title: "a NaN pr_number, which Python's json reads and FastAPI then fails to echo",
    request: { body: '{"pr_number":NaN,"pr_branch":"f","base_branch":"m","pr_sha":"a","base_sha":"b"}' },
    status: 500,
  },
  {
    title: "a JSON body in UTF-16 with a missing field: validated like any other",
    request: { body: encodeUtf16(JSON.stringify(without("pr_sha")), { bom: true, bigEndian: false }) },
    status: 422,
    detail: [body422("pr_sha", "missing")],
  },
  {
    title: "a JSON body that is not UTF-8",
    request: { body: new Uint8Array([0x7b, 0xff, 0x7d]) },
    status: 400,
    json: { detail: "There was an error parsing the body" },
  },
  {
    title: "an unknown route",
    path: "/api/v1/nope",
    request: { body: validDetails },
    status: 404,
    json: { detail: "Not Found" },
  },
  {
    title: "a GET of the trigger route",
    request: { method: "GET" },
    status: 405,
    json: { detail: "Method Not Allowed" },
  },
  {
    title: "no Authorization header",
    request: { body: validDetails, authorization: null },
    status: 401,
    json: { detail: "Not authenticated" },
  },
  {
    title: "an empty Authorization header",
    request: { body: validDetails, authorization: "" },
    status: 401,
    json: { detail: "Not authenticated" },
  },
  {
    title: "a Bearer token instead of Key",
    request: { body: validDetails, authorization: "Bearer whatever" },
    status: 401,
    json: { detail: "Invalid Authorization header: expected 'Key <api-key>'" },
  },
  {
    title: "the key without the Key prefix",
    request: { body: validDetails, authorization: "the-key-alone" },
    status: 401,
    json: { detail: "Invalid Authorization header: expected 'Key <api-key>'" },
  },
  {
    title: "the wrong key",
    request: { body: validDetails, authorization: "Key not-the-key" },
    status: 403,
    json: { detail: "Invalid API key" },
  },
  {
    title: "no key and a body that is not JSON: the body is read first",
    request: { body: "{bad", authorization: null },
    status: 422,
    detail: [["json_invalid", ["body", 1]]],
  },
  {
    title: "no key and a body missing fields: credentials are checked before validation",
    request: { body: {}, authorization: null },
    status: 401,
    json: { detail: "Not authenticated" },
  },
];

describe("the mock answers each request as Datafold's FastAPI does", () => {
  let mock: MockDatafold;
  beforeAll(async () => {
    mock = await startMockDatafold();
  });
  afterAll(() => mock.close());

  it.each(accepted)("accepts $title", async ({ path = triggerPath(1), request, status }) => {
    const response = await send(mock, path, request);
    expect(response.status, await response.clone().text()).toBe(status);
    expect(await response.json()).toEqual({ ci_run_id: expect.any(Number), run_id: expect.any(Number) });
  });

  it.each(rejected)(
    "rejects $title with $status",
    async ({ path = triggerPath(1), request, status, detail, json }) => {
      const response = await send(mock, path, request);
      const text = await response.text();
      expect(response.status, text).toBe(status);
      if (detail) {
        const items = (JSON.parse(text) as { detail: { type: string; loc: unknown[] }[] }).detail;
        expect(items.map((item) => [item.type, item.loc])).toEqual(detail);
      }
      if (json !== undefined) expect(JSON.parse(text)).toEqual(json);
    },
  );
});

describe("the details of FastAPI's answers", () => {
  let mock: MockDatafold;
  beforeAll(async () => {
    mock = await startMockDatafold();
  });
  afterAll(() => mock.close());

  it("words a missing field as pydantic does and echoes the whole body as its input", async () => {
    const response = await send(mock, triggerPath(1), { body: without("pr_sha") });
    expect(await response.json()).toEqual({
      detail: [{ type: "missing", loc: ["body", "pr_sha"], msg: "Field required", input: without("pr_sha") }],
    });
  });

  it("words an unparsable integer as pydantic does and echoes the string", async () => {
    const response = await send(mock, triggerPath("abc"), { body: validDetails });
    expect(await response.json()).toEqual({
      detail: [
        {
          type: "int_parsing",
          loc: ["path", "ci_config_id"],
          msg: "Input should be a valid integer, unable to parse string as an integer",
          input: "abc",
        },
      ],
    });
  });

  it("gives a body that is not JSON FastAPI's json_invalid item, with Python's message", async () => {
    const response = await send(mock, triggerPath(1), { body: '{"pr_number": 1 "pr_branch": "x"}' });
    expect(await response.json()).toEqual({
      detail: [
        {
          type: "json_invalid",
          loc: ["body", 16],
          msg: "JSON decode error",
          input: {},
          ctx: { error: "Expecting ',' delimiter" },
        },
      ],
    });
  });

  it("says a non-object body should be a dictionary, as FastAPI's from_attributes validation does", async () => {
    const response = await send(mock, triggerPath(1), { body: "[1, 2]" });
    expect(await response.json()).toEqual({
      detail: [
        {
          type: "model_attributes_type",
          loc: ["body"],
          msg: "Input should be a valid dictionary or object to extract fields from",
          input: [1, 2],
        },
      ],
    });
  });

  it("answers a missing body with input null", async () => {
    const response = await send(mock, triggerPath(1), {});
    expect(await response.json()).toEqual({
      detail: [{ type: "missing", loc: ["body"], msg: "Field required", input: null }],
    });
  });

  it("names the allowed method in Allow when the method is wrong", async () => {
    const response = await send(mock, triggerPath(1), { method: "PUT", body: validDetails });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("asks for an API key with WWW-Authenticate when none is sent", async () => {
    const response = await send(mock, triggerPath(1), { body: validDetails, authorization: null });
    expect(response.headers.get("www-authenticate")).toBe("APIKey");
  });

  it("redirects a trailing slash to the route without it, keeping the query", async () => {
    const response = await send(mock, `${triggerPath(1)}/?source=ci`, {
      body: validDetails,
      redirect: "manual",
    });
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe(`${mock.url}${triggerPath(1)}?source=ci`);
  });

  it("never echoes the key that was sent, right or wrong", async () => {
    const wrong = await send(mock, triggerPath(1), {
      body: validDetails,
      authorization: "Key sk-real-looking-key",
    });
    expect(await wrong.text()).not.toContain("sk-real-looking-key");
  });

  it("answers JSON with application/json and a content-length", async () => {
    const response = await send(mock, triggerPath(1), { body: validDetails });
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(Number(response.headers.get("content-length"))).toBe((await response.arrayBuffer()).byteLength);
  });
});
