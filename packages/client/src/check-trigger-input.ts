import { datafoldApi } from "@datafold-ci/api-description";
import type { OperationMethods } from "@datafold-ci/types";
import { createOperationInputCheck } from "./check-operation-input.js";
import type { InputIssue } from "./input-issue.js";

const checks = new Map(
  datafoldApi.operations.map((operation) => [
    operation.clientMethod.name,
    createOperationInputCheck(datafoldApi, operation),
  ]),
);

/**
 * Checks the arguments of one client method (options excluded) as the client does before sending
 * anything; an empty array means valid. For callers that gather input from several places (flags,
 * environment, CI variables, a file) and want to report every problem at once.
 *
 * @example
 * checkInput("uploadPrChanges", 7, 42, [{ prod: "db.orders" }]);
 * // [{ field: "diffs[0].pr", message: "Field required" }]
 */
export function checkInput(method: keyof OperationMethods<never> & string, ...args: unknown[]): InputIssue[] {
  const check = checks.get(method);
  if (!check) throw new TypeError(`checkInput: no client method "${String(method)}"`);
  return check(...args);
}

/**
 * Checks `triggerPrRun`'s input: `checkInput("triggerPrRun", ciConfigId, details)`.
 *
 * @example
 * checkTriggerInput(0, { pr_number: 7, pr_branch: " " });
 * // [{ field: "ci_config_id", message: "Input should be a positive safe integer (got 0)" },
 * //  { field: "pr_branch", message: "String should not be empty or only whitespace (got \" \")" }, …]
 */
export const checkTriggerInput = (ciConfigId: unknown, details: unknown): InputIssue[] =>
  checkInput("triggerPrRun", ciConfigId, details);
