import type { CliOptions } from "./cli-options.js";
import { ExitCode } from "./exit-codes.js";
import { helpText } from "./help-text.js";
import { createOutput } from "./output.js";
import { type CommandLine, parseCommandLine } from "./parse-command-line.js";
import { UsageError } from "./usage-error.js";

/**
 * Runs `datafold-ci` with `options.argv` and resolves to its exit code: failures are reported on
 * `stderr`, not thrown, and `process.exit` is never called. `--help` and `--version` load nothing
 * beyond this module's own imports.
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
    const out = createOutput(options);
    out.error(error.message);
    out.note('Run "datafold-ci --help" for usage.');
    return ExitCode.Usage;
  }
  const out = createOutput({
    ...options,
    quiet: commandLine.booleans.has("quiet"),
    debug: commandLine.booleans.has("debug"),
  });
  if (commandLine.command === "help") {
    options.stdout.write(helpText(__PACKAGE_VERSION__));
    return ExitCode.Ok;
  }
  if (commandLine.command === "version") {
    options.stdout.write(`${__PACKAGE_VERSION__}\n`);
    return ExitCode.Ok;
  }
  try {
    // Loaded only here, so --help and --version stay as cheap as starting Node.
    const { runTrigger } = await import("./trigger-command.js");
    return await runTrigger(commandLine, options, out);
  } catch (error) {
    out.error(
      `unexpected error: ${(error as Error)?.message ?? String(error)}. This is a bug in datafold-ci; ` +
        (out.debugEnabled
          ? "please report it with this output."
          : "run again with --debug for details and report it."),
    );
    if (out.debugEnabled) out.debug((error as Error)?.stack ?? String(error));
    return ExitCode.RequestFailed;
  }
}
