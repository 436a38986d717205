/** What stands in for the API key wherever it would otherwise appear (octokit's spelling). */
export const REDACTED = "[REDACTED]";

/**
 * `value` with every occurrence of `secret` in its strings replaced, at any depth. For what a
 * server or a proxy sends back, which may echo request headers.
 */
export function redactSecret<T>(value: T, secret: string): T {
  if (typeof value === "string") return value.split(secret).join(REDACTED) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactSecret(item, secret)) as T;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecret(v, secret)])) as T;
  return value;
}

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
