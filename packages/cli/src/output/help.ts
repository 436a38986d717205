import { exitCodeLines, exitCodesOf } from "../exit-codes.js";
import type { CliCommand, FlagSpec } from "../types.js";

/** A command as the overview lists it. */
export interface CommandSummary {
  readonly name: string;
  readonly summary: string;
}

/** `datafold-ci --help`: the commands, where values come from, and the exit codes. */
export function helpText(version: string, commands: readonly CommandSummary[]): string {
  const width = Math.max(...commands.map((entry) => entry.name.length)) + 2;
  return `datafold-ci ${version}: start a Datafold CI run for the current pull/merge request, and wait for its outcome.

Usage: datafold-ci <command> [flags]

Commands:
${commands.map((entry) => `  ${entry.name.padEnd(width)}${entry.summary}`).join("\n")}

Run "datafold-ci <command> --help" for a command's flags.

Values not given as flags are read from their environment variables, then from the CI: GitHub Actions,
GitLab CI, Bitbucket Pipelines, Azure Pipelines, CircleCI, Jenkins (multibranch) and Buildkite.
${API_KEY_LINE}

Exit codes:
${exitCodeLines().join("\n")}
`;
}

// The first thing a new user needs, and the one value with no flag: said in every help page.
const API_KEY_LINE =
  "The API key is read only from DATAFOLD_API_KEY (or the legacy DATAFOLD_APIKEY), never from a flag:\n" +
  "store it in your CI's secret store and expose it to the job under that name.";

/**
 * `datafold-ci <command> --help`: usage, where the API key goes, every flag it takes (`flags`, in order)
 * with default and variable, the exit codes it can return (the overview has them all), examples.
 * `unavailable` says why this build cannot run the command.
 */
export function commandHelpText(
  version: string,
  entry: CommandSummary,
  command: CliCommand,
  flags: readonly FlagSpec[],
  unavailable?: string,
): string {
  return `datafold-ci ${version}: ${entry.summary}.

Usage: datafold-ci ${command.usage}
${unavailable === undefined ? "" : `\n${unavailable}\n`}
${command.about.join("\n")}

${API_KEY_LINE}

Flags:
${flagLines(flags, command.flagNotes).join("\n")}

Progress, warnings and errors go to stderr; NO_COLOR turns colour off.

Exit codes:
${exitCodeLines(exitCodesOf(command.flags), command.exitMeanings).join("\n")}

Examples:
${command.examples.map((line) => `  ${line}`).join("\n")}
`;
}

function flagLines(flags: readonly FlagSpec[], notes: CliCommand["flagNotes"] = {}): string[] {
  const rows = flags.map((flag) => {
    const note = notes[flag.name];
    const description = note ? `${flag.description}; ${note}` : flag.description;
    const names = [
      flag.short && `-${flag.short}`,
      `--${flag.name}`,
      ...(flag.aliases ?? []).map((a) => `--${a}`),
    ]
      .filter(Boolean)
      .join(", ");
    // A switch is off unless given: a "default: off" line under each would only repeat that.
    const facts = [flag.env && `env ${flag.env}`, flag.default && `default: ${flag.default}`].filter(Boolean);
    return {
      left: flag.placeholder ? `${names} ${flag.placeholder}` : names,
      lines: facts.length > 0 ? [description, facts.join("; ")] : [description],
    };
  });
  const width = Math.max(...rows.map((row) => row.left.length)) + 2;
  return rows.flatMap(({ left, lines }) =>
    lines.map((line, i) => `  ${(i === 0 ? left : "").padEnd(width)}${line}`),
  );
}
