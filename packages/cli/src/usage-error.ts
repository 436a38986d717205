/** A command-line or input mistake: reported without a stack trace, exit code 2, nothing sent. */
export class UsageError extends Error {
  override readonly name = "UsageError";

  /**
   * @param command the command the mistake was made in, when the command line names one: the error then
   *   points to that command's `--help`, which lists its flags, rather than the overview.
   */
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}
