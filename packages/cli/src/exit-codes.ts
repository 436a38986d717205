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

/** Each exit code's meaning, as `--help` and the README's table state it. */
export const EXIT_CODE_MEANINGS: Readonly<Record<ExitCode, string>> = {
  0: "done: the run finished (with --wait); or started (without --wait); or Datafold started none and --require-run was not given",
  1: "Datafold or network failure, after every retry (also: the run never appeared in the list)",
  2: "usage or input error: nothing was sent",
  3: "--require-run was given and no run was started (or none was waiting, for submit)",
  4: "the run ended failed",
  5: "the run ended cancelled (usually superseded by a newer commit)",
  6: "--wait-timeout passed with the run unfinished",
  70: "an unexpected internal error: a bug in datafold-ci, please report it",
  130: "stopped by SIGINT while waiting (the run's id and last status are printed)",
  143: "stopped by SIGTERM while waiting (the run's id and last status are printed)",
};

/** The exit-code table, as `--help` prints it. */
export function exitCodeLines(): string[] {
  return Object.entries(EXIT_CODE_MEANINGS).map(([code, meaning]) => `  ${code.padStart(3)}  ${meaning}`);
}
