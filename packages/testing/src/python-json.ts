/** The outcome of {@link parsePythonJson}: a value, or the `JSONDecodeError` Python would raise. */
export type PythonJsonResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly message: string; readonly position: number };

/**
 * Parses `text` as CPython's `json.loads` does (the C scanner of Python 3.12), because FastAPI
 * reports a body it cannot parse as `json_invalid` with `loc: ["body", e.pos]` and
 * `ctx.error: e.msg`, and clients deserve the same position and wording from the mock.
 * Like Python, it accepts `NaN`, `Infinity` and `-Infinity`; `position` counts code points.
 */
export function parsePythonJson(text: string): PythonJsonResult {
  try {
    const scanner = new Scanner(text);
    const [value, end] = scanner.value(scanner.skipWhitespace(0));
    const rest = scanner.skipWhitespace(end);
    if (rest !== text.length) throw new DecodeError("Extra data", rest);
    return { ok: true, value };
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    return { ok: false, message: error.message, position: [...text.slice(0, error.index)].length };
  }
}

class DecodeError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};
const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const CONSTANTS: readonly (readonly [string, unknown])[] = [
  ["null", null],
  ["true", true],
  ["false", false],
  ["NaN", Number.NaN],
  ["Infinity", Infinity],
  ["-Infinity", -Infinity],
];

class Scanner {
  constructor(private readonly s: string) {}

  skipWhitespace(index: number): number {
    let i = index;
    while (i < this.s.length && " \t\n\r".includes(this.s[i]!)) i++;
    return i;
  }

  /** Python's `scan_once`: a value starting exactly at `index`, and the index after it. */
  value(index: number): [unknown, number] {
    const s = this.s;
    const first = s[index];
    if (first === '"') return this.string(index + 1);
    if (first === "{") return this.object(index + 1);
    if (first === "[") return this.array(index + 1);
    for (const [word, value] of CONSTANTS) if (s.startsWith(word, index)) return [value, index + word.length];
    NUMBER.lastIndex = index;
    const match = first === undefined ? null : NUMBER.exec(s);
    // Python raises StopIteration here, which every caller reports as "Expecting value" at `index`.
    if (!match) throw new DecodeError("Expecting value", index);
    return [Number(match[0]), index + match[0].length];
  }

  private object(start: number): [unknown, number] {
    const s = this.s;
    const result: Record<string, unknown> = {};
    let i = this.skipWhitespace(start);
    if (s[i] === "}") return [result, i + 1];
    for (;;) {
      if (s[i] !== '"') throw new DecodeError("Expecting property name enclosed in double quotes", i);
      const [key, afterKey] = this.string(i + 1);
      i = this.skipWhitespace(afterKey);
      if (s[i] !== ":") throw new DecodeError("Expecting ':' delimiter", i);
      const [value, afterValue] = this.value(this.skipWhitespace(i + 1));
      // defineProperty, so a key named "__proto__" stays data, as it is in Python.
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      i = this.skipWhitespace(afterValue);
      if (s[i] === "}") return [result, i + 1];
      if (s[i] !== ",") throw new DecodeError("Expecting ',' delimiter", i);
      i = this.skipWhitespace(i + 1);
    }
  }

  private array(start: number): [unknown, number] {
    const s = this.s;
    const result: unknown[] = [];
    let i = this.skipWhitespace(start);
    if (s[i] === "]") return [result, i + 1];
    for (;;) {
      const [value, afterValue] = this.value(i);
      result.push(value);
      i = this.skipWhitespace(afterValue);
      if (s[i] === "]") return [result, i + 1];
      if (s[i] !== ",") throw new DecodeError("Expecting ',' delimiter", i);
      i = this.skipWhitespace(i + 1);
    }
  }

  /** `start` is just after the opening quote; errors point where CPython's `scanstring` points. */
  private string(start: number): [string, number] {
    const s = this.s;
    const quote = start - 1;
    let text = "";
    let i = start;
    for (;;) {
      let next = i;
      while (next < s.length && s[next] !== '"' && s[next] !== "\\") {
        if (s.charCodeAt(next) <= 0x1f) throw new DecodeError("Invalid control character at", next);
        next++;
      }
      if (next >= s.length) throw new DecodeError("Unterminated string starting at", quote);
      text += s.slice(i, next);
      if (s[next] === '"') return [text, next + 1];
      const escaped = s[next + 1];
      if (escaped === undefined) throw new DecodeError("Unterminated string starting at", quote);
      if (escaped !== "u") {
        const decoded = ESCAPES[escaped];
        if (decoded === undefined) throw new DecodeError("Invalid \\escape", next);
        text += decoded;
        i = next + 2;
        continue;
      }
      const hex = s.slice(next + 2, next + 6);
      // CPython also wants a character after the four digits (the closing quote at least).
      if (next + 6 >= s.length || !HEX4.test(hex)) throw new DecodeError("Invalid \\uXXXX escape", next + 1);
      // Surrogate pairs need no joining: two \u escapes are already two UTF-16 units.
      text += String.fromCharCode(Number.parseInt(hex, 16));
      i = next + 6;
    }
  }
}
