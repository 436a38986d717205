import { isDeepStrictEqual } from "node:util";
import type { OpenApiDocument } from "../codegen/spec-documents.js";
import { bumpFor, type Direction, type Effect, usageLabel } from "./effects.js";
import { asObject, dereference, type JsonObject } from "../codegen/json-object.js";
import { type Report, reportDocumentation, reportUnrecognised } from "./keyword-diff.js";
import { type Kind, kindCovers, kindOfValue, type Variant, variantsOf } from "./schema-variants.js";

/** What a schema comparison needs to know besides the two schemas. */
export interface SchemaComparison {
  readonly before: OpenApiDocument;
  readonly after: OpenApiDocument;
  /** Where the schema travels; decides whether accepting more values is an addition or a break. */
  readonly usage: ReadonlySet<Direction>;
  /** Append the usage to every location (for components, which are not inside an operation). */
  readonly labelUsage?: boolean;
  readonly report: Report;
}

// Bounds that accept fewer values as they grow, and as they shrink; and keywords that only match or not.
const LOWER_BOUNDS = ["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"];
const UPPER_BOUNDS = ["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"];
const EXACT_CONSTRAINTS = ["pattern", "format", "multipleOf", "uniqueItems"];
const UNDERSTOOD = new Set([
  ...LOWER_BOUNDS,
  ...UPPER_BOUNDS,
  ...EXACT_CONSTRAINTS,
  "$ref",
  "type",
  "nullable",
  "anyOf",
  "oneOf",
  "allOf",
  "enum",
  "const",
  "properties",
  "required",
  "additionalProperties",
  "items",
  // `default` documents server behaviour for an omitted field; no generated type changes with it.
  "default",
]);

/**
 * Compares two versions of a schema and reports every difference consumers can feel, each with the
 * bump it needs given where the schema travels. A `$ref` to the same component on both sides is not
 * followed: components are compared once each, in `compare-documents.ts`.
 */
export function compareSchemas(
  before: unknown,
  after: unknown,
  where: string,
  comparison: SchemaComparison,
): void {
  const { usage, report } = comparison;
  const at = (path: string) => (comparison.labelUsage ? `${path} (${usageLabel(usage)})` : path);
  const change = (effect: Effect, path: string, what: string) =>
    report({ bump: bumpFor(effect, usage), where: at(path), what });
  const inProgress = new Set<string>();

  compare(before, after, where);

  function compare(beforeSchema: unknown, afterSchema: unknown, path: string): void {
    const b = asObject(beforeSchema);
    const a = asObject(afterSchema);
    if (typeof b.$ref === "string" && b.$ref === a.$ref) {
      reportDocumentation(b, a, at(path), report);
      return;
    }
    // Different refs (a renamed component, an inline schema replaced by a ref) are followed; a
    // recursive schema would loop, so a pair already being compared is skipped.
    const pairKey =
      b.$ref === undefined && a.$ref === undefined ? undefined : `${String(b.$ref)}→${String(a.$ref)}`;
    if (pairKey !== undefined && inProgress.has(pairKey)) return;
    if (pairKey !== undefined) inProgress.add(pairKey);
    const bResolved = dereference(comparison.before, b).value;
    const aResolved = dereference(comparison.after, a).value;
    reportDocumentation(bResolved, aResolved, at(path), report);
    reportUnrecognised(bResolved, aResolved, UNDERSTOOD, at(path), report);
    compareVariants(variantsOf(comparison.before, b), variantsOf(comparison.after, a), path);
    if (pairKey !== undefined) inProgress.delete(pairKey);
  }

  function compareVariants(before: Variant[], after: Variant[], path: string): void {
    const beforeKinds = new Set(before.map((v) => v.kind));
    const afterKinds = new Set(after.map((v) => v.kind));
    const lost = [...beforeKinds].filter((k) => ![...afterKinds].some((a) => kindCovers(a, k)));
    const gained = [...afterKinds].filter((k) => ![...beforeKinds].some((b) => kindCovers(b, k)));
    const shapes = `${describeKinds(beforeKinds)} → ${describeKinds(afterKinds)}`;
    if (lost.length > 0 && gained.length > 0) change("changed", path, `type changed: ${shapes}`);
    else if (lost.length > 0)
      change("narrowed", path, `type narrowed: ${shapes} (no longer ${lost.join(" or ")})`);
    else if (gained.length > 0) change("widened", path, `type widened: ${shapes}`);

    for (const [b, a] of pairVariants(before, after, path)) compareVariant(b, a, path);
  }

  /** Pairs alternatives of a kind both sides have (`integer` pairs with `number`); reports the unpaired. */
  function pairVariants(before: Variant[], after: Variant[], path: string): [Variant, Variant][] {
    const pairs: [Variant, Variant][] = [];
    const unpairedAfter = [...after];
    const take = (match: (a: Variant) => boolean) => {
      const index = unpairedAfter.findIndex(match);
      return index < 0 ? undefined : unpairedAfter.splice(index, 1)[0];
    };
    const unpairedBefore = before.filter((b) => {
      const a =
        (b.ref === undefined ? undefined : take((a) => a.kind === b.kind && a.ref === b.ref)) ??
        take((a) => a.kind === b.kind) ??
        take((a) => isNumeric(a.kind) && isNumeric(b.kind));
      if (a !== undefined) pairs.push([b, a]);
      return a === undefined;
    });
    // Kinds lost or gained outright were reported above; what is left is a second alternative of a kind.
    for (const b of unpairedBefore.filter((v) => after.some((a) => a.kind === v.kind))) {
      change("narrowed", path, `one of its ${b.kind} alternatives was removed`);
    }
    for (const a of unpairedAfter.filter((v) => before.some((b) => b.kind === v.kind))) {
      change("widened", path, `another ${a.kind} alternative was added`);
    }
    return pairs;
  }

  function compareVariant(b: Variant, a: Variant, path: string): void {
    if (b.ref !== undefined && b.ref === a.ref) return; // the same component: compared on its own
    reportUnrecognised(b.schema, a.schema, UNDERSTOOD, at(path), report);
    compareAllowedValues(allowedValues(b), allowedValues(a), path);
    compareConstraints(b.schema, a.schema, path);
    if (b.kind === "object" && a.kind === "object") compareObjects(b.schema, a.schema, path);
    if (b.kind === "array" && a.kind === "array") compare(b.schema.items, a.schema.items, `${path}[]`);
  }

  function compareAllowedValues(
    before: unknown[] | undefined,
    after: unknown[] | undefined,
    path: string,
  ): void {
    if (before === undefined || after === undefined) {
      if (after !== undefined) change("narrowed", path, `now restricted to ${list(after)}`);
      if (before !== undefined) change("widened", path, `no longer restricted to ${list(before)}`);
      return;
    }
    const lost = before.filter((v) => !after.some((w) => isDeepStrictEqual(v, w)));
    const gained = after.filter((v) => !before.some((w) => isDeepStrictEqual(v, w)));
    if (lost.length > 0 && gained.length > 0) {
      change("changed", path, `allowed values changed: ${list(lost)} removed, ${list(gained)} added`);
    } else if (lost.length > 0) change("narrowed", path, `${list(lost)} no longer allowed`);
    else if (gained.length > 0) change("widened", path, `${list(gained)} now allowed`);
  }

  function compareConstraints(b: JsonObject, a: JsonObject, path: string): void {
    for (const key of [...LOWER_BOUNDS, ...UPPER_BOUNDS, ...EXACT_CONSTRAINTS]) {
      const was = b[key];
      const is = a[key];
      if (isDeepStrictEqual(was, is)) continue;
      const what = `${key} ${was === undefined ? "added" : is === undefined ? "removed" : "changed"} (${json(was)} → ${json(is)})`;
      // 3.0's boolean exclusiveMinimum/Maximum has no order; like pattern or format it only matches or not.
      const bound = LOWER_BOUNDS.includes(key) ? "lower" : UPPER_BOUNDS.includes(key) ? "upper" : undefined;
      if (bound !== undefined && typeof (was ?? is) === "number" && typeof (is ?? was) === "number") {
        const [from, to] = [was as number | undefined, is as number | undefined];
        const tighter =
          from === undefined || (to !== undefined && (bound === "lower" ? to > from : to < from));
        change(tighter ? "narrowed" : "widened", path, what);
      } else {
        change(was === undefined ? "narrowed" : is === undefined ? "widened" : "changed", path, what);
      }
    }
  }

  function compareObjects(b: JsonObject, a: JsonObject, path: string): void {
    const bProps = asObject(b.properties);
    const aProps = asObject(a.properties);
    const bRequired = new Set(Array.isArray(b.required) ? b.required : []);
    const aRequired = new Set(Array.isArray(a.required) ? a.required : []);
    for (const name of Object.keys(bProps)) {
      const field = `${path}.${name}`;
      if (!(name in aProps)) {
        change("field-removed", field, "field removed");
        continue;
      }
      if (!bRequired.has(name) && aRequired.has(name)) change("now-required", field, "field is now required");
      if (bRequired.has(name) && !aRequired.has(name)) change("now-optional", field, "field is now optional");
      compare(bProps[name], aProps[name], field);
    }
    for (const name of Object.keys(aProps).filter((n) => !(n in bProps))) {
      if (aRequired.has(name)) change("required-field-added", `${path}.${name}`, "required field added");
      else change("optional-field-added", `${path}.${name}`, "optional field added");
    }

    const bExtra = b.additionalProperties ?? true;
    const aExtra = a.additionalProperties ?? true;
    if (bExtra === false && aExtra !== false) change("widened", path, "now accepts additional properties");
    else if (bExtra !== false && aExtra === false)
      change("narrowed", path, "no longer accepts additional properties");
    else if (bExtra !== false && aExtra !== false) {
      compare(bExtra === true ? {} : bExtra, aExtra === true ? {} : aExtra, `${path}[key]`);
    }
  }
}

/** The values an `enum`/`const` allows for this variant's kind; `undefined` when unrestricted. */
function allowedValues(variant: Variant): unknown[] | undefined {
  const { schema, kind } = variant;
  const values = "const" in schema ? [schema.const] : Array.isArray(schema.enum) ? schema.enum : undefined;
  return values?.filter((value) => kindCovers(kind, kindOfValue(value)));
}

function isNumeric(kind: Kind): boolean {
  return kind === "integer" || kind === "number";
}

function describeKinds(kinds: ReadonlySet<Kind>): string {
  return [...kinds].join(" | ");
}

function list(values: unknown[]): string {
  return values.map(json).join(", ");
}

function json(value: unknown): string {
  return value === undefined ? "none" : JSON.stringify(value);
}
