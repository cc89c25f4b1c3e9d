import { describe, expect, test } from "bun:test";
import { parseShard, shardIndices } from "./assign.ts";

describe("shards", () => {
  test("parse i/N", () => {
    expect(parseShard("2/3")).toEqual({ index: 2, total: 3 });
    for (const bad of ["0/3", "4/3", "2", "a/b", "1/0", "-1/2"]) expect(parseShard(bad)).toBeNull();
  });

  test("by count: every case in exactly one shard, sizes within one", () => {
    const shards = [1, 2, 3].map((index) => shardIndices(100, { index, total: 3 }));
    expect(shards.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const sizes = shards.map((s) => s.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  test("by recorded cost: loads balance although case counts do not", () => {
    // Case 0 is as expensive as all others together.
    const costs = new Map<number, number>(Array.from({ length: 11 }, (_, i) => [i, i === 0 ? 10 : 1]));
    const [a, b] = [1, 2].map((index) => shardIndices(11, { index, total: 2 }, costs));
    expect([...a!, ...b!].sort((x, y) => x - y)).toEqual(Array.from({ length: 11 }, (_, i) => i));
    const load = (s: number[]) => s.reduce((sum, i) => sum + costs.get(i)!, 0);
    expect(load(a!)).toBe(10);
    expect(load(b!)).toBe(10);
    expect(a).toEqual([0]);
    // The assignment is a pure function of its inputs.
    expect(shardIndices(11, { index: 2, total: 2 }, costs)).toEqual(b!);
  });
});
