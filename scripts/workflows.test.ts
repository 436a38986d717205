import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const WORKFLOWS = join(repoRoot, ".github/workflows");
const PNPM = "npx -y pnpm@10.20.0";

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, { strategy?: { matrix?: Record<string, unknown> }; steps: Step[] }>;
}

async function workflow(name: string): Promise<{ text: string; parsed: Workflow }> {
  const text = await readFile(join(WORKFLOWS, name), "utf8");
  return { text, parsed: parse(text) as Workflow };
}
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((job) => job.steps);
const runs = (w: Workflow) => steps(w).flatMap((step) => (step.run === undefined ? [] : [step.run]));

/** The README's Quick start test line (the second command), as .ci/run reads it. */
async function readmeTestLine(): Promise<string> {
  const readme = await readFile(join(repoRoot, "README.md"), "utf8");
  const block = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
  return block.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("#"))[1] ?? "";
}

describe(".github/workflows", () => {
  it("holds ci, release and spec-sync, each valid YAML", async () => {
    const names = (await readdir(WORKFLOWS)).sort();
    expect(names).toEqual(["ci.yml", "release.yml", "spec-sync.yml"]);
    for (const name of names) expect((await workflow(name)).parsed.jobs).toBeTypeOf("object");
  });

  it("pins every action to a full commit SHA, with the release it came from in a comment", async () => {
    for (const name of await readdir(WORKFLOWS)) {
      const { text, parsed } = await workflow(name);
      const uses = steps(parsed).flatMap((step) => (step.uses === undefined ? [] : [step.uses]));
      expect(uses.length, name).toBeGreaterThan(0);
      for (const action of uses)
        expect(action, `${name}: ${action}`).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
      for (const line of text.split("\n").filter((l) => /^\s*(- )?uses:/.test(l))) {
        expect(line, name).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
      }
    }
  });

  it("ci.yml tests every supported Node with the README's test line, generate --check, bench:readme --check, lint, format, size and changesets", async () => {
    const { parsed } = await workflow("ci.yml");
    expect(Object.keys(parsed.on)).toEqual(expect.arrayContaining(["push", "pull_request"]));
    expect(parsed.jobs.test?.strategy?.matrix?.node).toEqual([20, 22, 24]);
    const commands = runs(parsed);
    expect(commands).toEqual(
      expect.arrayContaining([
        `${PNPM} install --frozen-lockfile`,
        await readmeTestLine(),
        `${PNPM} generate --check`,
        `${PNPM} bench:readme --check`,
        `${PNPM} lint`,
        `${PNPM} format:check`,
        `${PNPM} size`,
        `${PNPM} changeset status --since=origin/main`,
      ]),
    );
    expect(commands.indexOf(`${PNPM} install --frozen-lockfile`)).toBe(0);
  });

  it("release.yml versions and publishes through changesets/action with an OIDC token for provenance", async () => {
    const { parsed } = await workflow("release.yml");
    expect(parsed.on).toEqual({ push: { branches: ["main"] } });
    expect(parsed.permissions).toMatchObject({
      "id-token": "write",
      contents: "write",
      "pull-requests": "write",
    });
    const changesets = steps(parsed).find((step) => step.uses?.startsWith("changesets/action@"));
    expect(changesets?.with).toMatchObject({ version: "pnpm changeset version", publish: "pnpm release" });
    const rootScripts = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8")).scripts;
    expect(rootScripts.release).toContain("changeset publish");
  });

  it("spec-sync.yml downloads from a configurable URL, filters, regenerates, classifies and opens a PR", async () => {
    const { parsed } = await workflow("spec-sync.yml");
    expect(Object.keys(parsed.on)).toEqual(["schedule", "workflow_dispatch"]);
    const dispatch = parsed.on.workflow_dispatch as { inputs: Record<string, { default: string }> };
    expect(dispatch.inputs["spec-url"]?.default).toMatch(/\/openapi-public\.json$/);
    expect(parsed.env?.SPEC_URL).toContain("inputs.spec-url");
    const commands = runs(parsed).join("\n");
    for (const command of [
      '"$SPEC_URL"',
      `${PNPM} spec:sync --input`,
      `${PNPM} generate`,
      "spec:diff --base HEAD --write",
    ]) {
      expect(commands).toContain(command);
    }
    const pr = steps(parsed).find((step) => step.uses?.startsWith("peter-evans/create-pull-request@"));
    expect(pr?.if).toBe("steps.diff.outputs.bump != 'none'");
    expect(pr?.with?.["add-paths"]).toContain(".changeset/spec-*.md");
  });
});
