/** A command-line or input mistake: reported without a stack trace, exit code 2, nothing sent. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
