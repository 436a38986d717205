import type { CliOptions } from "./cli-options.js";
import { findCommand } from "./command-table.js";
import { ExitCode } from "./exit-codes.js";
import { ALWAYS_ACCEPTED, commandHelpText, helpText } from "./help-text.js";
import { createOutput } from "./output.js";
import { type CommandLine, parseCommandLine } from "./parse-command-line.js";
import { UsageError } from "./usage-error.js";

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
    commandLine = parseCommandLine(options.argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return usageError(error.message, error.command, options);
  }
  const out = createOutput({
    ...options,
    quiet: commandLine.booleans.has("quiet"),
    debug: commandLine.booleans.has("debug"),
  });
  if (commandLine.command === "version") {
    options.stdout.write(`${__PACKAGE_VERSION__}\n`);
    return ExitCode.Ok;
  }
  const entry = findCommand(commandLine.topic ?? commandLine.command);
  try {
    if (entry === undefined) {
      options.stdout.write(helpText(__PACKAGE_VERSION__));
      return ExitCode.Ok;
    }
    // Loaded only here, so --help and --version stay as cheap as starting Node.
    const { command } = await entry.load();
    if (commandLine.command === "help") {
      options.stdout.write(commandHelpText(__PACKAGE_VERSION__, entry, command));
      return ExitCode.Ok;
    }
    const accepted = new Set<string>([...command.flags, ...ALWAYS_ACCEPTED]);
    const foreign = [
      ...[...commandLine.strings].flatMap(([name, flag]) => (accepted.has(name) ? [] : [flag.typed])),
      ...[...commandLine.booleans].flatMap((name) => (accepted.has(name) ? [] : [`--${name}`])),
    ][0];
    if (foreign !== undefined)
      return usageError(`${foreign} is not a flag of ${entry.name}`, entry.name, options);
    return await command.run(commandLine, options, out);
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

/** Reports a usage mistake and points to the help of `command`, which lists its flags, or to the overview's. */
function usageError(message: string, command: string | undefined, options: CliOptions): ExitCode {
  const out = createOutput(options);
  out.error(message);
  out.note(`Run "datafold-ci ${command === undefined ? "" : `${command} `}--help" for usage.`);
  return ExitCode.Usage;
}
