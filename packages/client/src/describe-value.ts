/** A value as a message shows it: JSON, cut at 40 characters; never throws (circular, BigInt, a symbol, a function). */
export function describeValue(value: unknown): string {
  if (typeof value === "number" || typeof value === "bigint" || value === undefined) return String(value);
  if (typeof value === "function") return "a function";
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value);
  } catch {
    json = Object.prototype.toString.call(value); // circular, or holds a BigInt
  }
  return json.length > 40 ? `${json.slice(0, 39)}…` : json;
}
