/**
 * `@datafold-ci/client/undeclared-fields`: the body fields of a call that the API description does not
 * declare. Opt-in, so a client that never asks does not carry it: the client sends such a field as
 * given, and Datafold's FastAPI models ignore it.
 * @packageDocumentation
 */
import { validatorsOf } from "./check-arguments.js";
import { findUndeclaredFields } from "./find-undeclared-fields.js";
import type { InputIssue } from "./input-issue.js";

export type { InputIssue } from "./input-issue.js";

/**
 * The fields of one client method's body that the spec does not declare but its schema lets through
 * (no `additionalProperties`): FastAPI's models ignore them, so a misspelt optional field (`pr_shaa`,
 * a diff's `include_column`) would be dropped without a word. Each is named by argument path, as
 * `DatafoldInputError` names fields (`details.pr_shaa`, `diffs[1].include_column`), with the declared
 * name it is nearest to. Checked arguments only: what the validators refuse is not repeated. Nothing is
 * sent: call it with the arguments the method is about to be given (a trailing options argument is ignored).
 *
 * @throws {TypeError} for a method name the generated table does not have (a programming error).
 * @example
 * for (const { field, message } of undeclaredFields("uploadPrChanges", [7, 12, diffs]))
 *   console.warn(`${field} ${message}`);
 * // diffs[0].include_column is not a field of CiDiff in the API description, so Datafold ignores it (did you mean include_columns?)
 * await datafold.uploadPrChanges(7, 12, diffs);
 */
export function undeclaredFields(methodName: string, args: readonly unknown[]): InputIssue[] {
  return findUndeclaredFields(validatorsOf(methodName), args);
}
