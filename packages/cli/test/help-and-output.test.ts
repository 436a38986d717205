import { readFile } from "node:fs/promises";
import { clientDefaults } from "@datafold-ci/client";
import { describe, expect, it } from "vitest";
import { everyFlag } from "../src/args/flag-table.js";
import { COMMAND_TABLE } from "../src/cli.js";
import { EXIT_CODE_MEANINGS, ExitCode } from "../src/exit-codes.js";
import { PR, PR_BODY, PR_FLAGS } from "./fixtures/ci-environments.js";
import { IN_PROCESS_ENV, runInProcess, TEST_KEY } from "./run-in-process.js";

describe("--help and --version", () => {
  it("lists every command, and every exit code with its meaning", async () => {
    const { code, stdout } = await runInProcess(["--help"], {});
    expect(code).toBe(ExitCode.Ok);
    for (const entry of COMMAND_TABLE) expect(stdout).toMatch(new RegExp(`^  ${entry.name} +\\S`, "m"));
    for (const entry of COMMAND_TABLE) expect(stdout).toContain(entry.summary);
    for (const exitCode of Object.values(ExitCode))
      expect(stdout).toContain(
        `${String(exitCode).padStart(3)}  ${EXIT_CODE_MEANINGS[exitCode].replaceAll("`", "")}`,
      );
  });

  it("lists each command's flags with default and environment variable in its --help", async () => {
    const pages = await Promise.all(
      COMMAND_TABLE.map(async (entry) => {
        const page = await runInProcess([entry.name, "--help"], {});
        const { command } = await entry.load();
        expect(page.code).toBe(ExitCode.Ok);
        expect(page.stdout).toContain(`Usage: datafold-ci ${command.usage}`);
        for (const name of command.flags) expect(page.stdout).toContain(`--${name}`);
        const flags = [...page.stdout.matchAll(/^ +(?:-\w, )?--([\w-]+)/gm)].map((match) => match[1]!);
        return { stdout: page.stdout, flags };
      }),
    );
    const stdout = pages.map((page) => page.stdout).join("\n");
    const taken = new Set([...pages.flatMap((page) => page.flags), "quiet", "debug", "help", "version"]);
    const flags = everyFlag();
    expect(flags.filter((flag) => !taken.has(flag.name)).map((flag) => flag.name)).toEqual([]);
    for (const flag of flags) {
      expect(stdout).toContain(`--${flag.name}`);
      for (const alias of flag.aliases ?? []) expect(stdout).toContain(`--${alias}`);
      if (flag.env) expect(stdout).toContain(`env ${flag.env}`);
      if (flag.default) expect(stdout).toContain(`default: ${flag.default}`);
    }
    expect(stdout).toContain('"done" means the run finished, not that it found no differences');
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
    expect(Object.keys(expected)).toEqual(COMMAND_TABLE.map((entry) => entry.name));
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

  it("says in each command's --help which statuses --retries retries, as the client's policy has them", async () => {
    const statuses = (text: string) => (text.match(/\b[1-5]\d\d\b/g) ?? []).map(Number);
    const onlyWhenListing = clientDefaults.retryableStatuses.filter(
      (code) => !clientDefaults.triggerRetryableStatuses.includes(code),
    );
    for (const entry of COMMAND_TABLE) {
      const page = await runInProcess([entry.name, "--help"], {});
      const line = page.stdout.split("\n").find((row) => /^ +--retries /.test(row));
      expect(line, entry.name).toBeDefined();
      const text = line ?? "";
      expect(text).toContain("408");
      expect(text).not.toMatch(/501|505|5xx/);
      if (entry.name === "trigger") {
        // The trigger itself never retries 409; the runs it lists (the run check, --wait) do.
        const [own, listing = ""] = text.split("(");
        expect(statuses(own ?? "")).toEqual(clientDefaults.triggerRetryableStatuses);
        expect(listing).toMatch(/^listing runs/);
        expect(statuses(listing)).toEqual(onlyWhenListing);
      } else expect(statuses(text)).toEqual(clientDefaults.retryableStatuses);
    }
  });

  it("names in the README's flag table the statuses --retries retries", async () => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    const row = readme.split("\n").find((line) => line.startsWith("| `--retries"));
    const listed = [...new Set((row?.match(/\b[1-5]\d\d\b/g) ?? []).map(Number))].sort((a, b) => a - b);
    expect(listed).toEqual(clientDefaults.retryableStatuses);
    expect(row).toMatch(/409[^|]*not[^|]*trigger|trigger[^|]*not[^|]*409/);
  });

  it("shows the client's own default host as --host's default", async () => {
    const page = await runInProcess(["trigger", "--help"], {});
    const lines = page.stdout.split("\n");
    const at = lines.findIndex((line) => /^ +--host /.test(line));
    expect(lines[at + 1]).toContain(`default: ${clientDefaults.baseUrl}`);
  });

  it("prints the package version", async () => {
    const { stdout } = await runInProcess(["--version"], {});
    expect(stdout).toBe(`${__PACKAGE_VERSION__}\n`);
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
