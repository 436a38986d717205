import { describe, expect, it } from "vitest";
import { REDACTED, redactSecret } from "../src/index.js";

describe("redactSecret", () => {
  it("replaces the secret in strings, array items and object keys, at any depth", () => {
    const echoed = { detail: [{ msg: "Key abc rejected", loc: ["header", "abc"] }], abc: 1 };
    expect(redactSecret(echoed, "abc")).toEqual({
      detail: [{ msg: `Key ${REDACTED} rejected`, loc: ["header", REDACTED] }],
      [REDACTED]: 1,
    });
  });

  it("leaves the value as it is for an empty secret, which would otherwise split every character", () => {
    expect(redactSecret("no key here", "")).toBe("no key here");
  });

  it("keeps a parsed __proto__ key as data, not as the copy's prototype", () => {
    const parsed = JSON.parse('{"__proto__": {"token": "abc"}}');
    const copy = redactSecret(parsed, "abc");
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(copy, "__proto__")?.value).toEqual({ token: REDACTED });
  });
});
