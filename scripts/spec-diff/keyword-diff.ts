import { isDeepStrictEqual } from "node:util";
import type { Change } from "./change.js";
import type { JsonObject } from "../codegen/json-object.js";

/** Reports one change; the comparers push into a shared list through this. */
export type Report = (change: Change) => void;

// Keys that only document: they change generated comments, never a shape a consumer relies on.
const DOCUMENTATION_KEYS = new Set([
  "title",
  "summary",
  "description",
  "example",
  "examples",
  "externalDocs",
  "deprecated",
  "tags",
  "$comment",
]);

/** True for keys that change documentation only (`description`, `example`, `x-*`, …). */
export function isDocumentationKey(key: string): boolean {
  return DOCUMENTATION_KEYS.has(key) || key.startsWith("x-");
}

/** Names of the keys among `keys` whose values differ between `before` and `after`, sorted. */
export function changedKeys(before: JsonObject, after: JsonObject, keep: (key: string) => boolean): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)].filter(keep));
  return [...keys].filter((key) => !isDeepStrictEqual(before[key], after[key])).sort();
}

/** One `patch` change naming every documentation key that changed at `where`. */
export function reportDocumentation(
  before: JsonObject,
  after: JsonObject,
  where: string,
  report: Report,
): void {
  const keys = changedKeys(before, after, isDocumentationKey);
  if (keys.length > 0) report({ bump: "patch", where, what: `documentation changed (${keys.join(", ")})` });
}

/**
 * A `major` change for every key this tool does not understand that changed: a spec edit it cannot
 * classify must be looked at by a person, and guessing "compatible" would ship a silent break.
 */
export function reportUnrecognised(
  before: JsonObject,
  after: JsonObject,
  understood: ReadonlySet<string>,
  where: string,
  report: Report,
): void {
  for (const key of changedKeys(before, after, (k) => !understood.has(k) && !isDocumentationKey(k))) {
    report({
      bump: "major",
      where,
      what: `"${key}" changed, which this tool does not classify; counted as breaking until reviewed`,
    });
  }
}
