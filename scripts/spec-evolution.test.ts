import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import type { OpenApiDocument } from "./codegen/spec-documents.js";
import { filterDocument } from "./spec-sync/filter-document.js";
import { REPO_ROOT } from "./packaging/published-packages.js";
import { copyRepository } from "./testing/repository-copy.js";

// Every kind of spec change ships with no hand edit. Each edit touches spec/ alone. The edits that keep
// the API compatible share one copy of the repository, the breaking ones another, and Datafold's whole
// public document a third: in each, `pnpm build` (which generates first) and `pnpm typecheck` must pass,
// then each edit's consumer calls the changed operations through the copy's built client against its
// built testing kit (type-checked with the copy's scripts), and the copy's CLI runs where it reads the
// operation. Each edit's bump is judged on its own: a copy of spec/ alone, edited, through `spec:diff`.
// spec-evolution/README.md says more.

const run = promisify(execFile);
const PNPM = ["-y", "pnpm@10.20.0"];
const SPEC = "spec/datafold-api.yaml";
const OVERRIDES = "spec/overrides/datafold-api.yaml";
const WHOLE_DOCUMENT = join(import.meta.dirname, "spec-evolution", "datafold-openapi-public.json");
const UPLOAD = "/api/v1/ci/{ci_config_id}/{pr_num}";
// CI has 2 cores: two builds at a time.
const PARALLEL = 2;

// biome-ignore lint/suspicious/noExplicitAny: the edits change parsed documents freely.
type Doc = Record<string, any>;

/** One kind of change, as a spec sync would bring it. */
interface Edit {
  readonly change: string;
  /** Edits spec/'s document, and returns the override file's new text when the change needs one. */
  readonly edit: (doc: Doc, overrides: string) => Promise<string | undefined> | string | undefined | void;
  readonly bump: "major" | "minor" | "patch";
  /** Statements run in the copy after {@link PRELUDE}: calls that throw when a changed operation misbehaves. */
  readonly consumer: string;
  /** Runs of the copy's CLI, with what each must do. */
  readonly cli?: readonly CliRun[];
}

interface CliRun {
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly code: number;
  /** What stdout and stderr, together, must hold. */
  readonly says?: readonly (string | RegExp)[];
  /** What the trigger the kit received must (`true`) or must not (`false`) carry. */
  readonly sent?: Readonly<Record<string, unknown>>;
  readonly notSent?: readonly string[];
}

const PR_FLAGS = [
  "--ci-config-id=12",
  "--pr-num=7",
  "--pr-branch=feature/x",
  "--base-branch=main",
  `--pr-sha=${"1a2b3c4d".repeat(5)}`,
  `--base-sha=${"9f8e7d6c".repeat(5)}`,
];
/** `trigger` with every PR fact a flag, without the look at the PR's runs (the client's, tested there). */
const trigger = (...more: string[]) => ["trigger", ...PR_FLAGS, "--no-run-check", ...more];

const PRELUDE = `import { createDatafoldClient, DatafoldInputError } from "../../packages/client/dist/index.js";
import { fakeValue, startMockDatafold } from "../../packages/testing/dist/index.js";

const mock = await startMockDatafold({ runLifecycle: { waitForDiffsMs: 0 } });
const datafold = createDatafoldClient({ apiKey: mock.apiKey, baseUrl: mock.url, env: {} });
const details = fakeValue("triggerPrRun", "body", { pr_number: 42, pr_sha: "a".repeat(40), base_sha: "b".repeat(40) });
function check(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(what);
}
`;

/** Changes a consumer of the packages keeps working through. */
const COMPATIBLE: readonly Edit[] = [
  {
    change: "an optional request field is added",
    edit: (doc) => {
      doc.components.schemas.APIPrDetails.properties.pr_title = { type: "string", title: "Pr Title" };
    },
    bump: "minor",
    consumer: `
const started = await datafold.triggerPrRun(7, { ...details, pr_title: "Add orders" });
check(started.ci_run_id === 1, "the trigger started run 1");
check((mock.requests.at(-1)?.body as { pr_title?: unknown } | undefined)?.pr_title === "Add orders", "the new field was sent");`,
    cli: [
      {
        args: ["trigger", "--help"],
        code: 0,
        says: [/^ +--pr-title <text> +Pr Title\n +env DATAFOLD_PR_TITLE\n/m],
      },
      {
        args: trigger("--pr-title", "Add the orders model"),
        code: 0,
        sent: { pr_title: "Add the orders model" },
      },
      {
        args: trigger(),
        env: { DATAFOLD_PR_TITLE: "By variable" },
        code: 0,
        sent: { pr_title: "By variable" },
      },
      { args: trigger(), code: 0, notSent: ["pr_title"] },
    ],
  },
  {
    change: "an optional response field is added",
    edit: (doc) => {
      doc.components.schemas.ApiCiRun.properties.url = { type: "string", title: "Url" };
    },
    bump: "minor",
    consumer: `
await datafold.triggerPrRun(7, details);
const [run] = await datafold.listCiRuns(7, { pr_sha: details.pr_sha });
const url: string | undefined = run?.url;
check(typeof url === "string", "the run carries the new field");`,
  },
  {
    change: "a required response field with an enum is added",
    edit: (doc) => {
      const run = doc.components.schemas.ApiCiRun;
      run.properties.trigger_kind = { type: "string", enum: ["pr", "push", "manual"], title: "Trigger Kind" };
      run.required.push("trigger_kind");
    },
    bump: "minor",
    consumer: `
await datafold.triggerPrRun(7, details);
const [run] = await datafold.listCiRuns(7, { pr_sha: details.pr_sha });
const kind: "pr" | "push" | "manual" | undefined = run?.trigger_kind;
check(kind === "pr" || kind === "push" || kind === "manual", "the kit answers a value of the enum, which the client accepts");`,
  },
  {
    change: "every operationId is renamed, as renaming FastAPI's handlers does",
    edit: (doc) => {
      for (const item of Object.values(doc.paths as Doc))
        for (const operation of Object.values(item as Doc))
          operation.operationId = `renamed_${operation.operationId}`;
    },
    bump: "patch",
    consumer: `
await datafold.triggerPrRun(7, details);
check((await datafold.listCiRuns(7, { pr_sha: details.pr_sha })).length === 1, "the methods keep their names and work");
check((await datafold.uploadPrChanges(7, 42, [{ prod: "db.prod.orders", pr: "db.pr.orders" }])).ci_run_id === 1, "so does the upload");`,
    cli: [{ args: trigger(), code: 0, says: ["Datafold CI run 1 started"] }],
  },
  {
    change: "an operation is added that uses enum, const, discriminator and prefixItems",
    edit: async (doc) => {
      // Datafold's "Create a data diff", with every component it reaches, as a spec sync would take it.
      const whole = JSON.parse(await readFile(WHOLE_DOCUMENT, "utf8")) as OpenApiDocument;
      const wanted = structuredClone(doc) as OpenApiDocument & Doc;
      wanted.paths = {
        ...wanted.paths,
        "/api/v1/datadiffs": { post: whole.paths!["/api/v1/datadiffs"]!.post },
      };
      const synced = filterDocument(whole, wanted).document as Doc;
      // The new path and the components it reaches; what spec/ has already stays as the other edits left it.
      doc.paths["/api/v1/datadiffs"] = synced.paths["/api/v1/datadiffs"];
      for (const [section, entries] of Object.entries(synced.components as Doc))
        doc.components[section] = { ...(entries as Doc), ...doc.components[section] };
    },
    bump: "minor",
    consumer: `
const created = await datafold.postDatadiffs(fakeValue("postDatadiffs", "body"));
check(created !== undefined, "the new method resolves with the kit's answer, checked against the spec");
check(mock.requests.at(-1)?.path === "/api/v1/datadiffs", "it reached the new route");`,
  },
  {
    change: "an operation is added with two path parameters listed out of path order and nested schemas",
    edit: (doc) => {
      doc.paths["/api/v1/projects/{project_id}/runs/{run_id}/summary"] = {
        get: {
          operationId: "run_summary_api_v1_projects__project_id__runs__run_id__summary_get",
          summary: "Summarise a run",
          parameters: [
            { in: "path", name: "run_id", required: true, schema: { type: "integer", title: "Run id" } },
            {
              in: "path",
              name: "project_id",
              required: true,
              schema: { type: "integer", title: "Project id" },
            },
            { in: "query", name: "verbose", required: false, schema: { type: "boolean", default: false } },
          ],
          responses: {
            "200": {
              description: "Successful Response",
              content: { "application/json": { schema: { $ref: "#/components/schemas/RunSummary" } } },
            },
          },
        },
      };
      Object.assign(doc.components.schemas, {
        RunSummary: {
          type: "object",
          properties: {
            run: { $ref: "#/components/schemas/ApiCiRun" },
            tables: { type: "array", items: { $ref: "#/components/schemas/TableSummary" }, minItems: 1 },
          },
          required: ["run", "tables"],
        },
        TableSummary: {
          type: "object",
          properties: { name: { type: "string" }, added: { type: "integer" } },
          required: ["name", "added"],
        },
      });
    },
    bump: "minor",
    consumer: `
// (projectId, runId): the order of the path, not of the spec's parameter list.
const summary = await datafold.getProjectsByProjectIdRunsByRunIdSummary(3, 9, { verbose: true });
const added: number | undefined = summary.tables[0]?.added;
check(typeof added === "number", "the nested schemas reached the result's type and the kit's answer");
check(mock.requests.at(-1)?.path === "/api/v1/projects/3/runs/9/summary", "the path takes the arguments in path order");
// @ts-expect-error the query takes no such parameter, and the compiler knows it
const refused = await datafold.getProjectsByProjectIdRunsByRunIdSummary(3, 9, { verbos: true }).catch((error: unknown) => error);
check(refused instanceof DatafoldInputError, "and so does the client, before sending");`,
  },
];

/** Changes a consumer must act on; the packages still build, and say what is wrong. */
const BREAKING: readonly Edit[] = [
  {
    change: "a required request field is added",
    edit: (doc) => {
      const schema = doc.components.schemas.APIPrDetails;
      schema.properties.repository_id = {
        type: "integer",
        title: "Repository Id",
        description: "the repository's id in Datafold",
      };
      schema.required.push("repository_id");
    },
    bump: "major",
    consumer: `
// The kit makes every required field, the new one too: leave it out, as a caller written before it would.
const { repository_id: _, ...before } = details;
const refused = await datafold.triggerPrRun(7, before as typeof details).then(() => undefined, (error: unknown) => error);
check(refused instanceof DatafoldInputError, "a body without the new field is refused before sending");
check(refused.issues.some((issue) => issue.field === "details.repository_id"), "the refusal names the field");
check(mock.requests.length === 0, "nothing was sent");
check((await datafold.triggerPrRun(7, { ...details, repository_id: 31 })).ci_run_id === 1, "with it, the run starts");`,
    cli: [
      {
        args: ["trigger", "--help"],
        code: 0,
        says: [
          /^ +--repository-id <n> +the repository's id in Datafold\n +env DATAFOLD_REPOSITORY_ID; default: none\n/m,
        ],
      },
      {
        args: trigger(),
        code: 2,
        says: [
          "error: --repository-id is missing (the repository's id in Datafold): pass --repository-id or set DATAFOLD_REPOSITORY_ID; no CI system supplies it.",
        ],
      },
      { args: trigger(), env: { DATAFOLD_REPOSITORY_ID: "31" }, code: 0, sent: { repository_id: 31 } },
    ],
  },
  {
    change: "a request field's type is narrowed",
    edit: (doc) => {
      Object.assign(doc.components.schemas.APIPrDetails.properties.pr_sha, {
        pattern: "^[0-9a-f]{40}$",
        maxLength: 40,
      });
    },
    bump: "major",
    consumer: `
const refused = await datafold.triggerPrRun(7, { ...details, pr_sha: "HEAD", repository_id: 31 }).then(() => undefined, (error: unknown) => error);
check(refused instanceof DatafoldInputError, "a value outside the narrowed type is refused before sending");
check(refused.issues.some((issue) => issue.field === "details.pr_sha"), "the refusal names the field");`,
  },
  {
    change: "an operation is removed together with its override",
    edit: (doc, overrides) => {
      delete doc.paths[UPLOAD];
      const entry = `POST ${UPLOAD}:`;
      const start = overrides.indexOf(`\n${entry}\n`) + 1;
      const next = overrides.slice(start + entry.length).search(/\n\S/);
      return overrides.slice(0, start) + (next < 0 ? "" : overrides.slice(start + entry.length + next + 1));
    },
    bump: "major",
    consumer: `
check(!("uploadPrChanges" in datafold), "the removed operation has no method");
check((await datafold.listCiRuns(7)).length === 0, "the others still work");`,
    cli: [
      {
        args: ["submit", "--ci-config-id", "12", "--pr-num", "7"],
        code: 2,
        says: [/datafold-ci submit is not available in this build: .*uploadPrChanges/],
      },
      { args: ["submit", "--help"], code: 0, says: ["datafold-ci submit is not available in this build"] },
      { args: ["runs", "--ci-config-id", "12", "--pr-num", "7", "--json"], code: 0, says: ["[]"] },
    ],
  },
];

/** Calls every operation of the copy's table once, its arguments made from its schemas. */
const WHOLE_DOCUMENT_CONSUMER = `import { datafoldApi } from "../../packages/api-description/src/index.js";
import { createDatafoldClient } from "../../packages/client/dist/index.js";
import { fakeValue, startMockDatafold } from "../../packages/testing/dist/index.js";

type Method = (...args: unknown[]) => Promise<unknown>;
const mock = await startMockDatafold();
const datafold = createDatafoldClient({ apiKey: mock.apiKey, baseUrl: mock.url, env: {} });
const methods = new Map(Object.entries(datafold).filter((entry): entry is [string, Method] => typeof entry[1] === "function"));
const make = fakeValue as (method: string, part: string) => unknown;
let called = 0;
const failures: string[] = [];
for (const operation of datafoldApi.operations) {
  const { name, arguments: layout } = operation.clientMethod;
  const path = layout.some((argument) => argument.in === "path") ? (make(name, "path") as Record<string, unknown>) : {};
  const args = layout.map((argument) => (argument.in === "path" ? path[argument.parameter] : make(name, argument.in)));
  try {
    await methods.get(name)!(...args);
    called++;
  } catch (error) {
    failures.push(\`\${name} (\${operation.method} \${operation.path}): \${error instanceof Error ? error.message : String(error)}\`);
  }
}
await mock.close();
console.log(\`called \${called} of \${datafoldApi.operations.length} operations\`);
if (failures.length > 0) throw new Error(failures.join("\\n"));
`;

interface Step {
  readonly step: string;
  readonly code: number;
  readonly output: string;
  readonly seconds: number;
}

interface CliResult {
  readonly run: CliRun;
  readonly code: number;
  readonly output: string;
  readonly sent: Record<string, unknown> | undefined;
}

/** What a group's copy did: its builds, then each edit's consumer and CLI runs. */
interface GroupOutcome {
  readonly build: readonly Step[];
  readonly consumers: ReadonlyMap<string, Step>;
  readonly cli: ReadonlyMap<string, readonly CliResult[]>;
}

const temporary: string[] = [];
const bumps = new Map<string, string>();
let compatible: GroupOutcome;
let breaking: GroupOutcome;
let whole: GroupOutcome;
const timings: string[] = [];

beforeAll(async () => {
  const started = performance.now();
  const jobs: (() => Promise<void>)[] = [
    async () => {
      compatible = await evolveGroup("compatible", COMPATIBLE);
    },
    async () => {
      breaking = await evolveGroup("breaking", BREAKING);
    },
    async () => {
      whole = await evolveToWholeDocument();
    },
    ...[...COMPATIBLE, ...BREAKING].map((edit) => async () => {
      bumps.set(edit.change, await bumpOf(edit));
    }),
  ];
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      for (let job = jobs.shift(); job; job = jobs.shift()) await job();
    }),
  );
  process.stderr.write(
    `spec evolution: 3 copies built and ${bumps.size} bumps judged in ${Math.round((performance.now() - started) / 1000)} s (${timings.join("; ")})\n`,
  );
}, 30 * 60_000);

afterAll(() => Promise.all(temporary.map((folder) => rm(folder, { recursive: true, force: true }))));

describe.each([
  ["compatible", () => compatible, COMPATIBLE],
  ["breaking", () => breaking, BREAKING],
] as const)("%s changes, in one copy", (_, outcome, edits) => {
  it("generate, build and typecheck pass with every edit applied", () => {
    for (const step of outcome().build)
      expect(step, `${step.step}:\n${step.output}`).toMatchObject({ code: 0 });
  });

  it.each(edits)("$change: its operations answer through the built client", ({ change }) => {
    const step = outcome().consumers.get(change);
    expect(step, `${change}:\n${step?.output}`).toMatchObject({ code: 0 });
  });

  it.each(edits.filter((edit) => edit.cli))("$change: the CLI follows the operation", ({ change }) => {
    for (const result of outcome().cli.get(change) ?? []) {
      const what = `datafold-ci ${result.run.args.join(" ")}:\n${result.output}`;
      expect(result.code, what).toBe(result.run.code);
      for (const text of result.run.says ?? []) expect(result.output, what).toMatch(text);
      if (result.run.sent) expect(result.sent, what).toMatchObject(result.run.sent);
      for (const field of result.run.notSent ?? []) expect(result.sent, what).not.toHaveProperty(field);
    }
  });
});

describe("spec:diff names the bump of each change on its own", () => {
  it.each([...COMPATIBLE, ...BREAKING])("$change: $bump", ({ change, bump }) => {
    expect(bumps.get(change)).toBe(bump);
  });
});

describe("Datafold's whole public document in place of spec/", () => {
  it("generates, builds and typechecks", () => {
    for (const step of whole.build) expect(step, `${step.step}:\n${step.output}`).toMatchObject({ code: 0 });
  });

  it("answers each of its 52 operations, called once through the client with arguments made from its schemas", () => {
    const step = whole.consumers.get("every operation");
    expect(step, step?.output).toMatchObject({ code: 0 });
    expect(step?.output).toMatch(/called 52 of 52 operations/);
  });
});

async function newCopy(prefix: string): Promise<string> {
  const copy = await mkdtemp(join(tmpdir(), `datafold-ci-evolution-${prefix}-`));
  temporary.push(copy);
  await copyRepository(copy);
  return copy;
}

/** Applies every edit of the group to one copy, builds it once, then runs each edit's consumer and CLI. */
async function evolveGroup(name: string, edits: readonly Edit[]): Promise<GroupOutcome> {
  const copy = await newCopy(name);
  const doc = parse(await readFile(join(copy, SPEC), "utf8")) as Doc;
  let overrides = await readFile(join(copy, OVERRIDES), "utf8");
  for (const edit of edits) overrides = (await edit.edit(doc, overrides)) ?? overrides;
  await writeFile(join(copy, SPEC), stringify(doc, { lineWidth: 0 }));
  await writeFile(join(copy, OVERRIDES), overrides);
  await mkdir(join(copy, "scripts", "evolution"));
  const files = edits.map((edit, index) => [edit, `evolution/${name}-${index}.ts`] as const);
  for (const [edit, file] of files)
    await writeFile(join(copy, "scripts", file), `${PRELUDE}${edit.consumer}\nawait mock.close();\n`);
  const build = await buildAndTypecheck(copy, name);
  const consumers = new Map<string, Step>();
  const cli = new Map<string, CliResult[]>();
  if (build.every((step) => step.code === 0))
    for (const [edit, file] of files) {
      consumers.set(
        edit.change,
        await step(
          `${edit.change}: calls`,
          process.execPath,
          ["--import", "tsx", join("scripts", file)],
          copy,
        ),
      );
      cli.set(edit.change, await runCli(copy, edit.cli ?? []));
    }
  return { build, consumers, cli };
}

async function evolveToWholeDocument(): Promise<GroupOutcome> {
  const copy = await newCopy("whole");
  await rm(join(copy, SPEC));
  await cp(WHOLE_DOCUMENT, join(copy, "spec", "datafold-api.json"));
  await mkdir(join(copy, "scripts", "evolution"));
  await writeFile(join(copy, "scripts", "evolution", "every-operation.ts"), WHOLE_DOCUMENT_CONSUMER);
  const build = await buildAndTypecheck(copy, "whole document");
  const consumers = new Map<string, Step>();
  if (build.every((s) => s.code === 0))
    consumers.set(
      "every operation",
      await step(
        "calls",
        process.execPath,
        ["--import", "tsx", "scripts/evolution/every-operation.ts"],
        copy,
      ),
    );
  return { build, consumers, cli: new Map() };
}

async function buildAndTypecheck(copy: string, name: string): Promise<Step[]> {
  const steps: Step[] = [];
  for (const [label, args] of [
    ["build", [...PNPM, "build"]],
    ["typecheck", [...PNPM, "typecheck"]],
  ] as const) {
    const result = await step(label, "npx", [...args], copy);
    steps.push(result);
    timings.push(`${name} ${label} ${Math.round(result.seconds)} s`);
    if (result.code !== 0) break;
  }
  return steps;
}

/** The bump `spec:diff --base HEAD` names for one edit, on a git repository holding a copy of spec/ alone. */
async function bumpOf(edit: Edit): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "datafold-ci-evolution-bump-"));
  temporary.push(root);
  await cp(join(REPO_ROOT, "spec"), join(root, "spec"), { recursive: true });
  const git = (...args: string[]) => run("git", ["-C", root, ...args]);
  await git("init", "--quiet");
  await git("add", ".");
  await git("-c", "user.name=test", "-c", "user.email=test@localhost", "commit", "--quiet", "-m", "base");
  const doc = parse(await readFile(join(root, SPEC), "utf8")) as Doc;
  const overrides = await edit.edit(doc, await readFile(join(root, OVERRIDES), "utf8"));
  await writeFile(join(root, SPEC), stringify(doc, { lineWidth: 0 }));
  if (typeof overrides === "string") await writeFile(join(root, OVERRIDES), overrides);
  const diff = await step(
    "spec:diff",
    process.execPath,
    ["--import", "tsx", join(REPO_ROOT, "scripts", "spec-diff.ts"), "--base", "HEAD", "--root", root],
    REPO_ROOT,
  );
  return diff.code === 0 ? (diff.output.trimEnd().split("\n").at(-1) ?? "") : `failed: ${diff.output}`;
}

async function step(
  name: string,
  command: string,
  args: string[],
  cwd: string,
  env?: NodeJS.ProcessEnv,
): Promise<Step> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const { stdout, stderr } = await run(command, args, {
      cwd,
      env: env ?? {
        ...process.env,
        TURBO_TELEMETRY_DISABLED: "1",
        REDOCLY_TELEMETRY: "off",
        FORCE_COLOR: "0",
      },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 15 * 60_000,
    });
    return { step: name, code: 0, output: `${stdout}${stderr}`, seconds: seconds() };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string; message: string };
    const output = `${e.stdout ?? ""}${e.stderr ?? ""}` || e.message;
    return { step: name, code: typeof e.code === "number" ? e.code : 1, output, seconds: seconds() };
  }
}

/** Runs the copy's built CLI against the copy's kit, with only PATH, the key, the host and `run.env` set. */
async function runCli(copy: string, runs: readonly CliRun[]): Promise<CliResult[]> {
  if (runs.length === 0) return [];
  type Kit = typeof import("../packages/testing/src/index.js");
  const kit = (await import(join(copy, "packages", "testing", "dist", "index.js"))) as Kit;
  const mock = await kit.startMockDatafold({ runLifecycle: { waitForDiffsMs: 0 } });
  const cwd = await mkdtemp(join(tmpdir(), "datafold-ci-evolution-cli-"));
  temporary.push(cwd);
  try {
    const results: CliResult[] = [];
    for (const cliRun of runs) {
      mock.requests.length = 0;
      const env = {
        PATH: process.env.PATH ?? "",
        DATAFOLD_API_KEY: mock.apiKey,
        DATAFOLD_HOST: mock.url,
        ...cliRun.env,
      };
      const bin = join(copy, "packages", "cli", "bin", "datafold-ci.js");
      const result = await step("cli", process.execPath, [bin, ...cliRun.args], cwd, env);
      const trigger = mock.requests.find((request) => request.path.endsWith("/trigger"));
      results.push({
        run: cliRun,
        code: result.code,
        output: result.output,
        sent: trigger?.body as Record<string, unknown> | undefined,
      });
    }
    return results;
  } finally {
    await mock.close();
  }
}
