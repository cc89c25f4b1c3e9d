import { describe, expect, test } from "bun:test";
import { Prng } from "../random/prng.ts";
import { type Row, sameResult, sameRows, sortRows } from "./rows.ts";

/** The definition sameRows must keep: the JSON of both results' rows in canonical order. */
function sameRowsByDefinition(a: Row[], b: Row[]): boolean {
  return JSON.stringify(sortRows(a)) === JSON.stringify(sortRows(b));
}

/** Small rows from few values, so equal rows, ties in the order and reordered columns are common. */
function randomRows(rng: Prng): Row[] {
  const values = [0, 1, "a", "b", null, 1.5, true];
  const rows: Row[] = [];
  const count = rng.below(4);
  for (let i = 0; i < count; i++) {
    const columns = rng.below(2) === 0 ? ["value", "cohort_size"] : ["cohort_size", "value"];
    const row: Row = {};
    for (const column of columns.slice(0, 1 + rng.below(2))) row[column] = values[rng.below(values.length)]!;
    rows.push(row);
  }
  return rows;
}

describe("sameRows", () => {
  test("ignores row order but not values or counts", () => {
    expect(sameRows([{ v: 1 }, { v: 2 }], [{ v: 2 }, { v: 1 }])).toBe(true);
    expect(sameRows([{ v: 1 }, { v: 1 }], [{ v: 1 }])).toBe(false);
    expect(sameRows([{ v: 1 }, { v: 2 }], [{ v: 1 }, { v: 3 }])).toBe(false);
    expect(sameRows([{ v: 1 }], [{ v: "1" }])).toBe(false);
  });

  test("a row's own column order still counts, with one row or many", () => {
    expect(sameRows([{ a: 1, b: 2 }], [{ b: 2, a: 1 }])).toBe(false);
    expect(sameRows([{ a: 1, b: 2 }, { a: 3, b: 4 }], [{ a: 3, b: 4 }, { b: 2, a: 1 }])).toBe(false);
  });

  test("agrees with comparing the canonically sorted rows' JSON on 20,000 random pairs", () => {
    const rng = new Prng(20261121);
    let equal = 0;
    for (let i = 0; i < 20_000; i++) {
      const a = randomRows(rng);
      const b = rng.below(3) === 0 ? [...a].reverse() : randomRows(rng);
      const expected = sameRowsByDefinition(a, b);
      if (sameRows(a, b) !== expected) throw new Error(`disagree on ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
      if (expected) equal++;
    }
    // Both answers occur often enough for the comparison to mean something.
    expect(equal).toBeGreaterThan(2_000);
    expect(equal).toBeLessThan(18_000);
  });

  test("errors are equal to errors only", () => {
    expect(sameResult({ kind: "error", error: "x" }, { kind: "error", error: "y" })).toBe(true);
    expect(sameResult({ kind: "error", error: "x" }, { kind: "rows", rows: [] })).toBe(false);
  });
});
