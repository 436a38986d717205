/**
 * The override file's text after a sync: the entries of operations upstream dropped are removed, and
 * those of operations upstream moved to another path (found by their operationId) are keyed by the new
 * path, so `pnpm generate` keeps matching every entry. Edited as text, so its comments stay.
 */
export function updateOverrides(
  text: string,
  dropped: readonly string[],
  moved: readonly (readonly [string, string])[],
): string {
  const lines = text.split("\n");
  const out: string[] = [];
  let skipping = false;
  for (const line of lines) {
    // A top-level key: the identity, unindented, before its colon.
    const key = /^(\S[^#]*?):\s*$/.exec(line)?.[1];
    if (key !== undefined) {
      skipping = dropped.includes(key);
      const target = moved.find(([from]) => from === key)?.[1];
      if (!skipping) out.push(target === undefined ? line : `${target}:`);
      continue;
    }
    if (skipping && (line.startsWith(" ") || line.trim() === "")) continue;
    skipping = false;
    out.push(line);
  }
  return out.join("\n");
}
