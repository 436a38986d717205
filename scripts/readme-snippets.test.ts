import { execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./packaging/published-packages.js";

// The documentation's code is checked the way a reader uses it: every ```ts block is pasted into a file of a
// project that depends on the built packages and typechecked; every ```sh block runs, unless a marker on
// the last line before its fence (`<!-- not-compiled: reason -->`, `<!-- not-run: reason -->`) says why it cannot.

/** A fenced block of a Markdown file. */
interface Block {
  /** The Markdown file, relative to the repository root. */
  readonly file: string;
  /** The line of the block's first line of code (1-based). */
  readonly line: number;
  readonly lang: string;
  readonly code: string;
  /** The reason given by an opt-out marker before the fence, if any. */
  readonly optOut: { readonly marker: string; readonly reason: string } | undefined;
}

const TS_LANGS = new Set(["ts", "typescript"]);
const SH_LANGS = new Set(["sh", "bash", "shell"]);
const OPT_OUT = /^<!--\s*(not-compiled|not-run):\s*(.*?)\s*-->$/;
/** Each sh block's bound: a recipe that hangs (a server left running in the foreground) fails. */
const SH_TIMEOUT_MS = 20_000;
/** The published packages' bins, linked into each sh block's project as an install would. */
const BINS = { "datafold-ci": "cli/bin/datafold-ci.js", "datafold-mock": "testing/bin/datafold-mock.js" };
const PACKAGES = ["types", "client", "cli", "testing"];
/** What the docs import besides the packages and what the root installs, from the package that depends on it. */
const ALSO_RESOLVED = { undici: "packages/cli/node_modules/undici" };

/** README.md, docs/**.md and packages/*\/README.md. */
async function documentationFiles(): Promise<string[]> {
  const docs = (await readdir(join(REPO_ROOT, "docs"), { recursive: true }))
    .filter((name) => name.endsWith(".md"))
    .map((name) => join("docs", name));
  const packages = (await readdir(join(REPO_ROOT, "packages"))).map((name) =>
    join("packages", name, "README.md"),
  );
  const present = await Promise.all(
    packages.map((file) =>
      readFile(join(REPO_ROOT, file)).then(
        () => file,
        () => undefined,
      ),
    ),
  );
  return ["README.md", ...docs.sort(), ...present.filter((file) => file !== undefined)];
}

/** The fenced blocks of `text`, with the line each starts on and the opt-out marker before it. */
function fencedBlocks(file: string, text: string): Block[] {
  const lines = text.split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i] ?? "");
    if (!open) continue;
    const fence = open[2] ?? "```";
    let end = i + 1;
    while (end < lines.length && !(lines[end] ?? "").trim().startsWith(fence)) end++;
    // The marker is the last non-blank line before the fence (prettier puts a blank line between them).
    let before = i - 1;
    while (before > 0 && (lines[before] ?? "").trim() === "") before--;
    const marker = OPT_OUT.exec((lines[before] ?? "").trim());
    blocks.push({
      file,
      line: i + 2,
      lang: (open[3] ?? "").toLowerCase(),
      code: lines.slice(i + 1, end).join("\n"),
      optOut: marker ? { marker: marker[1] ?? "", reason: marker[2] ?? "" } : undefined,
    });
    i = end;
  }
  return blocks;
}

let blocks: Block[] = [];
let work = "";

beforeAll(async () => {
  const files = await documentationFiles();
  blocks = (
    await Promise.all(
      files.map(async (file) => fencedBlocks(file, await readFile(join(REPO_ROOT, file), "utf8"))),
    )
  ).flat();
  // Inside the repository, so that what the packages import (openapi-fetch, msw) resolves as in a project.
  work = await mkdtemp(join(REPO_ROOT, ".snippets-"));
  await mkdir(join(work, "node_modules", "@datafold-ci"), { recursive: true });
  for (const name of PACKAGES)
    await symlink(join(REPO_ROOT, "packages", name), join(work, "node_modules", "@datafold-ci", name), "dir");
  for (const [name, path] of Object.entries(ALSO_RESOLVED))
    await symlink(join(REPO_ROOT, path), join(work, "node_modules", name), "dir");
  await mkdir(join(work, "node_modules", ".bin"));
  for (const [bin, target] of Object.entries(BINS))
    await symlink(join("..", "@datafold-ci", target), join(work, "node_modules", ".bin", bin));
  await writeFile(
    join(work, "package.json"),
    `${JSON.stringify({ name: "snippets", private: true, type: "module" })}\n`,
  );
});

afterAll(() => (work ? rm(work, { recursive: true, force: true }) : undefined));

const where = (block: Block) => `${block.file}:${block.line}`;

describe("the documentation's code blocks", () => {
  it("opt out only with a reason, and only where the marker means something", () => {
    const wrong = blocks
      .filter(({ optOut }) => optOut !== undefined)
      .filter(
        ({ optOut, lang }) =>
          optOut?.reason === "" ||
          (optOut?.marker === "not-compiled" && !TS_LANGS.has(lang)) ||
          (optOut?.marker === "not-run" && !SH_LANGS.has(lang)),
      )
      .map(where);
    expect(
      wrong,
      "markers with no reason, or not-compiled on a non-ts block / not-run on a non-sh block",
    ).toEqual([]);
  });

  it("typecheck (every ```ts block, pasted as it is into a project that installed the packages)", async () => {
    const ts = blocks.filter((block) => TS_LANGS.has(block.lang) && block.optOut === undefined);
    expect(ts.length, "ts blocks found").toBeGreaterThan(5);
    const sources = new Map<string, Block>();
    await mkdir(join(work, "ts"));
    for (const [index, block] of ts.entries()) {
      const name = `${index}-${block.file.replaceAll(/[^\w]+/g, "-")}-${block.line}.ts`;
      sources.set(name, block);
      // `export {}` keeps each block a module of its own, so two blocks may declare the same name.
      await writeFile(join(work, "ts", name), `${block.code}\nexport {};\n`);
    }
    await writeFile(
      join(work, "ts", "tsconfig.json"),
      JSON.stringify({
        extends: relative(join(work, "ts"), join(REPO_ROOT, "tsconfig.base.json")),
        compilerOptions: { types: ["node"], noUnusedLocals: false },
        include: ["*.ts"],
      }),
    );
    const tsc = join(REPO_ROOT, "node_modules", ".bin", "tsc");
    const output = await promisify(execFile)(tsc, ["-p", join(work, "ts"), "--pretty", "false"], {
      cwd: work,
    }).then(
      () => "",
      (error: { stdout?: string; message: string }) => error.stdout || error.message,
    );
    // `0-README-md-52.ts(3,7): error TS2304: …` → `README.md:54:7: error TS2304: …`
    const errors = output
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => {
        const match = /^(?:.*[\\/])?([^\\/(]+\.ts)\((\d+),(\d+)\): (.*)$/.exec(line);
        const block = match ? sources.get(match[1] ?? "") : undefined;
        if (!match || !block) return line;
        return `${block.file}:${block.line + Number(match[2]) - 1}:${match[3]}: ${match[4]}`;
      });
    expect(errors, "errors in the documentation's ts blocks (file:line of the Markdown)").toEqual([]);
  });

  it("run (every ```sh block without a not-run marker, in a project that installed the packages)", async () => {
    const sh = blocks.filter((block) => SH_LANGS.has(block.lang) && block.optOut === undefined);
    expect(sh.length, "runnable sh blocks found").toBeGreaterThan(0);
    const failures: string[] = [];
    for (const [index, block] of sh.entries()) {
      const cwd = join(work, `sh-${index}`);
      await mkdir(cwd);
      await symlink(join(work, "node_modules"), join(cwd, "node_modules"), "dir");
      const result = await runShell(block.code, cwd);
      if (result.code !== 0 || result.timedOut || result.leftRunning)
        failures.push(
          `${where(block)}: ${result.timedOut ? `still running after ${SH_TIMEOUT_MS / 1000} s` : `exit ${result.code}`}${
            result.leftRunning ? ", and it left processes running" : ""
          }\n${result.output.trim()}`,
        );
    }
    expect(failures, "sh blocks that failed").toEqual([]);
  });
});

/**
 * Runs `code` with `bash -e` in a process group of its own; after bash ends, any process still in the group
 * (a server a recipe failed to stop) counts against the recipe, and is killed.
 */
function runShell(
  code: string,
  cwd: string,
): Promise<{ code: number | null; output: string; timedOut: boolean; leftRunning: boolean }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-e", "-c", code], {
      cwd,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, PATH: `${join(cwd, "node_modules", ".bin")}:${process.env.PATH ?? ""}` },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, "SIGKILL");
    }, SH_TIMEOUT_MS);
    child.on("close", async (exitCode) => {
      clearTimeout(timer);
      // A process that got its stop signal may take a moment to exit.
      await new Promise((settle) => setTimeout(settle, 300));
      const leftRunning = !timedOut && killGroup(child.pid, "SIGKILL");
      resolve({ code: exitCode, output, timedOut, leftRunning });
    });
  });
}

/** Signals the process group `pid` leads; whether any process of it was still there. */
function killGroup(pid: number | undefined, signal: NodeJS.Signals): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}
