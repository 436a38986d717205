/**
 * The exit codes of `datafold-ci`, stable across versions, documented in the README and in `--help`.
 *
 * @example
 * datafold-ci trigger --wait; case $? in 4) echo "the Datafold run failed";; 6) echo "still running";; esac
 */
export const ExitCode = {
  /** The run ended `done` (with `--wait`), or was started; or, without `--require-run`, Datafold started none. */
  Ok: 0,
  /** Datafold answered with an error, or the network failed, after every retry; or the run was never listed. */
  RequestFailed: 1,
  /** A usage or input error: unknown flag, bad value, or a value neither a flag nor the CI supplied. Nothing was sent. */
  Usage: 2,
  /** `--require-run` was given and Datafold accepted the call but started no run (or had none waiting). */
  NoRunStarted: 3,
  /** The run ended `failed`. */
  RunFailed: 4,
  /** The run ended `cancelled` (usually a newer commit of the PR superseded it). */
  RunCancelled: 5,
  /** `--wait-timeout` passed with the run unfinished. */
  WaitTimedOut: 6,
  /** An unexpected internal error: a bug in datafold-ci, kept apart from 1 so scripts never take a bug for a Datafold failure. */
  Internal: 70,
  /** Stopped by SIGINT (Ctrl-C) while waiting: 128 + 2. */
  Interrupted: 130,
  /** Stopped by SIGTERM (a cancelled CI job) while waiting: 128 + 15. */
  Terminated: 143,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Each exit code's meaning, as `--help` and the READMEs' tables state it (`pnpm generate` writes the
 * tables): code in backticks, which `--help` prints without them.
 */
export const EXIT_CODE_MEANINGS: Readonly<Record<ExitCode, string>> = {
  0: "done: the run finished (`--wait`); or started (without `--wait`); or Datafold started none and `--require-run` was not given",
  1: "Datafold or network failure after every retry (a 401, 403 or 404 while waiting too); or the run never appeared in the list",
  2: "usage or input error: unknown flag, bad value, or a value no flag, variable or CI supplied; nothing was sent",
  3: "`--require-run` was given and no run was started (`submit`: none was waiting)",
  4: "the run ended `failed`",
  5: "the run ended `cancelled` (usually superseded by a newer commit of the PR)",
  6: "`--wait-timeout` passed with the run unfinished; the message names the run, its last status, and how to look at it",
  70: "an unexpected internal error: a bug in datafold-ci, please report it",
  130: "stopped by SIGINT while waiting; the run's id and last status are printed (the run goes on in Datafold)",
  143: "stopped by SIGTERM (a cancelled CI job) while waiting; the run's id and last status are printed",
};

/**
 * The codes only some commands can return, and the flag that makes a command able to: `--require-run`'s
 * refusal (3), and the outcomes of a wait (4, 5, 6, 130, 143), which every command that waits bounds with
 * `--wait-timeout`. Every other code every command can return: 0, 1 (any call can fail), 2 (any flag can
 * be wrong) and 70 (a bug).
 */
const CODE_NEEDS_FLAG: Readonly<Partial<Record<ExitCode, string>>> = {
  3: "require-run",
  4: "wait-timeout",
  5: "wait-timeout",
  6: "wait-timeout",
  130: "wait-timeout",
  143: "wait-timeout",
};

/** Every exit code, ascending. */
export const EXIT_CODES: readonly ExitCode[] = Object.values(ExitCode).sort((a, b) => a - b);

/** The exit codes a command taking `flags` (its own flags, by canonical name) can return, ascending. */
export function exitCodesOf(flags: readonly string[]): ExitCode[] {
  return EXIT_CODES.filter((code) => {
    const needed = CODE_NEEDS_FLAG[code];
    return needed === undefined || flags.includes(needed);
  });
}

/**
 * The exit-code table as `--help` prints it: `codes` (all by default), each with its meaning from
 * `meanings` or else {@link EXIT_CODE_MEANINGS}, without backticks.
 */
export function exitCodeLines(
  codes: readonly ExitCode[] = EXIT_CODES,
  meanings: Readonly<Partial<Record<ExitCode, string>>> = {},
): string[] {
  return codes.map(
    (code) =>
      `  ${String(code).padStart(3)}  ${(meanings[code] ?? EXIT_CODE_MEANINGS[code]).replaceAll("`", "")}`,
  );
}

/** The exit-code table as the READMEs have it: Markdown, columns padded as prettier pads them. */
export function exitCodeMarkdown(): string {
  const rows = [
    ["code", "meaning"],
    ...EXIT_CODES.map((code) => [String(code), EXIT_CODE_MEANINGS[code].replaceAll("|", "\\|")]),
  ];
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |`;
  return [line(rows[0]!), line(widths.map((width) => "-".repeat(width))), ...rows.slice(1).map(line)].join(
    "\n",
  );
}
