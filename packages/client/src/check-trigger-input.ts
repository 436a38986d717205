import type { OperationMethods } from "@datafold-ci/types";
import { checkArguments } from "./check-arguments.js";
import type { InputIssue } from "./input-issue.js";

/**
 * Checks the arguments of one client method (options excluded) as the client does before sending
 * anything; an empty array means valid. For callers that gather input from several places (flags,
 * environment, CI variables, a file) and want to report every problem at once.
 *
 * Fields are named as the request names them: a path or query parameter by its wire name
 * (`ci_config_id`, `limit`), an object body's field by its own name (`pr_sha`; the whole body by its
 * argument name, `details`), a list body's item by index (`diffs[0].prod`).
 *
 * @example
 * checkInput("uploadPrChanges", 7, 42, [{ prod: "db.orders" }]);
 * // [{ field: "diffs[0].pr", message: "Field required" }]
 */
export function checkInput(method: keyof OperationMethods<never> & string, ...args: unknown[]): InputIssue[] {
  return checkMethodInput(method, args);
}

/** {@link checkInput} for a method name known only at run time; not exported from the package. */
export function checkMethodInput(method: string, args: readonly unknown[]): InputIssue[] {
  return checkArguments(method, args).map(({ field, message }) => ({ field: wireName(field), message }));
}

/** `details.pr_sha` → `pr_sha`, `query.limit` → `limit`; a path parameter, a list item and a whole argument stay. */
function wireName(field: string): string {
  return field.replace(/^\w+\./, "");
}

/**
 * Checks `triggerPrRun`'s input: `checkInput("triggerPrRun", ciConfigId, details)`.
 *
 * @example
 * checkTriggerInput(0, { pr_number: 7, pr_branch: " " });
 * // [{ field: "ci_config_id", message: "Input should be a whole number of 1 or more (got 0)" },
 * //  { field: "pr_branch", message: "String should not be empty or only whitespace (got \" \")" }, …]
 */
export const checkTriggerInput = (ciConfigId: unknown, details: unknown): InputIssue[] =>
  checkInput("triggerPrRun", ciConfigId, details);
