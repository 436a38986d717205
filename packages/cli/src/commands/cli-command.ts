import type { CliOptions } from "../cli-options.js";
import type { ExitCode } from "../exit-codes.js";
import type { Output } from "../output.js";
import type { CommandLine } from "../parse-command-line.js";

/**
 * One `datafold-ci` command: its help and its behaviour, in one file under `src/commands/`. A new
 * command is that file plus its line in `COMMAND_TABLE`.
 */
export interface CliCommand {
  /** `trigger --wait [flags]`-style synopsis, after `datafold-ci `. */
  readonly usage: string;
  /** What the command does, as `--help` explains it (lines). */
  readonly about: readonly string[];
  /** The flags it takes, by canonical name (`help`, `quiet`, `debug` are always accepted). */
  readonly flags: readonly string[];
  /**
   * What a flag means for this command in particular, appended to its description in `--help`, by
   * canonical name: what `--retries` retries depends on the calls a command makes (issue 14).
   */
  readonly flagNotes?: Readonly<Record<string, string>>;
  /** Example lines for `--help`. */
  readonly examples: readonly string[];
  /** Runs the command: failures are reported through `out` and the exit code, never thrown (a throw is a bug: exit 70). */
  run(commandLine: CommandLine, options: CliOptions, out: Output): Promise<ExitCode>;
}
