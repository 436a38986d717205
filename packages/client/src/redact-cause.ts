import { redactSecret } from "@datafold-ci/api-description";

/**
 * `error` itself when nothing about it mentions `secret`; otherwise a plain copy with the secret
 * replaced in message and stack (a custom `fetch` may put the request's headers into its errors,
 * and CI logs print errors whole, causes included).
 */
export function redactCause(error: unknown, secret: string, depth = 0): unknown {
  if (!mentions(error, secret)) return error;
  if (!(error instanceof Error) || depth > 4) return redactSecret(String(error), secret);
  const copy = new Error(redactSecret(error.message, secret));
  copy.name = error.name;
  if (error.stack !== undefined) copy.stack = redactSecret(error.stack, secret);
  if (error.cause !== undefined) copy.cause = redactCause(error.cause, secret, depth + 1);
  return copy;
}

function mentions(value: unknown, secret: string, depth = 0): boolean {
  if (value instanceof Error) {
    return (
      [value.message, value.stack, safeJson(value)].some((text) => text?.includes(secret)) ||
      (depth < 5 && mentions(value.cause, secret, depth + 1))
    );
  }
  return String(safeJson(value) ?? value).includes(secret);
}

function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}
