/** An error, or anything a `cause` chain holds, as the readers of its fields see it. */
export type ChainLink = Readonly<Record<string, unknown>>;

/**
 * `error` and its causes, outermost first: each object down the `cause` chain, at most `max` of them (a
 * chain that loops ends there). The client classifies a network failure from it; the CLI words one.
 *
 * @example
 * errorChain(new TypeError("fetch failed", { cause: Object.assign(new Error("…"), { code: "ECONNREFUSED" }) }));
 * // [TypeError: fetch failed, Error: … { code: "ECONNREFUSED" }]
 */
export function errorChain(error: unknown, max = 8): ChainLink[] {
  const chain: ChainLink[] = [];
  for (let current = error; typeof current === "object" && current !== null && chain.length < max;) {
    const link = current as ChainLink;
    chain.push(link);
    current = link.cause;
  }
  return chain;
}
