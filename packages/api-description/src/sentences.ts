import { FORMAT_DESCRIPTIONS, type FormatName } from "./formats.js";

/**
 * A person's sentence for one failed keyword of a compiled validator: what was expected, from the
 * keyword's `params` and the value that failed (the caller adds what was given, and where). One
 * function per keyword, named `<keyword>Sentence`, so that each document's generated module imports
 * only the sentences of the keywords its schemas use, and a bundle carries no others.
 */
export type Sentence = (params: Readonly<Record<string, unknown>>, value: unknown, keyword: string) => string;

/** pydantic's names of the JSON types, which Datafold's own 422 answers use too. */
const TYPE_WORDS: Readonly<Record<string, string>> = { array: "list", object: "dictionary" };

/** `Input should be a valid integer`, `Input should be a valid string or a valid list`. */
export function typeSentence(params: Readonly<Record<string, unknown>>): string {
  const types = String(params.type).split(",");
  // `X | None` is reported as X: null stands for no value, not for a form to offer.
  const named = types.length > 1 ? types.filter((t) => t !== "null") : types;
  return `Input should be ${named.map((t) => (t === "null" ? t : `a valid ${TYPE_WORDS[t] ?? t}`)).join(" or ")}`;
}

/** `Field required` (pydantic's words, which Datafold's own 422 answers use too). */
export function requiredSentence(): string {
  return "Field required";
}

/** A property that `additionalProperties: false` refuses. */
export function additionalPropertiesSentence(): string {
  return "Field not allowed here";
}

/**
 * The client's identifier rule, for an integer named `id`, `*_id`, `*_num` or `*_number`; it checks
 * the type too, so a value that is no integer at all is told so.
 */
export function identifierSentence(_params: unknown, value: unknown): string {
  if (!Number.isInteger(value)) return typeSentence({ type: "integer" });
  // From 2^53 on, JSON numbers lose precision: the id sent would not be the id meant.
  return `Input should be a whole number of 1 or more${Number(value) >= 2 ** 53 ? ", below 2^53" : ""}`;
}

/** The client's rule for strings it sends; it checks the type too. */
export function nonBlankSentence(_params: unknown, value: unknown): string {
  return typeof value === "string"
    ? "String should not be empty or only whitespace"
    : typeSentence({ type: "string" });
}

/** `Input should be "csv", "excel" or "parquet"`. */
export function enumSentence(params: Readonly<Record<string, unknown>>): string {
  return `Input should be ${orList(Array.isArray(params.allowedValues) ? params.allowedValues : [])}`;
}

/** `Input should be "csv"`: a Literal, or a discriminated member's tag. */
export function constSentence(params: Readonly<Record<string, unknown>>): string {
  return `Input should be ${orList([params.allowedValue])}`;
}

function orList(values: readonly unknown[]): string {
  const listed = values.map((value) => JSON.stringify(value) ?? String(value));
  return listed.length > 1 ? `${listed.slice(0, -1).join(", ")} or ${listed.at(-1)}` : (listed[0] ?? "");
}

function counted(template: string, params: Readonly<Record<string, unknown>>): string {
  const n = Number(params.limit);
  return `${template.replace("#", String(n))}${n === 1 ? "" : "s"}`;
}

/** `String should have at least 3 characters` (code points, as JSON Schema and Python count). */
export function minLengthSentence(params: Readonly<Record<string, unknown>>): string {
  return counted("String should have at least # character", params);
}

/** `String should have at most 40 characters`. */
export function maxLengthSentence(params: Readonly<Record<string, unknown>>): string {
  return counted("String should have at most # character", params);
}

/** `List should have at least 1 item`. */
export function minItemsSentence(params: Readonly<Record<string, unknown>>): string {
  return counted("List should have at least # item", params);
}

/** `List should have at most 2 items`. */
export function maxItemsSentence(params: Readonly<Record<string, unknown>>): string {
  return counted("List should have at most # item", params);
}

/** `items: false` after `prefixItems`: a tuple holds no more than its members. */
export function itemsSentence(params: Readonly<Record<string, unknown>>): string {
  return counted("List should have at most # item", params);
}

/** `Object should have at least 1 field`. */
export function minPropertiesSentence(params: Readonly<Record<string, unknown>>): string {
  return counted("Object should have at least # field", params);
}

/** `Object should have at most 3 fields`. */
export function maxPropertiesSentence(params: Readonly<Record<string, unknown>>): string {
  return counted("Object should have at most # field", params);
}

const COMPARISONS: Readonly<Record<string, string>> = {
  ">=": "greater than or equal to",
  ">": "greater than",
  "<=": "less than or equal to",
  "<": "less than",
};

function compared(params: Readonly<Record<string, unknown>>): string {
  return `Input should be ${COMPARISONS[String(params.comparison)] ?? String(params.comparison)} ${String(params.limit)}`;
}

/** `Input should be greater than or equal to 0`. */
export function minimumSentence(params: Readonly<Record<string, unknown>>): string {
  return compared(params);
}

/** `Input should be less than or equal to 100`. */
export function maximumSentence(params: Readonly<Record<string, unknown>>): string {
  return compared(params);
}

/** `Input should be greater than 0`. */
export function exclusiveMinimumSentence(params: Readonly<Record<string, unknown>>): string {
  return compared(params);
}

/** `Input should be less than 100`. */
export function exclusiveMaximumSentence(params: Readonly<Record<string, unknown>>): string {
  return compared(params);
}

/** `Input should be a multiple of 5`. */
export function multipleOfSentence(params: Readonly<Record<string, unknown>>): string {
  return `Input should be a multiple of ${String(params.multipleOf)}`;
}

/** A list that repeats an item where the spec says `uniqueItems`. */
export function uniqueItemsSentence(params: Readonly<Record<string, unknown>>): string {
  return `List should not repeat an item (items ${String(params.j)} and ${String(params.i)} are the same)`;
}

/** pydantic's pattern for a `Decimal` in a string (Datafold's only pattern): said in words. */
const DECIMAL_PATTERN = "^(?!^[-+.]*$)[+-]?0*\\d*\\.?\\d*$";

/** `String should be a decimal number, such as "12.50"`, or the pattern itself. */
export function patternSentence(params: Readonly<Record<string, unknown>>): string {
  return params.pattern === DECIMAL_PATTERN
    ? 'String should be a decimal number, such as "12.50"'
    : `String should match the pattern ${String(params.pattern)}`;
}

/** `String should be a date and time, such as 2024-05-01T12:30:00Z`. */
export function formatSentence(params: Readonly<Record<string, unknown>>): string {
  const format = FORMAT_DESCRIPTIONS[String(params.format) as FormatName];
  return format
    ? `String should be ${format.words}, such as ${format.example}`
    : `String should be in the format ${String(params.format)}`;
}

/** A union (no discriminator) that no member matched. */
export function anyOfSentence(): string {
  return "Input should match one of the forms the spec allows here";
}

/** A `oneOf` that no member, or more than one, matched. */
export function oneOfSentence(params: Readonly<Record<string, unknown>>): string {
  return params.passingSchemas
    ? "Input should match exactly one of the forms the spec allows here, but matches several"
    : "Input should match one of the forms the spec allows here";
}

/** Any other keyword: `not`, `contains`, `dependentRequired`, `propertyNames`, … (FastAPI writes none). */
export function otherSentence(_params: unknown, _value: unknown, keyword: string): string {
  return `Input should satisfy the spec's "${keyword}" rule`;
}
