/**
 * The testing kit, the client and the CLI checked against an independent implementation of the endpoint
 * (a mock written from the same spec would share the code's mistakes): a real FastAPI app
 * (datafold_app.py) and the testing kit get the same raw requests and must answer the same status and `loc`
 * lists, except where request-table.ts explains why not; then the built client and CLI run against FastAPI.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { type DatafoldClient, createDatafoldClient } from "../../packages/client/dist/index.js";
import {
  fakeClock,
  fakeValue,
  type MockDatafold,
  startMockDatafold,
} from "../../packages/testing/dist/index.js";
import { createDatafoldSimulator } from "../../packages/testing/src/datafold-simulator.js";
import { serveSimulator } from "../../packages/testing/src/mock-datafold.js";
import { describe as describeDocument, runtimeOnly } from "../codegen/emit-operations.js";
import { parseSpecDocument } from "../codegen/spec-documents.js";
import { type FastApiApp, findFastApiPython, startFastApiApp } from "./fastapi-app.js";
import {
  type Answer,
  CONFORMANCE_TABLE,
  type ConformanceCase,
  type Deviation,
  KEYWORDS_PATH,
  type Loc,
  type RawRequest,
  VALID_BODY,
  VALID_DETAILS,
} from "./request-table.js";

const CLI_BIN = join(import.meta.dirname, "../../packages/cli/bin/datafold-ci.js");
const TRIGGER_PATH = "/api/v1/ci/42/trigger";
const API_KEY = `conformance-key-${randomUUID()}`;
const WRONG_KEY = `wrong-key-${randomUUID()}`;

const python = findFastApiPython();
// CI names its Python (GitHub CI installs a pinned FastAPI, docs/datafold-facts.md "FastAPI version policy"),
// so there a named Python without FastAPI fails rather than skipping the suite.
if (!python.found && process.env.CONFORMANCE_PYTHON)
  throw new Error(`CONFORMANCE_PYTHON=${process.env.CONFORMANCE_PYTHON}: ${python.reason}`);
if (!python.found) console.warn(`conformance tests skipped: ${python.reason}`);

/** A server's answer as sent. */
interface Reply {
  readonly status: number;
  readonly json: unknown;
  readonly location: string | null;
}

/** A reply reduced to an {@link Answer}'s terms, types as the server wrote them. */
interface Observed {
  readonly status: number;
  readonly errors?: readonly (readonly [Loc, unknown])[];
  readonly detail?: unknown;
  readonly location?: string;
}

async function send(baseUrl: string, request: RawRequest): Promise<Reply> {
  const method = request.method ?? "POST";
  const headers: Record<string, string> = {};
  const authorization = request.authorization === undefined ? "Key {key}" : request.authorization;
  if (authorization !== null) headers.authorization = authorization.replaceAll("{key}", API_KEY);
  const contentType = request.contentType === undefined ? "application/json" : request.contentType;
  if (contentType !== null) headers["content-type"] = contentType;
  const body = request.body ?? VALID_BODY;
  const response = await fetch(baseUrl + (request.path ?? TRIGGER_PATH), {
    method,
    headers,
    redirect: "manual",
    // Bytes, never a string: fetch gives a string body "content-type: text/plain" of its own.
    ...(method === "GET" ? {} : { body: typeof body === "string" ? Buffer.from(body) : body }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json, location: response.headers.get("location") };
}

/** Keeps what `expected` constrains (a `detail` string only where the row names one), and every 422 item. */
function observe(reply: Reply, expected: Answer): Observed {
  const detail = (reply.json as { detail?: unknown } | null)?.detail;
  return {
    status: reply.status,
    ...(Array.isArray(detail)
      ? { errors: detail.map((item: { loc?: Loc; type?: unknown }) => [item.loc ?? [], item.type] as const) }
      : {}),
    ...(expected.detail === undefined ? {} : { detail }),
    ...(reply.location === null ? {} : { location: new URL(reply.location, "http://x").pathname }),
  };
}

/** A 200's body: `{id}` for a keyword monitor, a list of runs for a GET, else a `SubmitCiJob` (ids null when no run took the call). */
function expectSuccessShape(reply: Reply, method = "POST", path = ""): void {
  if (path.startsWith(KEYWORDS_PATH)) {
    expect.soft(reply.json).toEqual({ id: expect.any(Number) });
    return;
  }
  if (method === "GET") {
    expect.soft(reply.json).toEqual(expect.any(Array));
    return;
  }
  const ids = Object.entries(reply.json as object).map(([name, value]) => [
    name,
    value === null || Number.isInteger(value),
  ]);
  expect.soft(ids.sort()).toEqual([
    ["ci_run_id", true],
    ["run_id", true],
  ]);
}

/** Whether a `SubmitCiJob` names a run; `undefined` for any other body. */
const namesARun = (json: unknown) =>
  json !== null && typeof json === "object" && "ci_run_id" in json ? json.ci_run_id !== null : undefined;

/** The field names of the first listed run, sorted; `undefined` for an empty list or another body. */
const runFields = (json: unknown) =>
  Array.isArray(json) && json.length > 0 ? Object.keys(json[0] as object).sort() : undefined;

const statusAndLocs = (answer: Observed | Answer) => ({
  status: answer.status,
  locs: answer.errors?.map(([loc]) => loc),
});

/** The testing kit must answer the row's `expect`, with pydantic v2's types. */
function kitExpectation(row: ConformanceCase): Observed {
  const { errors, ...rest } = row.expect;
  return errors ? { ...rest, errors: errors.map(([loc, type]) => [loc, type] as const) } : rest;
}

function olderThan(version: string, than: readonly number[]): boolean {
  const parts = version.split(".").map(Number);
  for (const [i, part] of than.entries()) if ((parts[i] ?? 0) !== part) return (parts[i] ?? 0) < part;
  return false;
}

/** The deviation that applies to the FastAPI and pydantic serving, if any. */
function deviationFor(row: ConformanceCase, fastapi: string, pydantic: string): Deviation | undefined {
  const applies = (when: Deviation["when"]) =>
    when === "stand-in" ||
    (when === "pydantic v1" && pydantic.startsWith("1.")) ||
    (when === "FastAPI < 0.122" && olderThan(fastapi, [0, 122])) ||
    (when === "FastAPI >= 0.132" && !olderThan(fastapi, [0, 132]));
  return row.deviations?.findLast((deviation) => applies(deviation.when));
}

function standInExpectation(row: ConformanceCase, fastapi: string, pydantic: string): Observed {
  const { errors, ...rest } = deviationFor(row, fastapi, pydantic)?.answer ?? row.expect;
  if (!errors) return rest;
  const v1 = pydantic.startsWith("1.");
  return {
    ...rest,
    errors: errors.map(([loc, type, v1Type]) => {
      if (v1 && v1Type === undefined)
        throw new Error(`request-table.ts: "${row.name}" needs a v1 type at ${loc}`);
      return [loc, v1 ? v1Type : type] as const;
    }),
  };
}

function runCli(args: readonly string[], env: Readonly<Record<string, string>>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI_BIN, ...args],
      // Only what the test gives: CI variables of wherever the tests run must not leak in.
      { cwd: tmpdir(), env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") reject(error);
        else resolve({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr });
      },
    );
  });
}

/** A GitLab merge request pipeline, copied from packages/cli/test/fixtures/ci-environments.ts. */
const GITLAB_MR_ENV = {
  CI: "true",
  GITLAB_CI: "true",
  CI_PIPELINE_SOURCE: "merge_request_event",
  CI_MERGE_REQUEST_ID: "182736450",
  CI_MERGE_REQUEST_IID: "7",
  CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: "feature/x",
  CI_MERGE_REQUEST_TARGET_BRANCH_NAME: "main",
  CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: "",
  CI_MERGE_REQUEST_TARGET_BRANCH_SHA: "",
  CI_MERGE_REQUEST_DIFF_BASE_SHA: VALID_DETAILS.base_sha,
  CI_COMMIT_SHA: VALID_DETAILS.pr_sha,
  CI_COMMIT_REF_NAME: "feature/x",
  CI_PROJECT_PATH: "octo/warehouse",
};

/**
 * {@link VALID_DETAILS} as the client's trigger body: the same five values, plus whatever else the spec
 * requires (nothing today), so a spec that adds a required field still compiles this file.
 */
const TRIGGER_BODY = fakeValue("triggerPrRun", "body", VALID_DETAILS);

/** The official CLI's six flags for {@link VALID_DETAILS}, config id 42. */
const prFlags = (prNum = String(VALID_DETAILS.pr_number)) =>
  [
    ["--ci-config-id", "42"],
    ["--pr-num", prNum],
    ["--pr-branch", VALID_DETAILS.pr_branch],
    ["--base-branch", VALID_DETAILS.base_branch],
    ["--pr-sha", VALID_DETAILS.pr_sha],
    ["--base-sha", VALID_DETAILS.base_sha],
  ].flat();

describe.skipIf(!python.found)(
  `against an independent FastAPI implementation (${python.found ? `FastAPI ${python.fastapi}, pydantic ${python.pydantic}` : "not installed"})`,
  () => {
    const { fastapi, pydantic } = python.found ? python : { fastapi: "", pydantic: "" };
    let app: FastApiApp;
    let kit: MockDatafold;
    // The kit serving fixtures/keywords-api.yaml, described as `pnpm generate` describes spec/.
    let keywordsKit: MockDatafold;
    const printed: string[] = [];

    beforeAll(async () => {
      if (!python.found) return;
      const keywords = parseSpecDocument(
        "keywords-api.yaml",
        await readFile(new URL("fixtures/keywords-api.yaml", import.meta.url)),
      );
      const api = runtimeOnly(describeDocument(keywords, { file: "none", operations: new Map() }));
      [app, kit, keywordsKit] = await Promise.all([
        startFastApiApp(python.command, API_KEY),
        // A clock that never moves keeps every run unfinished, as the stand-in's runs are.
        startMockDatafold({ apiKey: API_KEY, clock: fakeClock() }),
        serveSimulator(createDatafoldSimulator(api, { apiKey: API_KEY }, "conformance"), {}, "conformance"),
      ]);
    });
    afterAll(async () => {
      await Promise.all([app?.close(), kit?.close(), keywordsKit?.close()]);
      // CONFORMANCE_PRINT=1 prints the comparison as a markdown table (README.md holds a copy).
      if (process.env.CONFORMANCE_PRINT && printed.length > 0)
        console.log(
          [
            `| request | FastAPI ${fastapi} / pydantic ${pydantic} | testing kit | verdict |`,
            "| --- | --- | --- | --- |",
            ...printed,
          ].join("\n"),
        );
    });

    /** How many requests have reached FastAPI so far. */
    const requestCount = async () => (await app.requests()).length;

    describe("the testing kit answers every request of the table with FastAPI's status and loc lists", () => {
      it("every deviation in the table changes a status or a loc list (else it explains nothing)", () => {
        for (const row of CONFORMANCE_TABLE)
          for (const deviation of row.deviations ?? [])
            expect(statusAndLocs(deviation.answer), `${row.name}: ${deviation.why}`).not.toEqual(
              statusAndLocs(row.expect),
            );
      });

      /** Both servers' answers to a row, sent once however many tests look at them. */
      const exchanges = new Map<ConformanceCase, Promise<{ fastApi: Reply; kit: Reply }>>();
      const exchange = (row: ConformanceCase) => {
        if (!exchanges.has(row))
          exchanges.set(
            row,
            Promise.all([
              send(app.url, row.request),
              send((row.request.path?.startsWith(KEYWORDS_PATH) ? keywordsKit : kit).url, row.request),
            ]).then(([fromFastApi, fromKit]) => {
              printed.push(printRow(row, observe(fromFastApi, row.expect), observe(fromKit, row.expect)));
              return { fastApi: fromFastApi, kit: fromKit };
            }),
          );
        return exchanges.get(row)!;
      };

      function printRow(row: ConformanceCase, fromFastApi: Observed, fromKit: Observed): string {
        const show = (answer: Observed) =>
          [
            answer.status,
            ...(answer.errors ?? []).map(([loc, type]) => `${JSON.stringify(loc)} ${type}`),
          ].join(" ");
        const deviation = deviationFor(row, fastapi, pydantic);
        const verdict =
          JSON.stringify(statusAndLocs(fromFastApi)) === JSON.stringify(statusAndLocs(fromKit))
            ? "same status and locs"
            : deviation
              ? `known (${deviation.when}): ${deviation.why}`
              : "**MISMATCH**";
        return `| ${row.name} | ${show(fromFastApi)} | ${show(fromKit)} | ${verdict} |`;
      }

      /** The table is right about real FastAPI (types included, in its pydantic's spelling). */
      async function fastApiAnswersAsTheTableSays(row: ConformanceCase) {
        const { fastApi } = await exchange(row);
        expect.soft(observe(fastApi, row.expect)).toEqual(standInExpectation(row, fastapi, pydantic));
        if (fastApi.status === 200) expectSuccessShape(fastApi, row.request.method, row.request.path);
      }

      /** The conformance claim: the kit answers FastAPI's status and loc lists unless the table says why not. */
      async function kitAnswersAsFastApi(row: ConformanceCase) {
        const { fastApi, kit } = await exchange(row);
        const fromKit = observe(kit, row.expect);
        if (!deviationFor(row, fastapi, pydantic))
          expect
            .soft(statusAndLocs(fromKit), "status and locs, vs FastAPI's")
            .toEqual(statusAndLocs(observe(fastApi, row.expect)));
        // ...and exactly what FastAPI on pydantic v2 answers, types included.
        expect.soft(fromKit, "the whole answer, vs the table's").toEqual(kitExpectation(row));
        if (kit.status === 200) {
          expectSuccessShape(kit, row.request.method, row.request.path);
          // Both hold runs for the same PRs: an upload finds a run on both or on neither, and a
          // listed run has the same fields.
          if (fastApi.status === 200) {
            expect.soft(namesARun(kit.json), "an upload found a run").toBe(namesARun(fastApi.json));
            expect.soft(runFields(kit.json), "a listed run's fields").toEqual(runFields(fastApi.json));
          }
        }
      }

      for (const row of CONFORMANCE_TABLE)
        it(row.name, async () => {
          await fastApiAnswersAsTheTableSays(row);
          await kitAnswersAsFastApi(row);
        });
    });

    describe("the client", () => {
      let client: DatafoldClient;
      beforeAll(() => {
        client = createDatafoldClient({ baseUrl: app.url, apiKey: API_KEY, env: {} });
      });

      it("triggers a run and returns the run id FastAPI assigned, having sent the five values as given", async () => {
        const job = await client.triggerPrRun(42, TRIGGER_BODY);
        const run = (await app.runs()).at(-1);
        expect(job).toEqual({ ci_run_id: run?.run_id, run_id: run?.run_id });
        expect(run?.ci_config_id).toBe(42);
        const request = (await app.requests()).at(-1);
        expect(request?.path).toBe(TRIGGER_PATH);
        // The raw body, not what pydantic v1 made of it: v1 would quietly turn "7" into 7.
        expect(JSON.parse(request?.body ?? "")).toStrictEqual(VALID_DETAILS);
      });

      const withDetail = (field: string, value: unknown) => ({ ...VALID_DETAILS, [field]: value });
      it.each([
        { what: "ci_config_id 0", field: "ci_config_id", ciConfigId: 0, details: VALID_DETAILS },
        { what: "ci_config_id 1.5", field: "ci_config_id", ciConfigId: 1.5, details: VALID_DETAILS },
        {
          what: "pr_number 0",
          field: "details.pr_number",
          ciConfigId: 42,
          details: withDetail("pr_number", 0),
        },
        // FastAPI 0.92 would take these two and start a run for PR #1, or for branch "123".
        {
          what: "pr_number 1.5",
          field: "details.pr_number",
          ciConfigId: 42,
          details: withDetail("pr_number", 1.5),
        },
        {
          what: "pr_branch 123",
          field: "details.pr_branch",
          ciConfigId: 42,
          details: withDetail("pr_branch", 123),
        },
        {
          what: 'pr_number "7"',
          field: "details.pr_number",
          ciConfigId: 42,
          details: withDetail("pr_number", "7"),
        },
        {
          what: "a blank pr_branch",
          field: "details.pr_branch",
          ciConfigId: 42,
          details: withDetail("pr_branch", "  "),
        },
        {
          what: "an empty base_sha",
          field: "details.base_sha",
          ciConfigId: 42,
          details: withDetail("base_sha", ""),
        },
        {
          what: "a missing pr_sha",
          field: "details.pr_sha",
          ciConfigId: 42,
          details: withDetail("pr_sha", undefined),
        },
      ])("refuses $what before any request reaches FastAPI", async (bad) => {
        const before = await requestCount();
        const error = await client
          .triggerPrRun(
            bad.ciConfigId,
            bad.details as unknown as Parameters<DatafoldClient["triggerPrRun"]>[1],
          )
          .catch((caught: unknown) => caught);
        expect(error).toMatchObject({
          name: "DatafoldInputError",
          issues: [expect.objectContaining({ field: bad.field })],
        });
        expect(String((error as Error).message)).toContain(bad.field);
        expect(await requestCount()).toBe(before);
      });

      it("refuses a missing API key before any request reaches FastAPI", async () => {
        const before = await requestCount();
        // The client checks its options up front, so this throws as the client is created.
        const error = await Promise.resolve()
          .then(() => createDatafoldClient({ baseUrl: app.url, env: {} }).triggerPrRun(42, TRIGGER_BODY))
          .catch((caught: unknown) => caught);
        expect(error).toMatchObject({
          name: "DatafoldInputError",
          issues: [expect.objectContaining({ field: "apiKey" })],
        });
        expect(await requestCount()).toBe(before);
      });

      it("reports a wrong key as DatafoldAuthError with FastAPI's detail, after one attempt, the key nowhere in it", async () => {
        const before = await requestCount();
        const error = await createDatafoldClient({ baseUrl: app.url, apiKey: WRONG_KEY, env: {} })
          .triggerPrRun(42, TRIGGER_BODY)
          .catch((caught: unknown) => caught);
        expect(error).toMatchObject({ name: "DatafoldAuthError", status: 403, detail: "Invalid API key" });
        // The look at the PR's runs (refused too, so the trigger goes ahead), then the trigger: 403 is
        // retried by neither, within maxRetries + 1.
        expect(await requestCount()).toBe(before + 2);
        const everything = [
          String(error),
          (error as Error).stack,
          JSON.stringify(error),
          String((error as Error).cause),
        ].join("\n");
        expect(everything).not.toContain(WRONG_KEY);
        expect(everything).not.toContain(API_KEY);
      });
    });

    describe("the CLI", () => {
      const env = () => ({ DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: app.url });

      it("with the official CLI's six flags: exit 0, and stdout names the run FastAPI started", async () => {
        const result = await runCli(["trigger", ...prFlags()], env());
        const run = (await app.runs()).at(-1);
        expect(result.stderr).toBe("");
        expect(result.code).toBe(0);
        expect(result.stdout).toContain(`Datafold CI run ${run?.run_id} started`);
        expect(JSON.parse((await app.requests()).at(-1)?.body ?? "")).toStrictEqual(VALID_DETAILS);
      });

      it("with --json: stdout is FastAPI's response and nothing else", async () => {
        const result = await runCli(["trigger", ...prFlags(), "--json"], env());
        const run = (await app.runs()).at(-1);
        expect(result.code).toBe(0);
        expect(JSON.parse(result.stdout)).toEqual({ ci_run_id: run?.run_id, run_id: run?.run_id });
      });

      it("in a GitLab merge request pipeline: exactly the five values reach FastAPI", async () => {
        const result = await runCli(["trigger", "--ci-config-id", "42"], { ...GITLAB_MR_ENV, ...env() });
        expect(result.code, result.stderr).toBe(0);
        const request = (await app.requests()).at(-1);
        expect(request?.path).toBe(TRIGGER_PATH);
        expect(JSON.parse(request?.body ?? "")).toStrictEqual(VALID_DETAILS);
      });

      it("with a wrong key: exit 1, FastAPI's 403 and detail, what to check, no stack trace, no key", async () => {
        const before = await requestCount();
        const result = await runCli(["trigger", ...prFlags()], { ...env(), DATAFOLD_API_KEY: WRONG_KEY });
        expect(result.code).toBe(1);
        expect(result.stdout).toBe("");
        expect(result.stderr).toContain("403");
        expect(result.stderr).toContain("Invalid API key");
        expect(result.stderr).toContain("DATAFOLD_API_KEY");
        expect(result.stderr).not.toMatch(/^\s+at /m);
        expect(result.stdout + result.stderr).not.toContain(WRONG_KEY);
        expect(await requestCount()).toBe(before + 2); // the look at the PR's runs, then the trigger
      });

      it("with a bad --pr-num: exit 2 naming the flag, and no request reaches FastAPI", async () => {
        const before = await requestCount();
        const result = await runCli(["trigger", ...prFlags("abc")], env());
        expect(result.code).toBe(2);
        expect(result.stderr).toContain("--pr-num");
        expect(await requestCount()).toBe(before);
      });
    });
  },
);
