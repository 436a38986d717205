import type { InputIssue } from "../input-issue.js";
import { DatafoldError } from "./datafold-error.js";

/**
 * Invalid input, found before any request is sent: a missing API key, a malformed base URL, a
 * CI config id that is not a positive integer, a PR detail that is missing, mistyped or blank.
 * `issues` names every bad field; the message lists them all.
 */
export class DatafoldInputError extends DatafoldError {
  override readonly name = "DatafoldInputError" as const;
  readonly issues: readonly InputIssue[];

  /** @param context what was being checked, e.g. `triggerPrRun input`. */
  constructor(issues: readonly InputIssue[], context: string) {
    super(`Invalid ${context}: ${issues.map((issue) => `${issue.field}: ${issue.message}`).join("; ")}`);
    this.issues = issues;
  }
}
