import { describe, expect, it } from "vitest";
import { parsePythonJson } from "../src/python-json.js";

describe("parsePythonJson reports what CPython's json.loads reports", () => {
  it.each<[string, string, number]>([
    ["", "Expecting value", 0],
    ["   ", "Expecting value", 3],
    ["{", "Expecting property name enclosed in double quotes", 1],
    ["{bad", "Expecting property name enclosed in double quotes", 1],
    ['{"a"', "Expecting ':' delimiter", 4],
    ['{"a" 1}', "Expecting ':' delimiter", 5],
    ['{"a":', "Expecting value", 5],
    ['{"a":1', "Expecting ',' delimiter", 6],
    ['{"a":1 "b":2}', "Expecting ',' delimiter", 7],
    ['{"a":1,}', "Expecting property name enclosed in double quotes", 7],
    ["[1", "Expecting ',' delimiter", 2],
    ["[1,]", "Expecting value", 3],
    ['"abc', "Unterminated string starting at", 0],
    ['["x", "abc', "Unterminated string starting at", 6],
    ['"a\u0001"', "Invalid control character at", 2],
    ['"a\nb"', "Invalid control character at", 2],
    ['"\\x"', "Invalid \\escape", 1],
    ['"\\u12"', "Invalid \\uXXXX escape", 2],
    ['"\\u12zz"', "Invalid \\uXXXX escape", 2],
    ["tru", "Expecting value", 0],
    ["-", "Expecting value", 0],
    ["01", "Extra data", 1],
    ["1.", "Extra data", 1],
    ["{} x", "Extra data", 3],
    ["'single'", "Expecting value", 0],
  ])("%j → %s at %i", (text, message, position) => {
    expect(parsePythonJson(text)).toEqual({ ok: false, message, position });
  });

  it("counts positions in code points, as Python's str does", () => {
    expect(parsePythonJson('"😀😀" x')).toEqual({ ok: false, message: "Extra data", position: 5 });
  });

  it.each<[string, unknown]>([
    [
      '{"pr_number": 7, "tags": ["a", "b"], "draft": false, "x": null}',
      { pr_number: 7, tags: ["a", "b"], draft: false, x: null },
    ],
    [" \n\t[ ] \r\n", []],
    ['"\\u00e9\\ud83d\\ude00\\n\\/"', "é😀\n/"],
    ["-0.5e2", -50],
    ["NaN", Number.NaN],
    ["[Infinity, -Infinity]", [Infinity, -Infinity]],
  ])("parses %j", (text, value) => {
    expect(parsePythonJson(text)).toEqual({ ok: true, value });
  });

  it("keeps a __proto__ key as data", () => {
    const result = parsePythonJson('{"__proto__": {"polluted": true}}');
    expect(result.ok && Object.keys(result.value as object)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
