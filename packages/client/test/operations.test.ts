import { fakeValue } from "@datafold-ci/testing";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ApiCiRun } from "@datafold-ci/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  checkInput,
  DatafoldInputError,
  DatafoldInvalidResponseError,
  DatafoldNotFoundError,
  DatafoldServerError,
} from "../src/index.js";
import { checkArguments } from "../src/check-arguments.js";
import { methodOf, testClient } from "./helpers/client.js";
import { rejectionOf } from "./helpers/secrets.js";

// listCiRuns and uploadPrChanges, generated from the spec, over a real HTTP server on loopback that
// records what arrives and answers what each test scripts.

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: string;
}

let server: Server;
let baseUrl: string;
let seen: Seen[];
let answers: { status: number; body: string; headers?: Record<string, string> }[];

beforeEach(async () => {
  seen = [];
  answers = [];
  server = createServer(async (request: IncomingMessage, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    seen.push({
      method: request.method ?? "",
      url: request.url ?? "",
      authorization: request.headers.authorization,
      body,
    });
    const answer = answers.shift() ?? { status: 500, body: '{"detail":"unscripted"}' };
    response.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
    response.end(answer.body);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

// Made from the spec, so a field Datafold adds to the run needs no edit here.
const [run] = fakeValue("listCiRuns", "result", [
  { id: 41, pr_sha: "9f1c2b7", pr_num: "42", status: "processing" },
]) as [ApiCiRun];

describe("listCiRuns", () => {
  it("sends the query, with the key, and returns Datafold's runs", async () => {
    answers.push({ status: 200, body: JSON.stringify([run, { ...run, id: 40, status: "done" }]) });
    const datafold = testClient({ baseUrl });
    const runs = await datafold.listCiRuns(7, { pr_sha: "9f1c2b7", limit: 2, offset: 0 });
    expect(runs.map((r) => [r.id, r.status])).toEqual([
      [41, "processing"],
      [40, "done"],
    ]);
    expect(seen).toEqual([
      {
        method: "GET",
        url: "/api/v1/ci/7/runs?pr_sha=9f1c2b7&limit=2&offset=0",
        authorization: `Key ${datafold.apiKey}`,
        body: "",
      },
    ]);
  });

  it("takes no query at all, and keeps a status it has never heard of", async () => {
    answers.push({ status: 200, body: JSON.stringify([{ ...run, status: "rerunning-diffs" }]) });
    const runs = await testClient({ baseUrl }).listCiRuns(7);
    expect(runs[0]?.status).toBe("rerunning-diffs");
    expect(seen[0]?.url).toBe("/api/v1/ci/7/runs");
  });

  it("refuses a bad query before sending, naming each parameter and what it expects", async () => {
    const datafold = testClient({ baseUrl });
    const error = await rejectionOf(datafold.listCiRuns(7, { pr_num: 42, limit: "10", sha: "x" } as never));
    expect(error).toBeInstanceOf(DatafoldInputError);
    expect((error as DatafoldInputError).issues.map((issue) => issue.field)).toEqual([
      "query.sha",
      "query.pr_num",
      "query.limit",
    ]);
    expect(error.message).toContain(
      "sha: Not a query parameter of listCiRuns (expected pr_sha, pr_num, limit, offset)",
    );
    expect(error.message).toContain("pr_num: Input should be a valid string (got 42)");
    expect(error.message).toContain('limit: Input should be a valid integer (got "10")');
    expect(seen).toHaveLength(0);
  });

  it("accepts offset 0 (query integers are not ids) but not a blank pr_sha", () => {
    expect(checkInput("listCiRuns", 7, { offset: 0, limit: 1 })).toEqual([]);
    expect(checkInput("listCiRuns", 7, { pr_sha: " " })).toEqual([
      { field: "query.pr_sha", message: 'String should not be empty or only whitespace (got " ")' },
    ]);
  });

  it("calls an answer that is not a list of runs invalid, naming what is wrong", async () => {
    answers.push({ status: 200, body: JSON.stringify([{ ...run, id: "41" }]) });
    const error = await rejectionOf(testClient({ baseUrl }).listCiRuns(7));
    expect(error).toBeInstanceOf(DatafoldInvalidResponseError);
    expect(error.message).toMatch(
      /^Datafold answered GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/ci\/7\/runs with HTTP 200 but a body of the wrong shape \(0\.id: Input should be a valid integer\)$/,
    );
  });

  it("retries a 503 like every method", async () => {
    answers.push({ status: 503, body: '{"detail":"busy"}' }, { status: 200, body: "[]" });
    const datafold = testClient({ baseUrl });
    await expect(datafold.listCiRuns(7, { pr_num: "42" })).resolves.toEqual([]);
    expect(seen).toHaveLength(2);
    expect(datafold.sleeps).toHaveLength(1);
  });
});

describe("uploadPrChanges", () => {
  const diffs = [{ prod: "analytics.orders", pr: "pr_42.orders", pk: ["id"] }];

  it("puts the path parameters in path order and sends the diffs as the body", async () => {
    answers.push({ status: 200, body: '{"ci_run_id":41,"run_id":9}' });
    const job = await methodOf(testClient({ baseUrl }), "uploadPrChanges")(7, 42, diffs);
    expect(job).toEqual({ ci_run_id: 41, run_id: 9 });
    expect(seen[0]).toMatchObject({ method: "POST", url: "/api/v1/ci/7/42", body: JSON.stringify(diffs) });
  });

  it("names the bad item and field of the diffs, and sends nothing", async () => {
    const error = await rejectionOf(
      methodOf(testClient({ baseUrl }), "uploadPrChanges")(7, 0, [
        { prod: "a.b", pr: "c.d" },
        { prod: " ", include_columns: ["x", 3] },
      ] as never),
    );
    expect(error).toBeInstanceOf(DatafoldInputError);
    expect((error as DatafoldInputError).issues).toEqual([
      { field: "pr_num", message: "Input should be a whole number of 1 or more (got 0)" },
      { field: "diffs[1].pr", message: "Field required" },
      { field: "diffs[1].include_columns[1]", message: "Input should be a valid string (got 3)" },
      { field: "diffs[1].prod", message: 'String should not be empty or only whitespace (got " ")' },
    ]);
    expect(error.message.startsWith("Invalid uploadPrChanges input: pr_num: ")).toBe(true);
    expect(seen).toHaveLength(0);
  });

  it("names the whole body when it is not a list", () => {
    expect(checkArguments("uploadPrChanges", [7, 42, { prod: "a", pr: "b" }])).toEqual([
      { field: "diffs", message: 'Input should be a valid list (got {"prod":"a","pr":"b"})' },
    ]);
  });

  it("words a 404 with every path value it sent, by the spec's titles", async () => {
    answers.push({ status: 404, body: '{"detail":"Not Found"}' });
    const error = await rejectionOf(methodOf(testClient({ baseUrl }), "uploadPrChanges")(7, 42, diffs));
    expect(error).toBeInstanceOf(DatafoldNotFoundError);
    expect(error.message).toContain(
      "(Not Found): the CI config id 7 or the Pull request/Merge request number 42 may be wrong",
    );
  });

  it("reports a 502 as a server failure after its retries, naming the request", async () => {
    answers.push(...Array.from({ length: 3 }, () => ({ status: 502, body: "Bad Gateway" })));
    const error = await rejectionOf(methodOf(testClient({ baseUrl }), "uploadPrChanges")(7, 42, diffs));
    expect(error).toBeInstanceOf(DatafoldServerError);
    expect(error.message).toMatch(
      /failed on POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/ci\/7\/42 \(HTTP 502 Bad Gateway after 3 attempts: Bad Gateway\)/,
    );
  });
});

describe("the client's resolved configuration", () => {
  it("says where each value came from, and never holds the key", () => {
    const datafold = testClient({ baseUrl, sources: { baseUrl: "--host" } });
    expect(datafold.config).toEqual({
      baseUrl,
      baseUrlSource: "--host",
      apiKeySource: "the apiKey option",
      timeoutMs: 30_000,
      totalTimeoutMs: 120_000,
      maxRetries: 2,
    });
    expect(JSON.stringify(datafold.config)).not.toContain(datafold.apiKey);
  });
});
