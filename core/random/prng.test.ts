import { describe, expect, test } from "bun:test";
import { Prng } from "./prng.ts";

const take = (rng: Prng, n: number) => Array.from({ length: n }, () => rng.nextUint32());

describe("Prng sequence", () => {
  test("matches an independent splitmix32-seeded xoshiro128** implementation", () => {
    // Computed with a separate Python implementation of the same algorithm (32-bit masks).
    expect(take(new Prng(42), 5)).toEqual([2837322924, 544945897, 479756282, 3500138142, 339756180]);
    expect(take(new Prng(0), 3)).toEqual([3809008728, 1133695204, 53579671]);
  });

  test("the same seed gives the same sequence", () => {
    expect(take(new Prng(20260624), 100)).toEqual(take(new Prng(20260624), 100));
  });

  test("different seeds give different sequences", () => {
    const a = take(new Prng(1), 20);
    const b = take(new Prng(2), 20);
    expect(a).not.toEqual(b);
    expect(a.filter((v, i) => v === b[i]).length).toBeLessThan(2);
  });

  test("seeds are taken modulo 2^32", () => {
    expect(take(new Prng(-1), 5)).toEqual(take(new Prng(2 ** 32 - 1), 5));
    expect(take(new Prng(2 ** 32 + 7), 5)).toEqual(take(new Prng(7), 5));
  });

  test("outputs are unsigned 32-bit integers", () => {
    for (const v of take(new Prng(3), 1000)) {
      expect(Number.isInteger(v) && v >= 0 && v < 2 ** 32).toBe(true);
    }
  });
});

describe("Prng.below", () => {
  test("stays in [0, n) for a range of n", () => {
    const rng = new Prng(5);
    for (const n of [1, 2, 3, 7, 10, 1000, 2 ** 31 + 1, 2 ** 32]) {
      for (let i = 0; i < 200; i++) {
        const v = rng.below(n);
        expect(Number.isInteger(v) && v >= 0 && v < n).toBe(true);
      }
    }
  });

  test("below(1) is always 0", () => {
    const rng = new Prng(9);
    expect(Array.from({ length: 50 }, () => rng.below(1)).every((v) => v === 0)).toBe(true);
  });

  test("is roughly uniform: chi-square over 10 buckets stays under the p=0.001 critical value", () => {
    const rng = new Prng(12345);
    const n = 10;
    const draws = 20_000;
    const counts = new Array<number>(n).fill(0);
    for (let i = 0; i < draws; i++) counts[rng.below(n)]!++;
    const expected = draws / n;
    const chiSquare = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: the 0.999 quantile is 27.88.
    expect(chiSquare).toBeLessThan(27.88);
    expect(Math.min(...counts)).toBeGreaterThan(0);
  });

  test("rejects n that is not an integer in [1, 2^32]", () => {
    const rng = new Prng(1);
    for (const n of [0, -1, 1.5, Number.NaN, 2 ** 32 + 1]) {
      expect(() => rng.below(n)).toThrow("below(n) needs 1 <= n <= 2^32");
    }
  });
});

describe("Prng.pick and Prng.shuffle", () => {
  test("pick returns an element of the list, and can return each", () => {
    const rng = new Prng(77);
    const items = ["a", "b", "c"] as const;
    const seen = new Set(Array.from({ length: 100 }, () => rng.pick(items)));
    expect([...seen].sort()).toEqual(["a", "b", "c"]);
  });

  test("pick from an empty list throws", () => {
    expect(() => new Prng(1).pick([])).toThrow("pick from an empty list");
  });

  test("shuffle permutes in place and returns the same array", () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = new Prng(8).shuffle(items);
    expect(shuffled).toBe(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(shuffled).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  test("shuffle is deterministic per seed", () => {
    const order = (seed: number) => new Prng(seed).shuffle(Array.from({ length: 20 }, (_, i) => i));
    expect(order(4)).toEqual(order(4));
    expect(order(4)).not.toEqual(order(5));
  });

  test("shuffle reaches every permutation of three items", () => {
    const rng = new Prng(2024);
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) seen.add(rng.shuffle(["a", "b", "c"]).join(""));
    expect(seen.size).toBe(6);
  });

  test("shuffle of empty and single-item lists is a no-op", () => {
    const rng = new Prng(1);
    expect(rng.shuffle([])).toEqual([]);
    expect(rng.shuffle(["x"])).toEqual(["x"]);
  });
});
