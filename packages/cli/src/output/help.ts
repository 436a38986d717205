import { COMMAND_TABLE, type CommandEntry } from "./command-table.js";
import type { CliCommand } from "./commands/cli-command.js";
import { exitCodeLines } from "./exit-codes.js";
import { FLAGS, type FlagSpec } from "./flags.js";

/** Flags every command takes. */
export const ALWAYS_ACCEPTED = ["quiet", "debug", "help", "version"] as const;

/** `datafold-ci --help`: the commands, where values come from, and the exit codes. */
export function helpText(version: string): string {
  const width = Math.max(...COMMAND_TABLE.map((entry) => entry.name.length)) + 2;
  return `datafold-ci ${version}: start a Datafold CI run for the current pull/merge request, and wait for its outcome.

Usage: datafold-ci <command> [flags]

Commands:
${COMMAND_TABLE.map((entry) => `  ${entry.name.padEnd(width)}${entry.summary}`).join("\n")}

Run "datafold-ci <command> --help" for a command's flags.

Values not given as flags are read from their environment variables, then from the CI: GitHub Actions,
GitLab CI, Bitbucket Pipelines, Azure Pipelines, CircleCI, Jenkins (multibranch) and Buildkite.
The API key is read only from DATAFOLD_API_KEY (or the legacy DATAFOLD_APIKEY), never from a flag.

Exit codes:
${exitCodeLines().join("\n")}
`;
}

/** `datafold-ci <command> --help`: usage, every flag it takes with default and variable, exit codes, examples. */
export function commandHelpText(version: string, entry: CommandEntry, command: CliCommand): string {
  const flags = FLAGS.filter(
    (flag) => command.flags.includes(flag.name) || (ALWAYS_ACCEPTED as readonly string[]).includes(flag.name),
  );
  return `datafold-ci ${version}: ${entry.summary}.

Usage: datafold-ci ${command.usage}

${command.about.join("\n")}

Flags:
${flagLines(flags, command.flagNotes).join("\n")}

Progress, warnings and errors go to stderr; NO_COLOR turns colour off.

Exit codes:
${exitCodeLines().join("\n")}

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
    const fallback =
      flag.type === "boolean" && flag.name !== "help" && flag.name !== "version" ? "off" : undefined;
    const byDefault = flag.default ?? fallback;
    const facts = [flag.env && `env ${flag.env}`, byDefault && `default: ${byDefault}`].filter(Boolean);
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
