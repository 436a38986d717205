import { readFile } from "node:fs/promises";
import { clientDefaults } from "@datafold-ci/client";
import { describe, expect, it } from "vitest";
import { COMMAND_TABLE } from "../src/cli.js";
import { ExitCode } from "../src/exit-codes.js";
import { PR, PR_BODY, PR_FLAGS } from "./fixtures/ci-environments.js";
import { IN_PROCESS_ENV, runInProcess, TEST_KEY } from "./run-in-process.js";

/** The commands a user can run. */
const COMMANDS = ["trigger", "wait", "runs", "submit"];

/** One flag as a command's --help lists it: `--pr-num, --pr-number <n>` then `env X; default: Y`. */
interface HelpFlag {
  readonly name: string;
  readonly placeholder?: string | undefined;
  readonly env?: string | undefined;
  readonly default?: string | undefined;
}

/** The flags a --help page lists, read from the page as a user reads it. */
function flagsOnHelpPage(page: string): HelpFlag[] {
  const lines = (page.split("\nFlags:\n")[1] ?? "").split("\n\n")[0]!.split("\n");
  const flags: HelpFlag[] = [];
  for (const [index, line] of lines.entries()) {
    const flag = line.match(/^ {2}(?:-\w, )?(--[\w-]+)(?:, --[\w-]+)*(?: <(\w+)>)? {2}/);
    if (!flag) continue;
    const next = lines[index + 1] ?? "";
    const facts = /^ {10,}(?:env (\w+))?(?:; )?(?:default: (.+))?$/.exec(next);
    flags.push({ name: flag[1]!, placeholder: flag[2], env: facts?.[1], default: facts?.[2] });
  }
  return flags;
}

/** Where the diffs a test gives `submit` are read from. */
const DIFFS_FILE = "/project/diffs.json";

/** A value a user could give each kind of flag, one that differs from every value in {@link COMMAND_BASE}. */
const SAMPLE_VALUES: Readonly<Record<string, string>> = {
  n: "31",
  id: "4242",
  branch: "feature/from-test",
  sha: "abcdef0123456789abcdef0123456789abcdef01",
  url: "http://127.0.0.1:8",
  file: DIFFS_FILE,
};

/** Flags that make each command send at least one request outside a CI, failing at once on an error answer. */
const COMMAND_BASE: Readonly<Record<string, string[]>> = {
  trigger: [...PR_FLAGS, "--retries=0"],
  wait: ["--ci-config-id=12", "--pr-num=7", "--retries=0", "--wait-timeout=1"],
  runs: ["--ci-config-id=12", "--pr-num=7", "--retries=0"],
  submit: ["--ci-config-id=12", "--pr-num=7", `--diffs=${DIFFS_FILE}`, "--retries=0"],
};

/**
 * Runs the CLI against a Datafold that starts a run for every POST and answers every GET with a 503, so
 * a wait or a listing ends at its first failure; records every request.
 */
async function recordRun(argv: string[], env: Record<string, string>) {
  const requests: { method: string; url: string; body: unknown }[] = [];
  const run = await runInProcess(argv, env, {
    readFile: async (path) => {
      if (path === DIFFS_FILE) return JSON.stringify([{ prod: "db.prod.t", pr: "db.pr.t" }]);
      throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
    },
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const text = await request.text();
      requests.push({ method: request.method, url: request.url, body: text ? JSON.parse(text) : undefined });
      return request.method === "POST"
        ? Response.json({ ci_run_id: 42, run_id: 17 })
        : new Response("unavailable", { status: 503 });
    },
  });
  return { ...run, requests };
}

/** The plan --debug prints first: the attempts, timeouts and wait the command will really use. */
const planOf = (stderr: string) =>
  stderr
    .split("\n")
    .filter((line) => /^(Plan|Then the wait|Worst case):/.test(line))
    .join("\n");

describe("--help and --version", () => {
  it("lists every command, and every exit code with its meaning", async () => {
    const { code, stdout } = await runInProcess(["--help"], {});
    expect(code).toBe(0);
    for (const name of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${name} +\\S`, "m"));
    const section = stdout.split("\nExit codes:\n")[1]?.split("\n\n")[0] ?? "";
    const listed = [...section.matchAll(/^ +(\d+) {2}\S/gm)].map((match) => Number(match[1]));
    expect(listed).toEqual([0, 1, 2, 3, 4, 5, 6, 70, 130, 143]);
  });

  it("names in each command's --help the variable each flag really reads", async () => {
    for (const name of COMMANDS) {
      const flags = flagsOnHelpPage((await runInProcess([name, "--help"], {})).stdout);
      const withEnv = flags.filter((flag) => flag.env !== undefined);
      expect(
        withEnv.map((flag) => flag.name),
        name,
      ).toContain("--host");
      for (const flag of withEnv) {
        const value = SAMPLE_VALUES[flag.placeholder ?? ""];
        expect(value, `${name} ${flag.name} <${flag.placeholder}>`).toBeDefined();
        const base = COMMAND_BASE[name]!.filter((arg) => !arg.startsWith(`${flag.name}=`));
        const { [flag.env!]: _, ...env } = IN_PROCESS_ENV;
        const byFlag = await recordRun([name, ...base, `${flag.name}=${value}`], env);
        const byVariable = await recordRun([name, ...base], { ...env, [flag.env!]: value! });
        const label = `${name}: ${flag.env} for ${flag.name}`;
        // The value reaches Datafold, or (a run to wait for) is what the command looks for.
        expect(JSON.stringify([byFlag.requests, byFlag.stderr]), label).toContain(
          value === DIFFS_FILE ? "db.pr.t" : value,
        );
        expect(byVariable.requests, label).toEqual(byFlag.requests);
        expect(byVariable.code, label).toBe(byFlag.code);
      }
    }
  });

  it("shows in each command's --help the default each flag really takes", async () => {
    for (const name of COMMANDS) {
      const flags = flagsOnHelpPage((await runInProcess([name, "--help"], {})).stdout);
      for (const flag of flags.filter((flag) => /^\d+$/.test(flag.default ?? ""))) {
        // The trigger uses the wait's flags only with --wait, which against this Datafold waits its whole
        // --wait-timeout; the wait command shows their defaults.
        if (name === "trigger" && /^--(wait-timeout|poll-interval)$/.test(flag.name)) continue;
        const base = COMMAND_BASE[name]!.filter((arg) => !arg.startsWith(`${flag.name}=`));
        const without = await recordRun([name, ...base, "--debug"], IN_PROCESS_ENV);
        const given = await recordRun(
          [name, ...base, "--debug", `${flag.name}=${flag.default}`],
          IN_PROCESS_ENV,
        );
        const other = await recordRun(
          [name, ...base, "--debug", `${flag.name}=${Number(flag.default) === 1 ? 3 : 1}`],
          IN_PROCESS_ENV,
        );
        const label = `${name} ${flag.name} (default: ${flag.default})`;
        expect(without.requests, label).toEqual(given.requests);
        expect(planOf(without.stderr), label).toBe(planOf(given.stderr));
        // What the flag changes shows in the requests or the plan; the poll interval shows in neither.
        if (flag.name !== "--poll-interval")
          expect(
            JSON.stringify([other.requests, planOf(other.stderr)]),
            `${label}: giving another value changes nothing`,
          ).not.toBe(JSON.stringify([without.requests, planOf(without.stderr)]));
      }
    }
  });

  it("says in every command's --help where the API key goes: DATAFOLD_API_KEY, never a flag", async () => {
    for (const entry of COMMAND_TABLE) {
      const page = await runInProcess([entry.name, "--help"], {});
      expect(page.stdout, entry.name).toMatch(
        /The API key is read only from DATAFOLD_API_KEY \(or the legacy DATAFOLD_APIKEY\), never from a flag/,
      );
    }
  });

  it("lists in each command's --help only the exit codes that command can return", async () => {
    const always = [ExitCode.Ok, ExitCode.RequestFailed, ExitCode.Usage];
    const waiting = [
      ExitCode.RunFailed,
      ExitCode.RunCancelled,
      ExitCode.WaitTimedOut,
      ExitCode.Interrupted,
      ExitCode.Terminated,
    ];
    const expected: Record<string, number[]> = {
      trigger: [...always, ExitCode.NoRunStarted, ...waiting, ExitCode.Internal],
      wait: [...always, ...waiting, ExitCode.Internal],
      runs: [...always, ExitCode.Internal],
      submit: [...always, ExitCode.NoRunStarted, ExitCode.Internal],
    };
    expect(COMMAND_TABLE.map((entry) => entry.name)).toEqual(COMMANDS);
    for (const entry of COMMAND_TABLE) {
      const page = await runInProcess([entry.name, "--help"], {});
      const section = page.stdout.split("\nExit codes:\n")[1]?.split("\n\n")[0] ?? "";
      const listed = [...section.matchAll(/^ +(\d+) {2}\S/gm)].map((match) => Number(match[1]));
      expect(listed, entry.name).toEqual([...expected[entry.name]!].sort((a, b) => a - b));
    }
  });

  it("shows no default for a switch, which is off unless given", async () => {
    for (const entry of COMMAND_TABLE) {
      const page = await runInProcess([entry.name, "--help"], {});
      expect(page.stdout, entry.name).not.toContain("default: off");
    }
  });

  it("says in each command's --help which statuses --retries retries", async () => {
    const statuses = (text: string) => (text.match(/\b[1-5]\d\d\b/g) ?? []).map(Number);
    for (const name of COMMANDS) {
      const page = await runInProcess([name, "--help"], {});
      const line = page.stdout.split("\n").find((row) => /^ +--retries /.test(row)) ?? "";
      if (name === "trigger") {
        // The trigger itself never retries 409; the runs it lists (the run check, --wait) do.
        const [own = "", listing = ""] = line.split("(");
        expect(statuses(own)).toEqual([408, 429, 500, 502, 503, 504]);
        expect(listing).toMatch(/^listing runs/);
        expect(statuses(listing)).toEqual([409]);
      } else expect(statuses(line), name).toEqual([408, 409, 429, 500, 502, 503, 504]);
    }
  });

  it("names in the README's flag table the statuses --retries retries", async () => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    const row = readme.split("\n").find((line) => line.startsWith("| `--retries"));
    const listed = [...new Set((row?.match(/\b[1-5]\d\d\b/g) ?? []).map(Number))].sort((a, b) => a - b);
    expect(listed).toEqual(clientDefaults.retryableStatuses);
    expect(row).toMatch(/409[^|]*not[^|]*trigger|trigger[^|]*not[^|]*409/);
  });

  it("sends to the host --help names as --host's default when neither --host nor DATAFOLD_HOST is given", async () => {
    const page = await runInProcess(["trigger", "--help"], {});
    const host = flagsOnHelpPage(page.stdout).find((flag) => flag.name === "--host")?.default;
    expect(host).toBe("https://app.datafold.com");
    const run = await runInProcess(["trigger", ...PR_FLAGS], { DATAFOLD_API_KEY: TEST_KEY });
    expect(run.code).toBe(0);
    expect(run.requests.map((request) => new URL(request.url).origin)).toEqual([host]);
  });

  it("prints the package version", async () => {
    const { stdout } = await runInProcess(["--version"], {});
    const { version } = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
    expect(stdout).toBe(`${version}\n`);
  });

  it("points to the command's --help after a usage error, on stderr, with exit 2", async () => {
    const run = await runInProcess(["trigger", "--bogus"], {});
    expect(run).toMatchObject({ code: ExitCode.Usage, stdout: "" });
    expect(run.stderr).toBe('error: unknown flag --bogus\nRun "datafold-ci trigger --help" for usage.\n');
    const late = await runInProcess(["--wait-timout", "9", "wait"], {});
    expect(late.stderr).toMatch(/^error: unknown flag --wait-timout \(did you mean --wait-timeout\?\)\n/);
    expect(late.stderr).toContain('Run "datafold-ci wait --help" for usage.');
  });

  it("points to the overview's --help when no command is named", async () => {
    const run = await runInProcess(["--bogus"], {});
    expect(run).toMatchObject({ code: ExitCode.Usage, stdout: "" });
    expect(run.stderr).toBe('error: unknown flag --bogus\nRun "datafold-ci --help" for usage.\n');
  });
});

describe("--dry-run", () => {
  it("prints the request with the key redacted and where each value came from, and sends nothing", async () => {
    const run = await runInProcess(["trigger", ...PR_FLAGS.slice(0, 5), "--dry-run"], {
      ...IN_PROCESS_ENV,
      DATAFOLD_BASE_SHA: PR.baseSha,
    });
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.requests).toEqual([]);
    expect(run.stdout).toMatch(/--pr-num +7 +from flag --pr-num\n/);
    expect(run.stdout).toMatch(
      /--base-sha +9f8e7d6c\w+ +from DATAFOLD_BASE_SHA: as given by DATAFOLD_BASE_SHA \(/,
    );
    expect(run.stdout).toMatch(/--host +http:\/\/127\.0\.0\.1:9 +from DATAFOLD_HOST\n/);
    expect(run.stdout).toMatch(/API key +\[REDACTED\] +from DATAFOLD_API_KEY\n/);
    expect(run.stdout).toContain("  POST http://127.0.0.1:9/api/v1/ci/12/trigger\n");
    expect(run.stdout).toContain("  authorization: Key [REDACTED]\n");
    expect(run.stdout).toContain('    "pr_number": 7,\n');
    expect(run.stdout).toMatch(/Dry run: nothing was sent\.\n$/);
  });

  it("prints the same as JSON with --json", async () => {
    const run = await runInProcess(["trigger", ...PR_FLAGS, "--dry-run", "--json"], IN_PROCESS_ENV);
    const printed = JSON.parse(run.stdout);
    expect(printed).toMatchObject({
      dryRun: true,
      request: {
        method: "POST",
        url: "http://127.0.0.1:9/api/v1/ci/12/trigger",
        headers: { authorization: "Key [REDACTED]" },
        body: PR_BODY,
      },
      ci: "none detected",
    });
    expect(printed.rows).toContainEqual({ name: "--pr-sha", value: PR.headSha, from: "from flag --pr-sha" });
    expect(run.requests).toEqual([]);
  });

  it("still reports bad input, with exit 2", async () => {
    const run = await runInProcess(["trigger", ...PR_FLAGS.slice(1), "--dry-run"], IN_PROCESS_ENV);
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stdout).toMatch(/--ci-config-id +\(missing\) +not given/);
    expect(run.stderr).toContain("--ci-config-id is missing");
  });
});

describe("output", () => {
  it("prints one line naming the run and the PR on success", async () => {
    const run = await runInProcess(["trigger", ...PR_FLAGS], IN_PROCESS_ENV);
    expect(run.stdout).toBe("Datafold CI run 42 started for PR #7 (feature/x → main, 1a2b3c4)\n");
    expect(run.stderr).toBe("");
  });

  it("colours errors only on a terminal, and never when NO_COLOR is set", async () => {
    const tty = await runInProcess(["trigger", "--bogus"], {}, { isTTY: true });
    expect(tty.stderr).toContain("\u001b[31merror:\u001b[0m");
    const noColor = await runInProcess(["trigger", "--bogus"], { NO_COLOR: "1" }, { isTTY: true });
    expect(noColor.stderr).not.toContain("\u001b[");
    const pipe = await runInProcess(["trigger", "--bogus"], {}, { isTTY: false });
    expect(pipe.stderr).not.toContain("\u001b[");
  });

  it("replaces the API key wherever it would be printed, even in a value the user typed", async () => {
    const run = await runInProcess(
      ["trigger", ...PR_FLAGS, `--pr-branch=${TEST_KEY}`, "--dry-run"],
      IN_PROCESS_ENV,
    );
    expect(run.stdout).toMatch(/--pr-branch +\[REDACTED\]/);
  });

  it("explains an unexpected error without a stack trace, and with one under --debug", async () => {
    const boom = () => {
      throw new TypeError("boom");
    };
    const plain = await runInProcess(["trigger", ...PR_FLAGS.slice(0, 5)], IN_PROCESS_ENV, { git: boom });
    const debug = await runInProcess(["trigger", ...PR_FLAGS.slice(0, 5), "--debug"], IN_PROCESS_ENV, {
      git: boom,
    });
    expect(plain.stderr).toBe(
      "error: unexpected error: boom. This is a bug in datafold-ci (exit 70); run again with --debug for details and report it.\n",
    );
    expect(plain.code).toBe(ExitCode.Internal);
    expect(debug.stderr).toMatch(/TypeError: boom\n +at /);
  });
});
