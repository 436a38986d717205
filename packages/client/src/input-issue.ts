/**
 * One problem with input, found before any request is sent.
 *
 * @example
 * { field: "pr_number", message: "Input should be a whole number of 1 or more (got 0)" }
 */
export interface InputIssue {
  /**
   * What was wrong: a wire name for request input (`ci_config_id`, `pr_number`, `pr_sha`, …;
   * `details` for the whole body), or an option name for client options (`apiKey`, `baseUrl`, …).
   */
  field: string;
  /** What was expected, what was received, and where it came from when that is not obvious. */
  message: string;
}
