import { describe, expect, it } from "vitest";
import { median, significant } from "./stats.js";

describe("median", () => {
  it("picks the middle value of an odd count, whatever the order", () => {
    expect(median([9, 1, 5])).toBe(5);
  });

  it("averages the middle two of an even count", () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("ignores a single outlier round", () => {
    expect(median([10, 11, 10, 12, 900])).toBe(11);
  });

  it("does not reorder the caller's array", () => {
    const rounds = [3, 1, 2];
    median(rounds);
    expect(rounds).toEqual([3, 1, 2]);
  });

  it("refuses an empty list instead of returning NaN", () => {
    expect(() => median([])).toThrow(RangeError);
  });
});

describe("significant", () => {
  it("keeps three significant digits by default", () => {
    expect(significant(1234.5678)).toBe(1230);
    expect(significant(0.012345)).toBe(0.0123);
  });
});
