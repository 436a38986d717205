import type { Bump } from "./change.js";

/** Which way a schema travels: consumers build requests and read responses. */
export type Direction = "request" | "response";

/** What an edit does to the set of values a schema describes, or to one of its fields. */
export type Effect =
  | "widened"
  | "narrowed"
  | "changed"
  | "field-removed"
  | "required-field-added"
  | "optional-field-added"
  | "now-required"
  | "now-optional";

/**
 * The bump each effect needs, per direction. A request schema may accept more (consumers' old
 * requests still fit) but not fewer values; a response schema may promise more (consumers handled the
 * old, larger set) but not return anything outside what it promised. Removing a field breaks both:
 * consumers' code names it (an object literal with it no longer compiles; code reading it no longer
 * compiles). A response that loses `null` (`integer | null` → `integer`) is therefore `minor`: every
 * consumer already handles `integer`. (Code that *builds* response objects — fakes in tests — would
 * need edits; we judge for the consumers of responses, as openapi-diff and oasdiff do.)
 */
const EFFECT_BUMPS: Record<Effect, Record<Direction, Exclude<Bump, "none">>> = {
  widened: { request: "minor", response: "major" },
  narrowed: { request: "major", response: "minor" },
  changed: { request: "major", response: "major" },
  "field-removed": { request: "major", response: "major" },
  "required-field-added": { request: "major", response: "minor" },
  "optional-field-added": { request: "minor", response: "minor" },
  "now-required": { request: "major", response: "minor" },
  "now-optional": { request: "minor", response: "major" },
};

const BOTH: readonly Direction[] = ["request", "response"];

/**
 * The bump `effect` needs where the schema is used in every direction of `usage`: the largest.
 * An empty usage (a component no operation references, still exported as a type) counts as both.
 */
export function bumpFor(effect: Effect, usage: ReadonlySet<Direction>): Exclude<Bump, "none"> {
  const directions = usage.size === 0 ? BOTH : [...usage];
  return directions.some((d) => EFFECT_BUMPS[effect][d] === "major") ? "major" : "minor";
}

/** `request`, `response` or `request and response`, for messages. */
export function usageLabel(usage: ReadonlySet<Direction>): string {
  const directions = usage.size === 0 ? BOTH : BOTH.filter((d) => usage.has(d));
  return directions.join(" and ");
}
