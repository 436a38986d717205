import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { REPO_ROOT } from "../packaging/published-packages.js";
import { actionTags } from "./action-tags.js";

// A version the docs pin (`@datafold-ci/cli@<v>`, the action's `@v<v>`) that no release publishes sends users to
// nothing: each version the docs name must be the current one or the one the pending changesets make.
const run = promisify(execFile);
const DOCS = ["README.md", "packages/cli/README.md"];

async function releasableVersions(): Promise<Set<string>> {
  const cli = JSON.parse(await readFile(join(REPO_ROOT, "packages/cli/package.json"), "utf8")) as {
    version: string;
  };
  const dir = await mkdtemp(join(tmpdir(), "datafold-ci-status-"));
  try {
    const output = join(dir, "status.json");
    await run(join(REPO_ROOT, "node_modules/.bin/changeset"), ["status", "--output", output], {
      cwd: REPO_ROOT,
    });
    const status = JSON.parse(await readFile(output, "utf8")) as {
      releases: { name: string; newVersion: string }[];
    };
    const next = status.releases.find((r) => r.name === "@datafold-ci/cli")?.newVersion;
    return new Set(next === undefined ? [cli.version] : [next]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

it("the README examples name CLI versions and action tags that the next release creates", async () => {
  const versions = await releasableVersions();
  const tags = new Set([...versions].flatMap((v) => Object.values(actionTags(v)).filter(Boolean)));
  let found = 0;
  for (const doc of DOCS) {
    const text = await readFile(join(REPO_ROOT, doc), "utf8");
    for (const [, version = ""] of text.matchAll(/@datafold-ci\/cli@(\d+\.\d+\.\d+\S*)/g)) {
      expect([...versions], `${doc}: @datafold-ci/cli@${version}`).toContain(version);
      found++;
    }
    for (const [, tag = ""] of text.matchAll(/uses: datafold-ci\/datafold-ci@(v[\w.-]+)/g)) {
      expect([...tags], `${doc}: uses: …@${tag}`).toContain(tag);
      found++;
    }
    for (const [, version = ""] of text.matchAll(/# version: (\d+\.\d+\.\d+)/g)) {
      expect([...versions], `${doc}: version: ${version}`).toContain(version);
      found++;
    }
  }
  expect(found).toBeGreaterThanOrEqual(3);
});
