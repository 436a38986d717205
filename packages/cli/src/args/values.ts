import { describeSource } from "../output/describe.js";
import type { CliInput, Parsed, SourcedValue } from "../types.js";

/** What a number given on the command line must be, and how a message says so. */
export interface NumberRule {
  /** Digits only: `7`, not `7.5`. */
  readonly whole: boolean;
  readonly min: number;
  /** No upper bound when absent. */
  readonly max?: number;
  /** `min` itself is refused too (a timeout of 0 s). */
  readonly aboveMin?: boolean;
  /** Said in the message: `a number of seconds`. */
  readonly unit?: "seconds";
  /** Said after the message: `e.g. 30 or 2.5`. */
  readonly example?: string;
}

/**
 * The CLI's one parser of numbers from flags and variables (`--timeout`, `--retries`, `--wait-timeout`,
 * `--poll-interval`, `--ci-run-id`, bounded inputs such as `--limit`). A problem names the flag, the value
 * and where it came from, and what was expected.
 *
 * @example
 * parseNumber("--retries", { value: "11", source: { kind: "flag", name: "--retries" } }, { whole: true, min: 0, max: 10 });
 * // { ok: false, problem: '--retries "11" (from flag --retries) is not a whole number from 0 to 10' }
 */
export function parseNumber(flag: string, given: SourcedValue, rule: NumberRule): Parsed<number> {
  const text = given.value.trim();
  const value = (rule.whole ? /^\d+$/ : /^\d+(?:\.\d+)?$/).test(text) ? Number(text) : Number.NaN;
  const fits =
    (rule.aboveMin ? value > rule.min : value >= rule.min) &&
    (rule.max === undefined || value <= rule.max) &&
    (!rule.whole || Number.isSafeInteger(value));
  return fits
    ? { ok: true, value }
    : {
        ok: false,
        problem: `${flag} ${JSON.stringify(given.value)} (from ${describeSource(given.source)}) is not ${expectation(rule)}`,
      };
}

function expectation({ whole, min, max, aboveMin, unit, example }: NumberRule): string {
  const what = unit === "seconds" ? "a number of seconds" : whole ? "a whole number" : "a number";
  const range =
    max === undefined
      ? aboveMin
        ? `above ${min}`
        : `of ${min} or more`
      : aboveMin
        ? `above ${min} and at most ${max}`
        : `from ${min} to ${max}`;
  return `${what} ${range}${example === undefined ? "" : `, e.g. ${example}`}`;
}

/**
 * The value an operation input's text stands for, by the input's type: digits (signed or not) as a number,
 * `true`/`false` as a boolean, JSON for arrays, objects and mixed types. Text that does not read as its type is returned
 * as it is: the operation's check then refuses it, naming what was expected (`Input should be a valid
 * integer`), which says more than a second parser could.
 */
export function inputValue(input: CliInput, text: string): unknown {
  switch (input.type) {
    case "integer":
      // A sign too: -1 is a number the check can say is below 1, where "-1" would be told it is no integer.
      return /^-?\d+$/.test(text) ? Number(text) : text;
    case "number":
      return /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(text) ? Number(text) : text;
    case "boolean":
      return text === "true" ? true : text === "false" ? false : text;
    case "string":
      return text;
    default:
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
  }
}
