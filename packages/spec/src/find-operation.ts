import type { ApiDescription, OperationDescription } from "./api-description.js";

/**
 * The operation with this `operationId`; throws when the spec no longer has it, so a renamed
 * operation fails the build's tests instead of a user's request.
 */
export function findOperation(api: ApiDescription, operationId: string): OperationDescription {
  const operation = api.operations.find((op) => op.operationId === operationId);
  if (!operation)
    throw new Error(
      `${api.source} has no operation "${operationId}". Was it renamed? Run \`pnpm generate\`.`,
    );
  return operation;
}
