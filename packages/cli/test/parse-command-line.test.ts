import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../src/args/command-line.js";
import { everyFlag } from "../src/args/flag-table.js";
import { COMMAND_TABLE } from "../src/cli.js";

const grammar = { commands: COMMAND_TABLE.map((entry) => entry.name), flags: everyFlag() };
const parse = (...argv: string[]) => parseCommandLine(argv, grammar);
const failure = (...argv: string[]) => {
  try {
    parse(...argv);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a usage error");
};

describe("parseCommandLine", () => {
  it("accepts the official CLI's flags verbatim, in both --flag value and --flag=value forms", () => {
    const line = parse(
      "trigger",
      "--ci-config-id",
      "12",
      "--pr-num=7",
      "--base-branch",
      "main",
      "--base-sha",
      "abc1234",
      "--pr-branch=feature/x",
      "--pr-sha",
      "def5678",
    );
    expect(line.command).toBe("trigger");
    expect(Object.fromEntries([...line.strings].map(([name, flag]) => [name, flag.value]))).toEqual({
      "ci-config-id": "12",
      "pr-num": "7",
      "base-branch": "main",
      "base-sha": "abc1234",
      "pr-branch": "feature/x",
      "pr-sha": "def5678",
    });
  });

  it("files --pr-number under --pr-num, remembering the spelling typed", () => {
    expect(parse("trigger", "--pr-number", "7").strings.get("pr-num")).toEqual({
      value: "7",
      typed: "--pr-number",
    });
  });

  it("refuses --pr-num and --pr-number with different values", () => {
    expect(failure("trigger", "--pr-num", "7", "--pr-number", "8")).toBe(
      "--pr-num and --pr-number are the same flag but were given different values",
    );
  });

  it("refuses --api-key in every spelling without repeating the value", () => {
    for (const argv of [
      ["trigger", "--api-key", "s3cr3t-value"],
      ["trigger", "--api-key=s3cr3t-value"],
      ["trigger", "--apikey", "s3cr3t-value"],
      ["--API_KEY=s3cr3t-value", "trigger"],
    ]) {
      const message = failure(...argv);
      expect(message).toMatch(/^--api-key is not accepted: .* DATAFOLD_API_KEY environment variable/);
      expect(message).not.toContain("s3cr3t");
    }
  });

  it("names an unknown flag, suggests the closest known one, and never repeats its value", () => {
    const message = failure("trigger", "--pr-nun=hunter2");
    expect(message).toBe("unknown flag --pr-nun (did you mean --pr-num?)");
    expect(failure("trigger", "--token", "hunter2")).toBe("unknown flag --token");
  });

  it("says a flag needs a value rather than swallowing the next flag", () => {
    expect(failure("trigger", "--pr-num")).toBe("--pr-num needs a value: --pr-num <n>");
    expect(failure("trigger", "--pr-num", "--json")).toMatch(
      /^--pr-num needs a value, but the next argument is the flag --json/,
    );
  });

  it("refuses a value on a switch", () => {
    expect(failure("trigger", "--json=false")).toBe("--json takes no value");
  });

  it("asks for the command when there is none, and names an unknown one", () => {
    const names = COMMAND_TABLE.map((entry) => entry.name).join(", ");
    expect(failure("--pr-num", "7")).toBe(`missing command: one of ${names} (e.g. datafold-ci trigger)`);
    expect(failure("start")).toBe(`unknown command "start": the commands are ${names}`);
    expect(failure("trigger", "extra")).toMatch(/^unexpected argument "extra"/);
  });

  it("lets --help and --version win over a missing command", () => {
    expect(parse("--help").command).toBe("help");
    expect(parse("-h").command).toBe("help");
    expect(parse("help").command).toBe("help");
    expect(parse("trigger", "--help")).toMatchObject({ command: "help", topic: "trigger" });
    expect(parse("help", "trigger")).toMatchObject({ command: "help", topic: "trigger" });
    expect(parse("--version").command).toBe("version");
  });

  it("reads -q as --quiet", () => {
    expect(parse("trigger", "-q").booleans.has("quiet")).toBe(true);
  });
});
