import { API_KEY_VARIABLES } from "@datafold-ci/api-description";
import { envValue, isTrimmed, TRIMMED } from "../ci/read-variable.js";
import type {
  Arguments,
  CliInput,
  CommandLine,
  ConnectionSettings,
  Env,
  SourcedId,
  SourcedValue,
  WaitSettings,
} from "../types.js";
import {
  DEFAULT_MAX_TIME_SECONDS,
  DEFAULT_POLL_INTERVAL_SECONDS,
  DEFAULT_RETRIES,
  DEFAULT_TIMEOUT_SECONDS,
  DEFAULT_WAIT_TIMEOUT_SECONDS,
  MAX_RETRIES,
  MAX_TIMEOUT_SECONDS,
} from "./flags.js";
import { type NumberRule, parseNumber } from "./values.js";

/**
 * The command line and the `DATAFOLD_*` variables as typed values, read once for the whole command: the
 * switches, the connection and wait settings, `--ci-run-id` (or its variable, for a command that `takes` it),
 * and each of `inputs` (the command's operation inputs) from its flag, else its variable. Every bad value is a
 * problem in `problems`, and its setting keeps its default, so a command reports all of them at once with its own.
 * A variable's value is read without the whitespace around it (a flag's as typed); `notes` says which were.
 */
export function readArguments(
  line: CommandLine,
  env: Env,
  { inputs, takes }: { readonly inputs: readonly CliInput[]; readonly takes: readonly string[] },
): Arguments {
  const problems: string[] = [];
  const read = new Set<string>();
  const fromEnv = (name: string): SourcedValue | undefined => {
    read.add(name);
    const value = envValue(env, name);
    if (value === undefined) return undefined;
    return { value, source: { kind: "env", name, ...(isTrimmed(env, name) && { detail: TRIMMED }) } };
  };
  const flag = (name: string): SourcedValue | undefined => {
    const given = line.strings.get(name);
    return given && { value: given.value, source: { kind: "flag", name: given.typed } };
  };
  const number = (name: string, fallback: number, rule: NumberRule, given = flag(name)): number => {
    if (given === undefined) return fallback;
    const parsed = parseNumber(`--${name}`, given, rule);
    if (parsed.ok) return parsed.value;
    problems.push(parsed.problem);
    return fallback;
  };
  const switched = (name: string) => line.booleans.has(name);

  const connection: ConnectionSettings = {
    host: flag("host"),
    timeoutSeconds: number("timeout", DEFAULT_TIMEOUT_SECONDS, {
      whole: false,
      min: 0,
      aboveMin: true,
      max: MAX_TIMEOUT_SECONDS,
      unit: "seconds",
      example: "30 or 2.5",
    }),
    maxTimeSeconds: number("max-time", DEFAULT_MAX_TIME_SECONDS, {
      whole: false,
      min: 0,
      aboveMin: true,
      max: MAX_TIMEOUT_SECONDS,
      unit: "seconds",
      example: "120 or 2.5",
    }),
    retries: number("retries", DEFAULT_RETRIES, { whole: true, min: 0, max: MAX_RETRIES }),
    allowInsecureHttp: switched("allow-insecure-http"),
  };
  const wait: WaitSettings = {
    waitTimeoutSeconds: number("wait-timeout", DEFAULT_WAIT_TIMEOUT_SECONDS, {
      whole: false,
      min: 1,
      max: 86_400,
      unit: "seconds",
    }),
    pollIntervalSeconds: number("poll-interval", DEFAULT_POLL_INTERVAL_SECONDS, {
      whole: false,
      min: 1,
      max: 300,
      unit: "seconds",
    }),
  };

  const runIdGiven = takes.includes("ci-run-id")
    ? (flag("ci-run-id") ?? fromEnv("DATAFOLD_CI_RUN_ID"))
    : undefined;
  let ciRunId: SourcedId | undefined;
  if (runIdGiven) {
    const parsed = parseNumber("--ci-run-id", runIdGiven, { whole: true, min: 1, example: "123" });
    if (parsed.ok) ciRunId = { ...runIdGiven, id: parsed.value };
    else problems.push(parsed.problem);
  }

  const given = new Map<string, SourcedValue>();
  for (const input of inputs) {
    const found = flag(input.flag.slice(2)) ?? fromEnv(input.env);
    if (found === undefined) continue;
    // Bounds of the CLI's own (`--limit` 1 to 1000) are checked here; the rest is the operation's check.
    if ((input.minimum !== undefined || input.maximum !== undefined) && input.type === "integer") {
      const parsed = parseNumber(input.flag, found, {
        whole: true,
        min: input.minimum ?? 0,
        ...(input.maximum !== undefined && { max: input.maximum }),
      });
      if (!parsed.ok) {
        problems.push(parsed.problem);
        continue;
      }
    }
    given.set(input.name, found);
  }

  // The client reads the host (without --host) and the key itself, trimmed the same way.
  if (!line.strings.has("host")) read.add("DATAFOLD_HOST");
  for (const name of API_KEY_VARIABLES) read.add(name);
  const notes = [...read]
    .filter((name) => isTrimmed(env, name))
    .map((name) =>
      API_KEY_VARIABLES.includes(name)
        ? `${name} has whitespace around it: trimmed`
        : `${name} ${JSON.stringify(env[name])} has whitespace around it: read as ${JSON.stringify(envValue(env, name))}`,
    );

  return {
    switches: {
      json: switched("json"),
      dryRun: switched("dry-run"),
      wait: switched("wait"),
      requireRun: switched("require-run"),
      noRunCheck: switched("no-run-check"),
      skipOutsidePr: switched("skip-outside-pr"),
      quiet: switched("quiet"),
      debug: switched("debug"),
    },
    connection,
    wait,
    ciRunId,
    inputs: given,
    problems,
    notes,
  };
}
