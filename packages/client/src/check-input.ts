import type { DatafoldMethods } from "./generated/datafold-api.js";
import { checkArguments } from "./check-arguments.js";
import type { InputIssue } from "./input-issue.js";

/**
 * Checks the arguments of one client method (options excluded) exactly as the method does before
 * sending anything; an empty array means valid. For callers that gather input from several places
 * (flags, environment, CI variables, a file) and want to report every problem at once.
 *
 * @throws {TypeError} for a name that is not a method of this client.
 * @example
 * checkInput("uploadPrChanges", 7, 42, [{ prod: "db.orders" }]);
 * // [{ field: "diffs[0].pr", message: "Field required" }]
 */
export function checkInput(method: keyof DatafoldMethods, ...args: unknown[]): InputIssue[] {
  return checkArguments(method, args);
}
