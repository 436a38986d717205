import { readArguments } from "./args/arguments.js";
import { parseCommandLine, UsageError } from "./args/command-line.js";
import { commandFlags, everyFlag, operationInputs, takenInputs } from "./args/flag-table.js";
import { ALWAYS_ACCEPTED } from "./args/flags.js";
import { ExitCode } from "./exit-codes.js";
import { unavailableMessage } from "./output/describe.js";
import { commandHelpText, helpText } from "./output/help.js";
import { createOutput } from "./output/output.js";
import type { CliCommand, CliOptions, CommandLine, Output } from "./types.js";

/** A command's name, one-line summary, and its module, loaded only when it runs (so `--help` stays cheap). */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<{ readonly command: CliCommand }>;
}

/** Every `datafold-ci` command, in `--help` order. A new command is its file in `commands/` and a line here. */
export const COMMAND_TABLE: readonly CommandEntry[] = [
  {
    name: "trigger",
    summary: "start a Datafold CI run for the current pull/merge request (and, with --wait, wait for it)",
    load: () => import("./commands/trigger.js"),
  },
  {
    name: "wait",
    summary: "wait for a run that is already started, and exit with its outcome",
    load: () => import("./commands/wait.js"),
  },
  { name: "runs", summary: "list a pull request's runs", load: () => import("./commands/runs.js") },
  {
    name: "submit",
    summary: "send a PR's diffs to its waiting run (drop-in for datafold ci submit)",
    load: () => import("./commands/submit.js"),
  },
];

/**
 * Runs `datafold-ci` with `options.argv` and resolves to its exit code: failures are reported on
 * `stderr`, not thrown, and `process.exit` is never called. An unexpected error (a bug) exits 70.
 * `--help` and `--version` load no command module.
 *
 * @example
 * process.exitCode = await runCli({ argv: process.argv.slice(2), env: process.env, stdout: process.stdout, stderr: process.stderr });
 */
export async function runCli(options: CliOptions): Promise<ExitCode> {
  let commandLine: CommandLine;
  try {
    commandLine = parseCommandLine(options.argv, {
      commands: COMMAND_TABLE.map((entry) => entry.name),
      flags: everyFlag(),
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return usageError(error.message, error.command, options);
  }
  const out = createOutput({
    ...options,
    quiet: commandLine.booleans.has("quiet"),
    debug: commandLine.booleans.has("debug"),
    json:
      commandLine.booleans.has("json") && COMMAND_TABLE.some((entry) => entry.name === commandLine.command),
  });
  const code = await runCommand(commandLine, options, out);
  out.finish(code);
  return code;
}

/** Runs the command `commandLine` names (or its help) and resolves to its exit code. */
async function runCommand(commandLine: CommandLine, options: CliOptions, out: Output): Promise<ExitCode> {
  if (commandLine.command === "version") {
    options.stdout.write(`${__PACKAGE_VERSION__}\n`);
    return ExitCode.Ok;
  }
  const entry = COMMAND_TABLE.find(
    (candidate) => candidate.name === (commandLine.topic ?? commandLine.command),
  );
  try {
    if (entry === undefined) {
      options.stdout.write(helpText(__PACKAGE_VERSION__, COMMAND_TABLE));
      return ExitCode.Ok;
    }
    // Loaded only here, so --help and --version stay as cheap as starting Node.
    const { command } = await entry.load();
    const operation = operationInputs(command.operation);
    // Without its operation (removed upstream from the spec this build was made from), a command sends nothing.
    const unavailable =
      operation === undefined ? unavailableMessage(entry.name, command.operation) : undefined;
    if (commandLine.command === "help") {
      options.stdout.write(
        commandHelpText(__PACKAGE_VERSION__, entry, command, commandFlags(command, operation), unavailable),
      );
      return ExitCode.Ok;
    }
    if (operation === undefined) {
      out.error(unavailableMessage(entry.name, command.operation));
      return ExitCode.Usage;
    }
    const accepted = new Set(commandFlags(command, operation).map((flag) => flag.name));
    for (const name of ALWAYS_ACCEPTED) accepted.add(name);
    const foreign = [
      ...[...commandLine.strings].flatMap(([name, flag]) => (accepted.has(name) ? [] : [flag.typed])),
      ...[...commandLine.booleans].flatMap((name) => (accepted.has(name) ? [] : [`--${name}`])),
    ][0];
    if (foreign !== undefined)
      return usageError(`${foreign} is not a flag of ${entry.name}`, entry.name, options, out);
    const inputs = takenInputs(command, operation);
    const args = readArguments(commandLine, options.env, { inputs, takes: command.flags });
    if (out.debugEnabled && accepted.has("max-time") && !args.switches.dryRun) {
      const { describePlan } = await import("./core/plan.js");
      // A command that takes --wait waits only with it; `wait` has --wait-timeout alone, and always waits.
      const waits = accepted.has("wait-timeout") && (args.switches.wait || !accepted.has("wait"));
      // Only the trigger takes --no-run-check: its request holds the looks at the PR's runs, unless turned off.
      const looks = accepted.has("no-run-check") && !args.switches.noRunCheck;
      for (const line of describePlan(args.connection, waits ? args.wait : undefined, { looks }))
        out.debug(line);
    }
    for (const note of args.notes) out.debug(note);
    return await command.run({ name: entry.name, args, operation, inputs, options, out });
  } catch (error) {
    out.error(
      `unexpected error: ${(error as Error)?.message ?? String(error)}. This is a bug in datafold-ci (exit ${ExitCode.Internal}); ` +
        (out.debugEnabled
          ? "please report it with this output."
          : "run again with --debug for details and report it."),
    );
    if (out.debugEnabled) out.debug((error as Error)?.stack ?? String(error));
    return ExitCode.Internal;
  }
}

/**
 * Reports a usage mistake and points to the help of `command`, which lists its flags, or to the overview's.
 * With `--json` after a command's name, the mistake is also stdout's one JSON document.
 */
function usageError(
  message: string,
  command: string | undefined,
  options: CliOptions,
  given?: Output,
): ExitCode {
  const out = given ?? createOutput({ ...options, json: command !== undefined && asksForJson(options.argv) });
  out.error(message);
  out.note(`Run "datafold-ci ${command === undefined ? "" : `${command} `}--help" for usage.`);
  out.failed({ kind: "usage", message, exitCode: ExitCode.Usage, request: null, problems: [message] });
  return ExitCode.Usage;
}

/** Whether `--json` is among the flags of a command line that did not parse (words after `--` are not flags). */
function asksForJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return argv.slice(0, end === -1 ? undefined : end).includes("--json");
}
