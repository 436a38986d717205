/**
 * The requests the conformance test sends to both the independent FastAPI app and the testing kit, with
 * what each must answer. Written from Datafold's documentation of its CI operations and FastAPI's
 * documented behaviour (docs/datafold-facts.md, "Datafold CI API" and "FastAPI version policy"),
 * deliberately NOT derived from packages/api-description: an independent check must not share the code it checks.
 *
 * `expect` is what FastAPI 0.122–0.131 with pydantic v2 answers (Datafold runs pydantic v2; its FastAPI
 * version is not public, and the testing kit follows that range: 401 for a missing key, a body without
 * Content-Type read as JSON), so what the kit must answer. `deviations` list, with the reason, every known
 * way another FastAPI or pydantic legitimately answers a different status or `loc` list; the stand-in is
 * whatever the machine has (Debian bookworm: FastAPI 0.92 with pydantic 1.10). The test fails on any other
 * difference, and on a deviation that changes neither status nor `loc` lists.
 */

export type Loc = readonly (string | number)[];

/** One 422 item: its `loc`, its pydantic v2 error `type`, and the v1 `type` where v1 answers it too. */
export type ErrorItem = readonly [loc: Loc, type: string, v1Type?: string];

/** What a server must answer, reduced to what the implementations can share. */
export interface Answer {
  readonly status: number;
  /** A 422's `detail` items, in order. */
  readonly errors?: readonly ErrorItem[];
  /** The `detail` string of another error, where the wording is FastAPI's own (not an auth check's). */
  readonly detail?: string;
  /** A redirect's `Location` path. */
  readonly location?: string;
}

/** A request, spelled out byte for byte. */
export interface RawRequest {
  /** @default "POST" */
  readonly method?: string;
  /** @default "/api/v1/ci/42/trigger" */
  readonly path?: string;
  /** `{key}` is replaced by the servers' API key; `null` sends no header. @default "Key {key}" */
  readonly authorization?: string | null;
  /** `null` sends no header. @default "application/json" */
  readonly contentType?: string | null;
  /** Raw bytes or text; not sent with GET. @default {@link VALID_BODY} */
  readonly body?: string | Uint8Array;
}

/** A known, legitimate way the stand-in answers differently: never a bug in either implementation. */
export interface Deviation {
  /**
   * When it applies: the stand-in runs pydantic 1, or a FastAPI in the range named, or always ("stand-in":
   * a choice the contract leaves to each implementation).
   */
  readonly when: "pydantic v1" | "FastAPI < 0.122" | "FastAPI >= 0.132" | "stand-in";
  readonly answer: Answer;
  readonly why: string;
}

export interface ConformanceCase {
  readonly name: string;
  readonly request: RawRequest;
  readonly expect: Answer;
  readonly deviations?: readonly Deviation[];
}

export const PR_FIELDS = ["pr_number", "pr_branch", "base_branch", "pr_sha", "base_sha"] as const;

export const VALID_DETAILS = {
  pr_number: 7,
  pr_branch: "feature/x",
  base_branch: "main",
  pr_sha: "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d",
  base_sha: "9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c",
} as const;
export const VALID_BODY = JSON.stringify(VALID_DETAILS);

/** "List CI runs" and "Upload PR/MR changes" for config 42 and the PR of {@link VALID_DETAILS}. */
export const RUNS_PATH = "/api/v1/ci/42/runs";
export const UPLOAD_PATH = "/api/v1/ci/42/7";
const DIFF = { prod: "analytics.orders", pr: "pr_7.orders", pk: ["id"] };
const diffs = (...items: unknown[]) => JSON.stringify(items);

const withFields = (fields: Record<string, unknown>) => JSON.stringify({ ...VALID_DETAILS, ...fields });
const without = (field: string) =>
  JSON.stringify(Object.fromEntries(Object.entries(VALID_DETAILS).filter(([name]) => name !== field)));
/** VALID_BODY with pr_number's value replaced by raw JSON text (7.0, NaN), which JSON.stringify cannot write. */
const withRawPrNumber = (raw: string) => VALID_BODY.replace('"pr_number":7', `"pr_number":${raw}`);

const OK: Answer = { status: 200 };
const invalid = (...errors: ErrorItem[]): Answer => ({ status: 422, errors });
const missing = (...loc: Loc): ErrorItem => [loc, "missing", "value_error.missing"];
const notADict: ErrorItem = [["body"], "model_attributes_type", "type_error.dict"];
const notAList = (...loc: Loc): ErrorItem => [loc, "list_type", "type_error.list"];
const notAnInteger = (...loc: Loc): ErrorItem => [loc, "int_parsing", "type_error.integer"];
const badJson = (position: number): ErrorItem => [
  ["body", position],
  "json_invalid",
  "value_error.jsondecode",
];
const notAuthenticated = (status: number): Answer => ({ status, detail: "Not authenticated" });

// Reasons shared by several rows.
const V1_ACCEPTS: Omit<Deviation, "why"> = { when: "pydantic v1", answer: OK };
const MISSING_KEY: Deviation = {
  when: "FastAPI < 0.122",
  answer: notAuthenticated(403),
  why: "APIKeyHeader answers 403 for a missing header before FastAPI 0.122, 401 since (PR #13786)",
};
const MALFORMED_KEY: Deviation = {
  when: "stand-in",
  answer: { status: 403 },
  why: "the `Key ` prefix is checked by Datafold's own code, not FastAPI's; the team contract allows 401 or 403 — the kit answers 401, the stand-in 403 as FastAPI 0.92's security classes do",
};

const NON_FINITE_V1: Deviation = {
  when: "pydantic v1",
  answer: invalid([["body", "pr_number"], "finite_number", "type_error.integer"]),
  why: "pydantic v1's errors carry no `input`, so the 422 holding a non-finite number serialises",
};

/**
 * "Create a keyword monitor" (datafold_app.py; the kit serves it from fixtures/keywords-api.yaml): the keywords
 * Datafold's whole document uses beyond the CI operations' (an Enum, a Literal, lengths, bounds, a pattern, a
 * discriminated union, a tuple).
 */
export const KEYWORDS_PATH = "/api/v1/monitors/keywords";
const MONITOR = { name: "orders", kind: "diff", schedule: { type: "hourly", every: 2 }, window: [1, 2] };
const monitor = (change: Record<string, unknown>): RawRequest => ({
  path: KEYWORDS_PATH,
  body: JSON.stringify({ ...MONITOR, ...change }),
});
const TAG_IN_LOC: Omit<Deviation, "answer"> = {
  when: "pydantic v1",
  why: "pydantic v1 names a discriminated union's member in `loc` by its class (`CronSchedule`), v2 by its tag (`cron`)",
};

const KEYWORD_ROWS: readonly ConformanceCase[] = [
  { name: "keywords: a valid monitor", request: monitor({}), expect: OK },
  {
    name: "keywords: name too short (minLength)",
    request: monitor({ name: "ab" }),
    expect: invalid([["body", "name"], "string_too_short", "value_error.any_str.min_length"]),
  },
  {
    name: "keywords: name too long (maxLength)",
    request: monitor({ name: "a-long-name" }),
    expect: invalid([["body", "name"], "string_too_long", "value_error.any_str.max_length"]),
  },
  {
    name: "keywords: kind not in the Enum",
    request: monitor({ kind: "trend" }),
    expect: invalid([["body", "kind"], "enum", "type_error.enum"]),
  },
  {
    name: "keywords: version not the Literal (const)",
    request: monitor({ version: "v2" }),
    expect: invalid([["body", "version"], "literal_error", "value_error.const"]),
  },
  {
    name: "keywords: sensitivity above maximum",
    request: monitor({ sensitivity: 101 }),
    expect: invalid([["body", "sensitivity"], "less_than_equal", "value_error.number.not_le"]),
  },
  {
    name: "keywords: limit at exclusiveMaximum",
    request: monitor({ limit: 100 }),
    expect: invalid([["body", "limit"], "less_than", "value_error.number.not_lt"]),
  },
  {
    name: "keywords: code against its pattern",
    request: monitor({ code: "M-1" }),
    expect: invalid([["body", "code"], "string_pattern_mismatch", "value_error.str.regex"]),
  },
  {
    name: "keywords: schedule without its tag",
    request: monitor({ schedule: { every: 2 } }),
    expect: invalid([
      ["body", "schedule"],
      "union_tag_not_found",
      "value_error.discriminated_union.missing_discriminator",
    ]),
  },
  {
    name: "keywords: schedule with an unknown tag",
    request: monitor({ schedule: { type: "weekly" } }),
    expect: invalid([
      ["body", "schedule"],
      "union_tag_invalid",
      "value_error.discriminated_union.invalid_discriminator",
    ]),
  },
  {
    name: "keywords: schedule not an object",
    request: monitor({ schedule: "hourly" }),
    expect: invalid([
      ["body", "schedule"],
      "model_attributes_type",
      "value_error.discriminated_union.missing_discriminator",
    ]),
  },
  {
    name: "keywords: the chosen member's missing field",
    request: monitor({ schedule: { type: "cron" } }),
    expect: invalid(missing("body", "schedule", "cron", "cron")),
    deviations: [{ ...TAG_IN_LOC, answer: invalid(missing("body", "schedule", "CronSchedule", "cron")) }],
  },
  {
    name: "keywords: the chosen member's bound (minimum)",
    request: monitor({ schedule: { type: "hourly", every: 0 } }),
    expect: invalid([["body", "schedule", "hourly", "every"], "greater_than_equal"]),
    deviations: [
      {
        ...TAG_IN_LOC,
        answer: invalid([["body", "schedule", "HourlySchedule", "every"], "", "value_error.number.not_ge"]),
      },
    ],
  },
  {
    name: "keywords: a tuple one item short",
    request: monitor({ window: [1] }),
    expect: invalid(missing("body", "window", 1)),
    deviations: [
      {
        when: "pydantic v1",
        answer: invalid([["body", "window"], "", "value_error.tuple.length"]),
        why: "pydantic v1 reports a tuple's wrong length at the tuple; v2 reports each missing position as missing",
      },
    ],
  },
  {
    name: "keywords: a tuple one item long",
    request: monitor({ window: [1, 2, 3] }),
    expect: invalid([["body", "window"], "too_long", "value_error.tuple.length"]),
  },
  {
    name: "keywords: a tuple's item of the wrong type",
    request: monitor({ window: [1, "x"] }),
    expect: invalid([["body", "window", 1], "int_parsing", "type_error.integer"]),
  },
  {
    name: "keywords: a tuple that is no list",
    request: monitor({ window: "x" }),
    expect: invalid([["body", "window"], "tuple_type", "type_error.tuple"]),
  },
];

export const CONFORMANCE_TABLE: readonly ConformanceCase[] = [
  { name: "a valid trigger", request: {}, expect: OK },

  ...PR_FIELDS.map((field): ConformanceCase => ({
    name: `${field} missing`,
    request: { body: without(field) },
    expect: invalid(missing("body", field)),
  })),

  {
    name: 'pr_number "abc"',
    request: { body: withFields({ pr_number: "abc" }) },
    expect: invalid([["body", "pr_number"], "int_parsing", "type_error.integer"]),
  },
  // Both parse numeric strings in lax mode.
  { name: 'pr_number "12"', request: { body: withFields({ pr_number: "12" }) }, expect: OK },
  {
    name: "pr_number 1.5",
    request: { body: withFields({ pr_number: 1.5 }) },
    expect: invalid([["body", "pr_number"], "int_from_float"]),
    deviations: [
      { ...V1_ACCEPTS, why: "pydantic v1 truncates floats (int(1.5) == 1); v2 refuses a fractional part" },
    ],
  },
  // A float with no fractional part is an int to both.
  { name: "pr_number 7.0", request: { body: withRawPrNumber("7.0") }, expect: OK },
  // Lax mode takes a bool for an int in both (true → 1).
  { name: "pr_number true", request: { body: withFields({ pr_number: true }) }, expect: OK },
  {
    name: "pr_number null",
    request: { body: withFields({ pr_number: null }) },
    expect: invalid([["body", "pr_number"], "int_type", "type_error.none.not_allowed"]),
  },
  {
    // Python's json module accepts NaN and Infinity (JavaScript's JSON.parse does not), so they reach validation.
    name: "pr_number NaN",
    request: { body: withRawPrNumber("NaN") },
    // Python's json reads NaN; pydantic v2's error echoes it as `input`, and Starlette's JSONResponse
    // serialises with allow_nan=False, so FastAPI fails to write its own 422 and answers 500.
    expect: { status: 500 },
    deviations: [NON_FINITE_V1],
  },
  {
    name: "pr_number Infinity",
    request: { body: withRawPrNumber("Infinity") },
    // Python's json reads Infinity; pydantic v2's error echoes it as `input`, and Starlette's JSONResponse
    // serialises with allow_nan=False, so FastAPI fails to write its own 422 and answers 500.
    expect: { status: 500 },
    deviations: [NON_FINITE_V1],
  },
  {
    // pydantic v2 strips decimal zeros from a numeric string before parsing an int; v1's int("1.0") fails.
    name: 'pr_number "1.0"',
    request: { body: withFields({ pr_number: "1.0" }) },
    expect: OK,
    deviations: [
      {
        when: "pydantic v1",
        answer: invalid([["body", "pr_number"], "int_parsing", "type_error.integer"]),
        why: 'pydantic v1 parses with int(), which refuses "1.0"; v2 takes it as 1',
      },
    ],
  },

  {
    name: "pr_branch 123",
    request: { body: withFields({ pr_branch: 123 }) },
    expect: invalid([["body", "pr_branch"], "string_type"]),
    deviations: [{ ...V1_ACCEPTS, why: "pydantic v1 coerces numbers to str (123 → '123'); v2 refuses them" }],
  },
  {
    name: "pr_branch null",
    request: { body: withFields({ pr_branch: null }) },
    expect: invalid([["body", "pr_branch"], "string_type", "type_error.none.not_allowed"]),
  },
  // The spec sets no minLength: the server takes "" (our client refuses it before sending).
  { name: 'pr_branch ""', request: { body: withFields({ pr_branch: "" }) }, expect: OK },
  { name: "an extra field", request: { body: withFields({ pr_title: "Fix orders" }) }, expect: OK },

  // FastAPI reports where json.loads stopped: ["body", <character offset>].
  { name: "body not JSON", request: { body: "not json" }, expect: invalid(badJson(0)) },
  {
    name: "body truncated JSON",
    request: { body: '{"pr_number": 7, "pr_branch": ' },
    expect: invalid(badJson(30)),
  },
  {
    name: "body JSON with a trailing comma",
    request: { body: '{"pr_number": 7,}' },
    expect: invalid(badJson(16)),
  },
  {
    // json.loads raises UnicodeDecodeError, not JSONDecodeError: FastAPI's catch-all answers 400.
    name: "body not UTF-8",
    request: { body: Uint8Array.from([...Buffer.from(VALID_BODY.slice(0, -2)), 0xff, ...Buffer.from('"}')]) },
    expect: { status: 400, detail: "There was an error parsing the body" },
  },
  {
    // Python's json.loads detects UTF-16 and UTF-32 in bytes (RFC 4627's rule), on every FastAPI.
    name: "body JSON in UTF-16",
    request: { body: Uint8Array.from(Buffer.from(VALID_BODY, "utf16le")) },
    expect: OK,
  },
  { name: "empty body", request: { body: "" }, expect: invalid(missing("body")) },
  { name: "body JSON null", request: { body: "null" }, expect: invalid(missing("body")) },
  {
    name: "body JSON array []",
    request: { body: "[]" },
    expect: invalid(notADict),
    deviations: [
      {
        when: "pydantic v1",
        answer: invalid(...PR_FIELDS.map((field) => missing("body", field))),
        why: "pydantic v1 converts a non-dict with dict(value): dict([]) == {}, so each field is missing; v2 refuses the array",
      },
    ],
  },
  { name: "body JSON array [1, 2]", request: { body: "[1, 2]" }, expect: invalid(notADict) },
  { name: 'body JSON string "x"', request: { body: '"x"' }, expect: invalid(notADict) },

  {
    name: "content-type application/json; charset=utf-8",
    request: { contentType: "application/json; charset=utf-8" },
    expect: OK,
  },
  {
    name: "content-type application/vnd.api+json",
    request: { contentType: "application/vnd.api+json" },
    expect: OK,
  },
  // Not JSON by its content type: the raw bytes reach validation.
  { name: "content-type text/plain", request: { contentType: "text/plain" }, expect: invalid(notADict) },
  {
    name: "no content-type",
    request: { contentType: null },
    expect: OK,
    deviations: [
      {
        when: "FastAPI >= 0.132",
        answer: invalid(notADict),
        why: "FastAPI 0.132's strict_content_type (PR #14978) stops reading a body without Content-Type as JSON",
      },
    ],
  },

  {
    name: 'path ci_config_id "abc"',
    request: { path: "/api/v1/ci/abc/trigger" },
    expect: invalid([["path", "ci_config_id"], "int_parsing", "type_error.integer"]),
  },
  {
    name: 'path ci_config_id "abc" and body {}',
    request: { path: "/api/v1/ci/abc/trigger", body: "{}" },
    expect: invalid(
      [["path", "ci_config_id"], "int_parsing", "type_error.integer"],
      ...PR_FIELDS.map((field) => missing("body", field)),
    ),
  },
  // The spec sets no minimum.
  { name: "path ci_config_id -1", request: { path: "/api/v1/ci/-1/trigger" }, expect: OK },
  {
    name: "unknown route",
    // Not …/42/nope: with the upload route, that is an upload whose pr_num "nope" is not an integer.
    request: { path: "/api/v1/ci/42/trigger/nope" },
    expect: { status: 404, detail: "Not Found" },
  },
  {
    name: "wrong method (GET)",
    request: { method: "GET" },
    expect: { status: 405, detail: "Method Not Allowed" },
  },
  {
    // Starlette's redirect_slashes; 307 keeps the method and body.
    name: "trailing slash",
    request: { path: "/api/v1/ci/42/trigger/" },
    expect: { status: 307, location: "/api/v1/ci/42/trigger" },
  },

  {
    name: "auth missing",
    request: { authorization: null },
    expect: notAuthenticated(401),
    deviations: [MISSING_KEY],
  },
  {
    name: "auth malformed (Bearer)",
    request: { authorization: "Bearer {key}" },
    expect: { status: 401 },
    deviations: [MALFORMED_KEY],
  },
  {
    name: "auth malformed (the bare key, no scheme)",
    request: { authorization: "{key}" },
    expect: { status: 401 },
    deviations: [MALFORMED_KEY],
  },
  { name: "auth wrong key", request: { authorization: "Key wrong-key" }, expect: { status: 403 } },
  {
    // FastAPI runs the route's dependencies (auth) before it validates parameters and body...
    name: "auth missing and body {}",
    request: { authorization: null, body: "{}" },
    expect: notAuthenticated(401),
    deviations: [MISSING_KEY],
  },
  {
    name: "auth wrong key and body {}",
    request: { authorization: "Key wrong-key", body: "{}" },
    expect: { status: 403 },
  },
  {
    name: 'auth wrong key and path "abc"',
    request: { authorization: "Key wrong-key", path: "/api/v1/ci/abc/trigger" },
    expect: { status: 403 },
  },
  {
    // ...but parses a JSON body before any dependency runs.
    name: "auth missing and body not JSON",
    request: { authorization: null, body: "{" },
    expect: invalid(badJson(1)),
  },

  // "List CI runs": pr_num is a string query parameter there; limit and offset are integers.
  { name: "list runs", request: { method: "GET", path: RUNS_PATH }, expect: OK },
  {
    name: "list runs with every filter",
    request: { method: "GET", path: `${RUNS_PATH}?pr_sha=${VALID_DETAILS.pr_sha}&pr_num=7&limit=1&offset=0` },
    expect: OK,
  },
  {
    name: 'list runs, pr_num "abc" (a string)',
    request: { method: "GET", path: `${RUNS_PATH}?pr_num=abc` },
    expect: OK,
  },
  {
    name: 'list runs, limit "ten" and offset "1.5"',
    request: { method: "GET", path: `${RUNS_PATH}?limit=ten&offset=1.5` },
    expect: invalid(notAnInteger("query", "limit"), notAnInteger("query", "offset")),
  },
  {
    name: 'list runs, config id "abc" and limit "x"',
    request: { method: "GET", path: "/api/v1/ci/abc/runs?limit=x" },
    expect: invalid(notAnInteger("path", "ci_config_id"), notAnInteger("query", "limit")),
  },
  {
    name: "list runs, auth missing",
    request: { method: "GET", path: RUNS_PATH, authorization: null },
    expect: notAuthenticated(401),
    deviations: [MISSING_KEY],
  },
  {
    name: "list runs, wrong method (DELETE)",
    request: { method: "DELETE", path: RUNS_PATH },
    expect: { status: 405, detail: "Method Not Allowed" },
  },

  // "Upload PR/MR changes": a list of CiDiff for an integer pr_num in the path.
  { name: "upload", request: { path: UPLOAD_PATH, body: diffs(DIFF) }, expect: OK },
  { name: "upload, no diffs", request: { path: UPLOAD_PATH, body: "[]" }, expect: OK },
  {
    // pk is a set[str]: pydantic removes duplicates instead of refusing them.
    name: "upload, duplicate pk columns",
    request: { path: UPLOAD_PATH, body: diffs({ ...DIFF, pk: ["id", "id"] }) },
    expect: OK,
  },
  { name: "upload, pk null", request: { path: UPLOAD_PATH, body: diffs({ ...DIFF, pk: null }) }, expect: OK },
  {
    name: "upload, for a PR with no run",
    request: { path: "/api/v1/ci/42/404", body: diffs(DIFF) },
    expect: OK,
  },
  {
    name: "upload, body an object, not a list",
    request: { path: UPLOAD_PATH, body: JSON.stringify(DIFF) },
    expect: invalid(notAList("body")),
  },
  {
    name: "upload, second diff missing prod",
    request: { path: UPLOAD_PATH, body: diffs(DIFF, { pr: "x" }) },
    expect: invalid(missing("body", 1, "prod")),
  },
  {
    name: "upload, a diff that is not an object",
    request: { path: UPLOAD_PATH, body: "[1]" },
    expect: invalid([["body", 0], "model_attributes_type", "type_error.dict"]),
  },
  {
    name: 'upload, include_columns "id"',
    request: { path: UPLOAD_PATH, body: diffs({ ...DIFF, include_columns: "id" }) },
    expect: invalid(notAList("body", 0, "include_columns")),
  },
  {
    name: 'upload, pr_num "abc" and body {}',
    request: { path: "/api/v1/ci/42/abc", body: "{}" },
    expect: invalid(notAnInteger("path", "pr_num"), notAList("body")),
  },
  {
    name: "upload, auth missing",
    request: { path: UPLOAD_PATH, body: diffs(DIFF), authorization: null },
    expect: notAuthenticated(401),
    deviations: [MISSING_KEY],
  },

  // Literal routes first, as FastAPI registers them: POST …/42/trigger is the trigger (every row above),
  // but POST …/42/runs matches only the upload, whose pr_num "runs" is not an integer.
  {
    name: 'POST …/42/runs is an upload with pr_num "runs"',
    request: { path: RUNS_PATH, body: "[]" },
    expect: invalid(notAnInteger("path", "pr_num")),
  },
  {
    name: "GET …/42/7 is the upload's path with the wrong method",
    request: { method: "GET", path: UPLOAD_PATH },
    expect: { status: 405, detail: "Method Not Allowed" },
  },
  ...KEYWORD_ROWS,
];
