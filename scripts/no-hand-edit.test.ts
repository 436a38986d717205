import { execFile } from "node:child_process";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyRepository, editYaml, generateAndBuild } from "./testing/repository-copy.js";

// Issue 10's promise, end to end: an operation added to spec/ becomes a typed client method and a
// mock route after `generate` and `build`, with no other edit. On a copy of the repository.

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);
let copy: string;

/**
 * A made-up operation shaped to catch a careless generator: two path parameters listed out of path
 * order, a query parameter, and a response whose schema reaches other schemas through nested `$ref`s.
 */
const added = {
  "/api/v1/projects/{project_id}/runs/{run_id}/summary": {
    get: {
      operationId: "run_summary_api_v1_projects__project_id__runs__run_id__summary_get",
      summary: "Summarise a run",
      parameters: [
        { in: "path", name: "run_id", required: true, schema: { type: "integer", title: "Run id" } },
        { in: "path", name: "project_id", required: true, schema: { type: "integer", title: "Project id" } },
        { in: "query", name: "verbose", required: false, schema: { type: "boolean", default: false } },
      ],
      responses: {
        "200": {
          description: "Successful Response",
          content: { "application/json": { schema: { $ref: "#/components/schemas/RunSummary" } } },
        },
      },
    },
  },
};
const schemas = {
  RunSummary: {
    type: "object",
    properties: {
      run: { $ref: "#/components/schemas/ApiCiRun" },
      tables: { type: "array", items: { $ref: "#/components/schemas/TableSummary" } },
    },
    required: ["run", "tables"],
  },
  TableSummary: {
    type: "object",
    properties: { name: { type: "string" }, diff: { $ref: "#/components/schemas/DiffCounts" } },
    required: ["name", "diff"],
  },
  DiffCounts: {
    type: "object",
    properties: { added: { type: "integer" }, removed: { type: "integer" } },
    required: ["added", "removed"],
  },
};

beforeAll(async () => {
  copy = await copyRepository("datafold-ci-no-hand-edit-");
  await editYaml<{ paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } }>(
    copy,
    "spec/datafold-api.yaml",
    (spec) => {
      Object.assign(spec.paths, added);
      Object.assign(spec.components.schemas, schemas);
    },
  );
  await generateAndBuild(copy, ["types", "client", "testing"]);
}, 240_000);

afterAll(async () => {
  if (copy) await rm(copy, { recursive: true, force: true });
});

describe("an operation added to spec/", () => {
  it("is a typed client method, arguments in path order, that the testing kit answers", async () => {
    const consumer = join(copy, "packages", "client", "consumer.ts");
    await writeFile(
      consumer,
      `import { createDatafoldClient } from "./dist/index.js";
import { startMockDatafold } from "../testing/dist/index.js";

const mock = await startMockDatafold();
try {
  const datafold = createDatafoldClient({ apiKey: mock.apiKey, baseUrl: mock.url, env: {} });
  // (projectId, runId): the order of the path, not of the spec's parameter list.
  const summary = await datafold.getProjectsByProjectIdRunsByRunIdSummary(3, 9, { verbose: true });
  const added: number = summary.tables[0]?.diff.added ?? 0;
  const request = mock.requests.at(-1);
  console.log(JSON.stringify({ keys: Object.keys(summary).sort(), added: typeof added, path: request?.path, query: request?.query }));
  // @ts-expect-error the query takes no such parameter, and the compiler knows it
  await datafold.getProjectsByProjectIdRunsByRunIdSummary(3, 9, { verbos: true }).catch((e: Error) => console.log(e.name));
} finally {
  await mock.close();
}
`,
    );
    const tsc = join(repoRoot, "node_modules", ".bin", "tsc");
    await run(
      tsc,
      ["--noEmit", "--strict", "--module", "nodenext", "--target", "es2022", "--skipLibCheck", consumer],
      {
        cwd: join(copy, "packages", "client"),
      },
    );
    const { stdout } = await run(process.execPath, ["--import", "tsx", consumer], {
      cwd: join(copy, "packages", "client"),
    });
    const [summary, refused] = stdout.trim().split("\n");
    expect(JSON.parse(summary!)).toEqual({
      keys: ["run", "tables"],
      added: "number",
      path: "/api/v1/projects/3/runs/9/summary",
      query: { verbose: "true" },
    });
    expect(refused).toBe("DatafoldInputError");
  }, 120_000);
});
