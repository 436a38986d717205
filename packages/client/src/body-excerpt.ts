const MAX_EXCERPT = 200;

/**
 * At most 200 characters of a response body for an error message, whitespace collapsed and an
 * HTML page reduced to its text (a gateway's 502 page must not flood a CI log).
 */
export function bodyExcerpt(body: string): string {
  const text = /^\s*</.test(body)
    ? body.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, " ").replace(/<[^>]*>/g, " ")
    : body;
  const collapsed = text.replace(/\s+/g, " ").trim();
  return collapsed.length > MAX_EXCERPT ? `${collapsed.slice(0, MAX_EXCERPT - 1)}…` : collapsed;
}
