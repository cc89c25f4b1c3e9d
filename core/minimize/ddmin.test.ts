import { describe, expect, test } from "bun:test";
import { ddmin } from "./ddmin.ts";

describe("ddmin", () => {
  test("finds the failure-inducing pair among many items", async () => {
    const items = Array.from({ length: 40 }, (_, i) => i);
    const { kept } = await ddmin(items, async (s) => s.includes(7) && s.includes(31));
    expect(kept.sort((a, b) => a - b)).toEqual([7, 31]);
  });

  test("result is 1-minimal: removing any single kept item breaks the property", async () => {
    const holds = async (s: number[]) => s.filter((x) => x % 5 === 0).length >= 3;
    const { kept } = await ddmin(
      Array.from({ length: 30 }, (_, i) => i),
      holds,
    );
    expect(await holds(kept)).toBe(true);
    for (const item of kept) expect(await holds(kept.filter((x) => x !== item))).toBe(false);
  });

  test("reduces to nothing when the property does not depend on the items", async () => {
    const { kept } = await ddmin([1, 2, 3], async () => true);
    expect(kept).toEqual([]);
  });
});

describe("ddmin on properties that are not monotone", () => {
  test("keeps sweeping single items until a pass removes nothing", async () => {
    // 3 can go only once 8 is gone, and the single-item pass meets 3 before 8: only a second pass removes it.
    const holds = async (s: number[]) => s.includes(5) && (!s.includes(8) || s.includes(3));
    const { kept } = await ddmin([1, 3, 5, 8], holds);
    expect(kept).toEqual([5]);
    for (const item of kept) expect(await holds(kept.filter((x) => x !== item))).toBe(false);
  });

  test("an empty input needs no test; an input that is already minimal costs one test per item and the empty set", async () => {
    expect(await ddmin([], async () => true)).toEqual({ kept: [], tests: 0 });
    const { kept, tests } = await ddmin([1, 2, 3], async (s) => s.length === 3);
    expect(kept).toEqual([1, 2, 3]);
    expect(tests).toBeLessThanOrEqual(1 + 2 + 3);
  });

  test("a caller that saw the empty set fail can skip testing it again", async () => {
    const tried: number[][] = [];
    const holds = async (s: number[]) => {
      tried.push(s);
      return s.includes(2);
    };
    const { kept, tests } = await ddmin([1, 2, 3, 4], holds, { emptyFails: true });
    expect(kept).toEqual([2]);
    expect(tried.some((s) => s.length === 0)).toBe(false);
    expect(tests).toBe(tried.length);
    tried.length = 0;
    const again = await ddmin([1, 2, 3, 4], holds);
    expect(tried[0]).toEqual([]);
    expect(again.tests).toBe(tests + 1);
  });

});

describe("what ddmin asks", () => {
  test("asks about each subset once, and counts the subsets it asked about", async () => {
    // The single-item sweep removes 1, so it sweeps again over 2 and 4, whose subsets it has tried.
    const asked: string[] = [];
    const holds = async (s: number[]) => {
      asked.push(s.join(","));
      return s.includes(2) && s.includes(4);
    };
    const { kept, tests } = await ddmin([1, 2, 3, 4], holds);
    expect(kept).toEqual([2, 4]);
    expect(new Set(asked).size).toBe(asked.length);
    expect(tests).toBe(asked.length);
  });
});
