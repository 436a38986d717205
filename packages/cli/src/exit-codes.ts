/**
 * The exit codes of `datafold-ci`, documented in the README and in `--help`.
 *
 * @example
 * datafold-ci trigger --require-run || [ $? -eq 3 ] && echo "Datafold started no run"
 */
export const ExitCode = {
  /** The run was started (or, without `--require-run`, Datafold accepted the call and started none). */
  Ok: 0,
  /** Datafold answered with an error, or the network failed, after every retry. */
  RequestFailed: 1,
  /** A usage or input error: unknown flag, bad value, or a value neither a flag nor the CI supplied. Nothing was sent. */
  Usage: 2,
  /** `--require-run` was given and Datafold accepted the call but started no run. */
  NoRunStarted: 3,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
