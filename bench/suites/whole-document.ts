import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { copyRepository } from "../../scripts/testing/repository-copy.js";
import { PNPM, REPO_ROOT } from "../lib/repo.js";
import { row } from "../lib/report.js";
import { runProcess } from "../lib/run-process.js";
import type { Suite } from "../lib/suite.js";
import { progress } from "../lib/suite.js";

/** Datafold's whole public document, as the spec-evolution test uses it (its README says where it is from). */
const WHOLE_DOCUMENT = join(REPO_ROOT, "scripts", "spec-evolution", "datafold-openapi-public.json");
const TIMEOUT_MS = 20 * 60_000;

/**
 * `generate` and a cold `build` of every package with Datafold's whole document (52 operations) in
 * place of spec/, beside the same two steps with the shipped spec (3 operations), each in its own
 * copy of the repository, one after the other.
 */
export const wholeDocumentSuite: Suite = {
  name: "whole-document",
  title: "Datafold's whole document",
  async run() {
    const shipped = await timeSteps("shipped spec", undefined);
    const whole = await timeSteps("whole document", WHOLE_DOCUMENT);
    const baseline = (key: "generate" | "build") => ({
      what: "shipped spec, 3 operations",
      figure: { value: shipped[key], unit: "ms" },
    });
    return {
      rows: [
        row("generate, shipped spec (3 operations)", { value: shipped.generate, unit: "ms" }),
        row(
          "generate, Datafold's whole document (52 operations)",
          { value: whole.generate, unit: "ms" },
          {
            baseline: baseline("generate"),
          },
        ),
        row("cold build of every package, shipped spec", { value: shipped.build, unit: "ms" }),
        row(
          "cold build of every package, Datafold's whole document",
          { value: whole.build, unit: "ms" },
          {
            baseline: baseline("build"),
          },
        ),
      ],
      notes: [
        "Each in a fresh copy of the repository (scripts/testing/repository-copy.ts: the working tree, with this checkout's node_modules linked): `npx -y pnpm@10.20.0 generate`, then `npx -y pnpm@10.20.0 build` with turbo's cache off (`--force`; its first task is `generate` again). One run each: a cold build is what a spec sync's CI pays once.",
        "The whole document is scripts/spec-evolution/datafold-openapi-public.json, put in spec/ as `datafold-api.json`.",
      ],
    };
  },
};

async function timeSteps(
  label: string,
  document: string | undefined,
): Promise<{ generate: number; build: number }> {
  const copy = await mkdtemp(join(tmpdir(), "datafold-ci-bench-document-"));
  try {
    progress(`${label}: copying the repository`);
    await copyRepository(copy);
    if (document) {
      await rm(join(copy, "spec", "datafold-api.yaml"));
      await cp(document, join(copy, "spec", "datafold-api.json"));
    }
    const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", REDOCLY_TELEMETRY: "off" };
    const pnpm = (...args: string[]) =>
      runProcess(PNPM[0], [...PNPM.slice(1), ...args], { cwd: copy, env, timeoutMs: TIMEOUT_MS });
    progress(`${label}: generate`);
    const generate = await pnpm("generate");
    progress(`${label}: build`);
    const build = await pnpm("build", "--force");
    return { generate: generate.ms, build: build.ms };
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}
