import { datafoldApi, validateStrict } from "@datafold-ci/api-description";
import { createOperationInputCheck, type OperationInputCheck } from "./check-operation-input.js";
import type { InputIssue } from "./input-issue.js";

const checks = new Map<string, OperationInputCheck>();

/** Every problem with one client method's positional arguments (options excluded); empty when valid. */
export function checkArguments(method: string, args: readonly unknown[]): InputIssue[] {
  let check = checks.get(method);
  if (check === undefined) {
    const operation = datafoldApi.operations.find((op) => op.clientMethod.name === method);
    if (operation === undefined) throw new TypeError(`checkInput: no client method "${method}"`);
    check = createOperationInputCheck(datafoldApi, operation);
    checks.set(method, check);
  }
  return check(...args);
}

/** Every way a success body differs from the spec's schema for its status, as `loc: message`; empty when it matches. */
export function checkResponse(method: string, status: number, body: unknown): string[] {
  const operation = datafoldApi.operations.find((op) => op.clientMethod.name === method);
  const schema = operation?.responses[String(status)]?.schema;
  if (schema === undefined) return [];
  return validateStrict(schema, body, [], datafoldApi.schemas).map(
    (p) => `${p.loc.join(".") || "body"}: ${p.msg}`,
  );
}
