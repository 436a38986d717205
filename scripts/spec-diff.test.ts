import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { runScript } from "./testing/run-script.js";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const SPEC = "spec/datafold-api.yaml";
const TRIGGER = "POST /api/v1/ci/{ci_config_id}/trigger";
const run = promisify(execFile);

// biome-ignore lint/suspicious/noExplicitAny: the tests edit a parsed YAML document freely.
type Doc = Record<string, any>;

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

/** A git repository holding this repo's spec/ (optionally edited) and changeset config, committed, as `--root`. */
async function repoWithCommittedSpec(base?: (doc: Doc) => void): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "datafold-ci-spec-diff-"));
  roots.push(root);
  await cp(join(repoRoot, "spec"), join(root, "spec"), { recursive: true });
  if (base !== undefined) await editSpec(root, base);
  await mkdir(join(root, ".changeset"));
  await cp(join(repoRoot, ".changeset/config.json"), join(root, ".changeset/config.json"));
  const git = (...args: string[]) => run("git", ["-C", root, ...args]);
  await git("init", "--quiet");
  await git("add", ".");
  await git(
    "-c",
    "user.name=test",
    "-c",
    "user.email=test@example.invalid",
    "commit",
    "--quiet",
    "-m",
    "base",
  );
  return root;
}

async function editSpec(root: string, edit: (doc: Doc) => void): Promise<void> {
  const file = join(root, SPEC);
  const doc = parse(await readFile(file, "utf8")) as Doc;
  edit(doc);
  await writeFile(file, stringify(doc));
}

/** Runs `pnpm spec:diff` against `root`; the last line of its output is the bump. */
async function specDiff(root: string, ...args: string[]) {
  const result = await runScript("spec-diff.ts", ["--root", root, ...args]);
  const lines = result.code === 0 ? result.stdout.trimEnd().split("\n") : [];
  return { ...result, bump: lines.at(-1), reasons: lines.slice(0, -1) };
}

const schemas = (doc: Doc) => doc.components.schemas;
const trigger = (doc: Doc) => doc.paths["/api/v1/ci/{ci_config_id}/trigger"].post;

interface Case {
  edit: string;
  /** An edit to the committed base spec, when the case needs a starting point this repo's spec lacks. */
  base?: (doc: Doc) => void;
  change: (doc: Doc) => void;
  bump: "major" | "minor" | "patch" | "none";
  /** A reason line the output must contain, as a reviewer would read it. */
  reason?: string;
}

const cases: Case[] = [
  {
    edit: "a field's and the API's description change",
    change: (doc) => {
      doc.info.description = "Datafold's CI API.";
      schemas(doc).APIPrDetails.properties.pr_sha.description = "The head commit of the pull request.";
    },
    bump: "patch",
    reason: "patch: APIPrDetails.pr_sha (request): documentation changed (description)",
  },
  {
    edit: "the request example changes",
    change: (doc) => {
      trigger(doc).requestBody.content["application/json"].example = { pr_number: 42 };
    },
    bump: "patch",
    reason: `patch: ${TRIGGER} request body (application/json): documentation changed (example)`,
  },
  {
    edit: "an optional request field is added",
    change: (doc) => {
      schemas(doc).APIPrDetails.properties.pr_title = { type: "string", title: "Pr Title" };
    },
    bump: "minor",
    reason: "minor: APIPrDetails.pr_title (request): optional field added",
  },
  {
    edit: "a required request field is added",
    change: (doc) => {
      schemas(doc).APIPrDetails.properties.pr_title = { type: "string", title: "Pr Title" };
      schemas(doc).APIPrDetails.required.push("pr_title");
    },
    bump: "major",
    reason: "major: APIPrDetails.pr_title (request): required field added",
  },
  {
    edit: "a request field is removed",
    change: (doc) => {
      delete schemas(doc).APIPrDetails.properties.base_sha;
      schemas(doc).APIPrDetails.required = schemas(doc).APIPrDetails.required.filter(
        (f: string) => f !== "base_sha",
      );
    },
    bump: "major",
    reason: "major: APIPrDetails.base_sha (request): field removed",
  },
  {
    edit: "an optional request field becomes required",
    base: (doc) => {
      schemas(doc).APIPrDetails.properties.pr_title = { type: "string" };
    },
    change: (doc) => {
      schemas(doc).APIPrDetails.required.push("pr_title");
    },
    bump: "major",
    reason: "major: APIPrDetails.pr_title (request): field is now required",
  },
  {
    edit: "a required request field becomes optional",
    change: (doc) => {
      schemas(doc).APIPrDetails.required = ["pr_number", "pr_branch", "base_branch", "pr_sha"];
    },
    bump: "minor",
    reason: "minor: APIPrDetails.base_sha (request): field is now optional",
  },
  {
    edit: "a response field is removed",
    change: (doc) => {
      delete schemas(doc).SubmitCiJob.properties.run_id;
    },
    bump: "major",
    reason: "major: SubmitCiJob.run_id (response): field removed",
  },
  {
    edit: "a response field is added",
    change: (doc) => {
      schemas(doc).SubmitCiJob.properties.status = { type: "string", title: "Status" };
    },
    bump: "minor",
    reason: "minor: SubmitCiJob.status (response): optional field added",
  },
  {
    edit: "an operation is added",
    change: (doc) => {
      doc.paths["/api/v1/ci/{ci_config_id}/status"] = {
        get: {
          operationId: "ci_status_api_v1_ci__ci_config_id__status_get",
          parameters: [{ name: "ci_config_id", in: "path", required: true, schema: { type: "integer" } }],
          responses: {
            "200": { description: "Successful Response", content: { "application/json": { schema: {} } } },
          },
        },
      };
    },
    bump: "minor",
    reason: "minor: GET /api/v1/ci/{ci_config_id}/status: operation added",
  },
  {
    edit: "an operation is removed",
    change: (doc) => {
      delete doc.paths["/api/v1/ci/{ci_config_id}/trigger"];
    },
    bump: "major",
    reason: `major: ${TRIGGER}: operation removed`,
  },
  {
    edit: "a response type is narrowed (integer | null → integer): consumers already handle integers",
    change: (doc) => {
      schemas(doc).SubmitCiJob.properties.ci_run_id = { type: "integer", title: "Ci Run Id" };
    },
    bump: "minor",
    reason:
      "minor: SubmitCiJob.ci_run_id (response): type narrowed: integer | null → integer (no longer null)",
  },
  {
    edit: "a response type is widened (integer | null → integer | string | null): consumers meet a new type",
    change: (doc) => {
      schemas(doc).SubmitCiJob.properties.ci_run_id.anyOf.push({ type: "string" });
    },
    bump: "major",
    reason: "major: SubmitCiJob.ci_run_id (response): type widened: integer | null → integer | null | string",
  },
  {
    edit: "a request type changes (string → integer)",
    change: (doc) => {
      schemas(doc).APIPrDetails.properties.pr_sha.type = "integer";
    },
    bump: "major",
    reason: "major: APIPrDetails.pr_sha (request): type changed: string → integer",
  },
  {
    edit: "a request type is widened (integer → integer | string)",
    change: (doc) => {
      schemas(doc).APIPrDetails.properties.pr_number = { anyOf: [{ type: "integer" }, { type: "string" }] };
    },
    bump: "minor",
    reason: "minor: APIPrDetails.pr_number (request): type widened: integer → integer | string",
  },
  {
    edit: "a request constraint is added (maxLength on a string)",
    change: (doc) => {
      schemas(doc).APIPrDetails.properties.pr_branch.maxLength = 255;
    },
    bump: "major",
    reason: "major: APIPrDetails.pr_branch (request): maxLength added (none → 255)",
  },
  {
    edit: "a response field becomes required (always present)",
    change: (doc) => {
      schemas(doc).SubmitCiJob.required = ["ci_run_id"];
    },
    bump: "minor",
    reason: "minor: SubmitCiJob.ci_run_id (response): field is now required",
  },
  {
    edit: "a response status is removed",
    change: (doc) => {
      delete trigger(doc).responses["422"];
    },
    bump: "major",
    reason: `major: ${TRIGGER} response 422: response removed`,
  },
  {
    edit: "the operationId is renamed (FastAPI's handler was): no generated name changes",
    change: (doc) => {
      trigger(doc).operationId = "trigger_run";
    },
    bump: "patch",
    reason: `patch: ${TRIGGER}: operationId renamed: trigger_ci_api_v1_ci__ci_config_id__trigger_post → trigger_run`,
  },
  {
    edit: "the auth header changes",
    change: (doc) => {
      doc.components.securitySchemes.ApiKeyAuth.name = "X-Api-Key";
    },
    bump: "major",
  },
  {
    edit: "a request constraint is loosened (maxLength raised)",
    base: (doc) => {
      schemas(doc).APIPrDetails.properties.pr_branch.maxLength = 100;
    },
    change: (doc) => {
      schemas(doc).APIPrDetails.properties.pr_branch.maxLength = 255;
    },
    bump: "minor",
    reason: "minor: APIPrDetails.pr_branch (request): maxLength changed (100 → 255)",
  },
  {
    edit: "an optional query parameter is added",
    change: (doc) => {
      trigger(doc).parameters.push({
        name: "dry_run",
        in: "query",
        required: false,
        schema: { type: "boolean" },
      });
    },
    bump: "minor",
    reason: `minor: ${TRIGGER} query dry_run parameter: optional parameter added`,
  },
  {
    edit: "a required query parameter is added",
    change: (doc) => {
      trigger(doc).parameters.push({
        name: "token",
        in: "query",
        required: true,
        schema: { type: "string" },
      });
    },
    bump: "major",
    reason: `major: ${TRIGGER} query token parameter: required parameter added`,
  },
  {
    edit: "a response enum gains a value consumers' exhaustive switches do not know",
    base: (doc) => {
      schemas(doc).ValidationError.properties.type.enum = ["missing", "int_parsing"];
    },
    change: (doc) => {
      schemas(doc).ValidationError.properties.type.enum.push("json_invalid");
    },
    bump: "major",
    reason: 'major: ValidationError.type (response): "json_invalid" now allowed',
  },
  {
    edit: "a keyword this tool does not classify changes (readOnly)",
    change: (doc) => {
      schemas(doc).SubmitCiJob.properties.run_id.readOnly = true;
    },
    bump: "major",
    reason:
      'major: SubmitCiJob.run_id (response): "readOnly" changed, which this tool does not classify; counted as breaking until reviewed',
  },
  {
    edit: "the first server's url changes: requests go elsewhere by default",
    change: (doc) => {
      doc.servers[0].url = "https://eu.datafold.com";
    },
    bump: "major",
    reason:
      "major: servers[0].url: default host changed (https://app.datafold.com → https://eu.datafold.com); the client and CLI send requests there unless told otherwise",
  },
  {
    edit: "a new first server is put before the old one",
    change: (doc) => {
      doc.servers.unshift({ url: "https://eu.datafold.com", description: "EU" });
    },
    bump: "major",
    reason:
      "major: servers[0].url: default host changed (https://app.datafold.com → https://eu.datafold.com); the client and CLI send requests there unless told otherwise",
  },
  {
    edit: "every server is removed: the packages lose their default host",
    change: (doc) => {
      delete doc.servers;
    },
    bump: "major",
    reason:
      "major: servers[0].url: default host removed (was https://app.datafold.com); callers must now give one",
  },
  {
    edit: "a first server is added to a spec with none",
    base: (doc) => {
      delete doc.servers;
    },
    change: (doc) => {
      doc.servers = [{ url: "https://app.datafold.com" }];
    },
    bump: "minor",
    reason: "minor: servers[0].url: default host added (https://app.datafold.com)",
  },
  {
    edit: "a second server is added",
    change: (doc) => {
      doc.servers.push({ url: "https://eu.datafold.com", description: "EU" });
    },
    bump: "minor",
    reason: "minor: servers: other servers changed (servers[1] added)",
  },
  {
    edit: "a second server's url changes",
    base: (doc) => {
      doc.servers.push({ url: "https://eu.datafold.com" });
    },
    change: (doc) => {
      doc.servers[1].url = "https://eu2.datafold.com";
    },
    bump: "minor",
    reason: "minor: servers: other servers changed (servers[1] changed)",
  },
  {
    edit: "the first server's description changes",
    change: (doc) => {
      doc.servers[0].description = "Datafold Cloud";
    },
    bump: "patch",
    reason: "patch: servers[0]: documentation changed (description)",
  },
  {
    edit: "the YAML is rewritten with other key order, quoting and no comments",
    change: (doc) => {
      const { components, ...rest } = doc;
      for (const key of Object.keys(doc)) delete doc[key];
      Object.assign(doc, { components }, rest);
    },
    bump: "none",
  },
];

describe.concurrent("pnpm spec:diff picks the bump consumers need", () => {
  it.each(cases)("$bump when $edit", async ({ base, change, bump, reason }) => {
    const root = await repoWithCommittedSpec(base);
    await editSpec(root, change);
    const result = await specDiff(root, "--base", "HEAD");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.bump).toBe(bump);
    if (reason !== undefined) expect(result.reasons).toContain(reason);
  });

  it("major when the override file renames a client method, naming both names", async () => {
    const root = await repoWithCommittedSpec();
    const file = join(root, "spec/overrides/datafold-api.yaml");
    await writeFile(file, (await readFile(file, "utf8")).replace("method: listCiRuns", "method: listRuns"));
    const { bump, reasons } = await specDiff(root, "--base", "HEAD");
    expect(reasons).toContain(
      "major: GET /api/v1/ci/{ci_config_id}/runs: client method renamed: listCiRuns → listRuns",
    );
    expect(bump).toBe("major");
  });

  it("none, saying so, when spec/ is untouched", async () => {
    const root = await repoWithCommittedSpec();
    const result = await specDiff(root, "--base", "HEAD");
    expect(result.stdout).toBe("spec/ has the same content as at HEAD.\nnone\n");
  });

  it("explains a type break in the compiler's words as well as the rule's", async () => {
    const root = await repoWithCommittedSpec();
    await editSpec(root, (doc) => {
      schemas(doc).APIPrDetails.properties.pr_sha.type = "integer";
    });
    const { reasons } = await specDiff(root, "--base", "HEAD");
    expect(reasons).toContain(
      `major: ${TRIGGER}: old request bodies no longer type-check against the new types ` +
        `(TypeScript: at content["application/json"].pr_sha: Type 'string' is not assignable to type 'number'.)`,
    );
  });

  it("--write writes a changeset bumping the four published packages, with the reasons", async () => {
    const root = await repoWithCommittedSpec();
    await editSpec(root, (doc) => {
      schemas(doc).SubmitCiJob.properties.status = { type: "string" };
    });
    const result = await specDiff(root, "--base", "HEAD", "--write");
    const written = result.reasons.at(-1)?.replace(/^wrote /, "") ?? "";
    expect(written).toMatch(/^\.changeset\/spec-[0-9a-f]{8}\.md$/);
    expect(await readFile(join(root, written), "utf8")).toBe(
      [
        "---",
        '"@datafold-ci/types": minor',
        '"@datafold-ci/client": minor',
        '"@datafold-ci/cli": minor',
        '"@datafold-ci/testing": minor',
        "---",
        "",
        "Regenerated from a new Datafold API description (`spec/` compared with `HEAD` by `pnpm spec:diff`):",
        "",
        "- minor: SubmitCiJob.status (response): optional field added",
        "",
      ].join("\n"),
    );
    // Same spec, same file: a rerun replaces rather than piles up changesets.
    await specDiff(root, "--base", "HEAD", "--write");
    expect(await readdir(join(root, ".changeset"))).toEqual([
      "config.json",
      written.slice(".changeset/".length),
    ]);
  });

  it("--write writes nothing when the bump is none", async () => {
    const root = await repoWithCommittedSpec();
    const result = await specDiff(root, "--base", "HEAD", "--write");
    expect(result.bump).toBe("none");
    expect(await readdir(join(root, ".changeset"))).toEqual(["config.json"]);
  });

  it("rejects an unknown base ref with exit 2 and a sentence naming it", async () => {
    const root = await repoWithCommittedSpec();
    const result = await specDiff(root, "--base", "no-such-branch");
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `spec:diff: "no-such-branch" (from --base) is not a commit in ${root}; pass a branch, tag or sha, e.g. --base origin/main.\n`,
    );
  });
});
