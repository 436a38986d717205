import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { dump, load } from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filterDocument } from "./spec-sync/filter-document.js";
import type { OpenApiDocument } from "./codegen/spec-documents.js";
import { copyRepository } from "./release/repository-copy.js";

// Every kind of spec change ships with no hand edit: for each, a copy of the repository gets the edit in
// spec/ alone, then `generate`, `build` and `typecheck` run in the copy, the changed operations are called
// through the copy's built client against the copy's testing kit (and its CLI where the CLI reads the
// operation), and `spec:diff` must name the bump. README.md beside the fixture says more.

const run = promisify(execFile);
const PNPM = ["-y", "pnpm@10.20.0"];
const SPEC = "spec/datafold-api.yaml";
const OVERRIDES = "spec/overrides/datafold-api.yaml";
const WHOLE_DOCUMENT = join(import.meta.dirname, "spec-evolution", "datafold-openapi-public.json");
const TRIGGER = "/api/v1/ci/{ci_config_id}/trigger";
const UPLOAD = "/api/v1/ci/{ci_config_id}/{pr_num}";
// Builds share the 2 cores CI has: two copies at a time.
const PARALLEL = 2;

// biome-ignore lint/suspicious/noExplicitAny: the cases edit parsed documents freely.
type Doc = Record<string, any>;

/** One kind of change, as a spec sync would bring it. */
interface EvolutionCase {
  readonly change: string;
  /** Edits the copy's spec/ document, and its override file's text when the change needs it. */
  readonly edit: (doc: Doc, overrides: string) => Promise<string | undefined> | string | undefined | void;
  /** The bump `spec:diff --base HEAD` must print. */
  readonly bump: "major" | "minor" | "patch";
  /**
   * A TypeScript module run in the copy (and type-checked there with the copy's scripts) that calls the
   * changed operations through the built client against the built kit; it throws when a call misbehaves.
   */
  readonly consumer: string;
  /** CLI runs against the copy's kit, with what each must do. */
  readonly cli?: readonly CliCheck[];
}

interface CliCheck {
  readonly args: readonly string[];
  readonly code: number;
  /** Text stdout and stderr must hold, together. */
  readonly says?: readonly (string | RegExp)[];
  /** A field the trigger the kit received must carry. */
  readonly sent?: Readonly<Record<string, unknown>>;
}

/** The imports and helpers every consumer starts with, resolved inside the copy. */
const PRELUDE = `import { createDatafoldClient, DatafoldInputError } from "../packages/client/dist/index.js";
import { fakeValue, startMockDatafold } from "../packages/testing/dist/index.js";

const mock = await startMockDatafold();
const datafold = createDatafoldClient({ apiKey: mock.apiKey, baseUrl: mock.url, env: {} });
const details = fakeValue("triggerPrRun", "body", { pr_number: 42, pr_sha: "a".repeat(40), base_sha: "b".repeat(40) });
function check(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(what);
}
`;
const EPILOGUE = `\nawait mock.close();\nconsole.log("consumer: ok");\n`;

const prTitle = (doc: Doc) => {
  doc.components.schemas.APIPrDetails.properties.pr_title = { type: "string", title: "Pr Title" };
};

const CASES: readonly EvolutionCase[] = [
  {
    change: "an optional request field is added",
    edit: prTitle,
    bump: "minor",
    consumer: `
const started = await datafold.triggerPrRun(7, { ...details, pr_title: "Add orders" });
check(started.ci_run_id === 1, "the trigger started run 1");
check(mock.requests.at(-1)?.body?.pr_title === "Add orders", "the new field was sent");`,
    cli: [
      { args: ["trigger", "--help"], code: 0, says: ["--pr-title", "DATAFOLD_PR_TITLE"] },
      { args: ["trigger", "--pr-title", "Add orders"], code: 0, sent: { pr_title: "Add orders" } },
      { args: ["trigger"], code: 0 },
    ],
  },
  {
    change: "a required request field is added",
    edit: (doc) => {
      const schema = doc.components.schemas.APIPrDetails;
      schema.properties.pr_author = { type: "string", title: "Pr Author" };
      schema.required.push("pr_author");
    },
    bump: "major",
    consumer: `
const refused = await datafold.triggerPrRun(7, details as typeof details).then(() => undefined, (error: unknown) => error);
check(refused instanceof DatafoldInputError, "a body without the new field is refused before sending");
check(refused.issues.some((issue) => issue.field.endsWith("pr_author")), "the refusal names the field");
check(mock.requests.length === 0, "nothing was sent");
const started = await datafold.triggerPrRun(7, { ...details, pr_author: "ada" });
check(started.ci_run_id === 1, "with the field, the run starts");`,
    cli: [
      { args: ["trigger"], code: 2, says: ["--pr-author", "DATAFOLD_PR_AUTHOR"] },
      { args: ["trigger", "--pr-author", "ada"], code: 0, sent: { pr_author: "ada" } },
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
check(run !== undefined && typeof run.url === "string", "the run carries the new field");`,
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
    change: "a request field's type is narrowed",
    edit: (doc) => {
      Object.assign(doc.components.schemas.APIPrDetails.properties.pr_sha, {
        pattern: "^[0-9a-f]{40}$",
        maxLength: 40,
      });
    },
    bump: "major",
    consumer: `
const refused = await datafold.triggerPrRun(7, { ...details, pr_sha: "HEAD" }).then(() => undefined, (error: unknown) => error);
check(refused instanceof DatafoldInputError, "a value outside the narrowed type is refused before sending");
check(/pr_sha/.test(refused.message), "the refusal names the field");
check((await datafold.triggerPrRun(7, details)).ci_run_id === 1, "a value inside it starts the run");`,
  },
  {
    change: "every operationId is renamed (FastAPI's handlers were)",
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
    cli: [{ args: ["trigger"], code: 0 }],
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
      const { document } = filterDocument(whole, wanted);
      Object.assign(doc, document);
    },
    bump: "minor",
    consumer: `
const body = fakeValue("postDatadiffs", "body");
const created = await datafold.postDatadiffs(body);
check(created !== undefined, "the new method resolves with the kit's answer, which the client checked against the spec");
check(mock.requests.at(-1)?.path === "/api/v1/datadiffs", "it reached the new route");`,
  },
  {
    change: "an operation is removed together with its override",
    edit: (doc, overrides) => {
      delete doc.paths[UPLOAD];
      return overrides.replace(/^POST \/api\/v1\/ci\/\{ci_config_id\}\/\{pr_num\}:\n(?: {2}.*\n|\n)*/m, "");
    },
    bump: "major",
    consumer: `
check(!("uploadPrChanges" in datafold), "the removed operation has no method");
check((await datafold.triggerPrRun(7, details)).ci_run_id === 1, "the others still work");`,
    cli: [{ args: ["submit", "--pr-num", "42", "--diffs", "package.json"], code: 2, says: [/submit/i] }],
  },
];

interface Outcome {
  readonly steps: readonly {
    readonly step: string;
    readonly code: number;
    readonly output: string;
    readonly ms: number;
  }[];
  readonly bump?: string | undefined;
  readonly cli: readonly {
    readonly check: CliCheck;
    readonly code: number;
    readonly output: string;
    readonly sent?: unknown;
  }[];
}

const outcomes = new Map<string, Outcome>();
const copies: string[] = [];
let wholeDocument: Outcome | undefined;

beforeAll(async () => {
  const jobs = [
    ...CASES.map((c) => () => evolve(c).then((outcome) => void outcomes.set(c.change, outcome))),
    async () => {
      wholeDocument = await evolveToWholeDocument();
    },
  ];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      for (let job = jobs.shift(); job; job = jobs.shift()) await job();
    }),
  );
  process.stderr.write(
    `spec evolution: ${CASES.length + 1} copies built in ${Math.round((performance.now() - started) / 1000)} s\n`,
  );
}, 30 * 60_000);

afterAll(() => Promise.all(copies.map((copy) => rm(copy, { recursive: true, force: true }))));

describe("a spec change ships with no hand edit", () => {
  it.each(CASES)(
    "$change: generate, build, typecheck and calls pass; spec:diff says $bump",
    ({ change, bump }) => {
      const outcome = outcomes.get(change)!;
      for (const step of outcome.steps)
        expect(step, `${step.step}:\n${step.output}`).toMatchObject({ code: 0 });
      expect(outcome.bump).toBe(bump);
    },
  );

  it.each(CASES.filter((c) => c.cli))("$change: the CLI follows the operation", ({ change }) => {
    for (const result of outcomes.get(change)!.cli) {
      expect(result.code, `datafold-ci ${result.check.args.join(" ")}:\n${result.output}`).toBe(
        result.check.code,
      );
      for (const text of result.check.says ?? []) expect(result.output).toMatch(text);
      if (result.check.sent) expect(result.sent).toMatchObject(result.check.sent);
    }
  });

  it("Datafold's whole public document replaces spec/: it generates, builds, typechecks, and each of its operations answers", () => {
    for (const step of wholeDocument!.steps)
      expect(step, `${step.step}:\n${step.output}`).toMatchObject({ code: 0 });
    expect(wholeDocument!.steps.at(-1)!.output).toMatch(/called 52 of 52 operations/);
  });
});

async function newCopy(): Promise<string> {
  const copy = await mkdtemp(join(tmpdir(), "datafold-ci-evolution-"));
  copies.push(copy);
  await copyRepository(copy);
  return copy;
}

async function evolve(c: EvolutionCase): Promise<Outcome> {
  const copy = await newCopy();
  const doc = load(await readFile(join(copy, SPEC), "utf8")) as Doc;
  const overrides = await readFile(join(copy, OVERRIDES), "utf8");
  const edited = await c.edit(doc, overrides);
  await writeFile(join(copy, SPEC), dump(doc, { lineWidth: -1 }));
  if (typeof edited === "string") await writeFile(join(copy, OVERRIDES), edited);
  await writeFile(join(copy, "scripts", "evolution-consumer.ts"), PRELUDE + c.consumer + EPILOGUE);
  const steps = await buildAndCall(copy, "evolution-consumer.ts");
  const diff = await step(
    "spec:diff",
    process.execPath,
    ["--import", "tsx", "scripts/spec-diff.ts", "--base", "HEAD"],
    copy,
  );
  const bump = diff.code === 0 ? diff.output.trimEnd().split("\n").at(-1) : `failed: ${diff.output}`;
  const cli = [];
  for (const check of c.cli ?? []) cli.push(await runCli(copy, check));
  return { steps, bump, cli };
}

async function evolveToWholeDocument(): Promise<Outcome> {
  const copy = await newCopy();
  await rm(join(copy, SPEC));
  await writeFile(join(copy, "spec", "datafold-api.json"), await readFile(WHOLE_DOCUMENT, "utf8"));
  await writeFile(join(copy, "scripts", "evolution-consumer.ts"), WHOLE_DOCUMENT_CONSUMER);
  return { steps: await buildAndCall(copy, "evolution-consumer.ts"), cli: [] };
}

/** Calls every operation of the copy's table once, its arguments made from its schemas. */
const WHOLE_DOCUMENT_CONSUMER = `import { datafoldApi } from "../packages/api-description/src/index.js";
import { createDatafoldClient } from "../packages/client/dist/index.js";
import { fakeValue, startMockDatafold } from "../packages/testing/dist/index.js";

type Method = (...args: unknown[]) => Promise<unknown>;
const mock = await startMockDatafold();
const datafold = createDatafoldClient({ apiKey: mock.apiKey, baseUrl: mock.url, env: {} });
const methods = new Map<string, Method>(Object.entries(datafold).filter((entry): entry is [string, Method] => typeof entry[1] === "function"));
const make = fakeValue as (method: string, part: string) => unknown;
let called = 0;
const failures: string[] = [];
for (const operation of datafoldApi.operations) {
  const { name, arguments: layout } = operation.clientMethod;
  const path = make(name, "path") as Record<string, unknown> | undefined;
  const args = layout.map((argument) =>
    argument.in === "path" ? path?.[argument.parameter] : make(name, argument.in),
  );
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

async function buildAndCall(copy: string, consumer: string) {
  const steps = [];
  for (const [name, command, args] of [
    ["generate", process.execPath, ["--import", "tsx", "scripts/generate.ts"]],
    ["build", "npx", [...PNPM, "build"]],
    ["typecheck", "npx", [...PNPM, "typecheck"]],
    ["calls", process.execPath, ["--import", "tsx", join("scripts", consumer)]],
  ] as const) {
    const result = await step(name, command, [...args], copy);
    steps.push(result);
    if (result.code !== 0) break;
  }
  return steps;
}

async function step(name: string, command: string, args: string[], cwd: string, own?: NodeJS.ProcessEnv) {
  const started = performance.now();
  const env = own ?? {
    ...process.env,
    TURBO_TELEMETRY_DISABLED: "1",
    REDOCLY_TELEMETRY: "off",
    FORCE_COLOR: "0",
  };
  try {
    const { stdout, stderr } = await run(command, args, {
      cwd,
      env,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 10 * 60_000,
    });
    return { step: name, code: 0, output: `${stdout}${stderr}`, ms: performance.now() - started };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string; message: string };
    return {
      step: name,
      code: typeof e.code === "number" ? e.code : 1,
      output: `${e.stdout ?? ""}${e.stderr ?? e.message}`,
      ms: performance.now() - started,
    };
  }
}

/** Runs the copy's CLI in a GitLab merge request against the copy's kit, the way a pipeline would. */
async function runCli(copy: string, check: CliCheck) {
  const { startMockDatafold } = (await import(
    join(copy, "packages", "testing", "dist", "index.js")
  )) as typeof import("../packages/testing/src/index.js");
  const mock = await startMockDatafold();
  try {
    const env = {
      PATH: process.env.PATH ?? "",
      DATAFOLD_API_KEY: mock.apiKey,
      DATAFOLD_HOST: mock.url,
      DATAFOLD_CI_CONFIG_ID: "7",
      GITLAB_CI: "true",
      CI_PIPELINE_SOURCE: "merge_request_event",
      CI_MERGE_REQUEST_IID: "42",
      CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: "feature/orders",
      CI_MERGE_REQUEST_TARGET_BRANCH_NAME: "main",
      CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: "a".repeat(40),
      CI_MERGE_REQUEST_DIFF_BASE_SHA: "b".repeat(40),
    };
    const bin = join(copy, "packages", "cli", "bin", "datafold-ci.js");
    const result = await step("cli", process.execPath, [bin, ...check.args], copy, env);
    const trigger = mock.requests.find((request) => request.path.endsWith("/trigger"));
    return { check, code: result.code, output: result.output, sent: trigger?.body };
  } finally {
    await mock.close();
  }
}
