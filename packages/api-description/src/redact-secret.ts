/**
 * What stands in for the API key wherever it would otherwise appear (octokit's spelling). The client's
 * errors, the CLI's output and the testing kit's recorded requests all use it, so a search for it finds
 * every place a key was hidden.
 */
export const REDACTED = "[REDACTED]";

/**
 * `value` with every occurrence of `secret` in its strings (object keys included, at any depth)
 * replaced by {@link REDACTED}: for what a server, a proxy or a `fetch` sends back, which may echo
 * request headers. An empty `secret` changes nothing (splitting on "" would put `[REDACTED]` between
 * every character). The client, the CLI and the testing kit all redact with this one function.
 *
 * @example
 * redactSecret({ detail: "bad header: Key abc" }, "abc"); // { detail: "bad header: Key [REDACTED]" }
 */
export function redactSecret<T>(value: T, secret: string): T {
  if (secret === "") return value;
  const redact = (item: unknown): unknown => {
    if (typeof item === "string") return item.split(secret).join(REDACTED);
    if (Array.isArray(item)) return item.map(redact);
    if (item !== null && typeof item === "object") {
      const copy: Record<string, unknown> = {};
      // defineProperty, not assignment: a `__proto__` key in a parsed body stays an own property.
      for (const [key, inner] of Object.entries(item))
        Object.defineProperty(copy, redact(key) as string, {
          value: redact(inner),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return copy;
    }
    return item;
  };
  return redact(value) as T;
}
