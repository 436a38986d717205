import type { ApiDescription, OperationDescription } from "./api-description.js";

/**
 * The operation whose client method is `name` (as `spec/overrides/` names it), or `undefined` when the
 * document has none: a spec that dropped an operation leaves the code that knew it without it, and that
 * code says so instead of failing to build.
 */
export function findOperation(api: ApiDescription, name: string): OperationDescription | undefined {
  return api.operations.find((op) => op.clientMethod.name === name);
}
