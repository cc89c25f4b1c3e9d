import { expect, test } from "bun:test";
import { assignLanes } from "./lanes.ts";

test("a group never spans lanes and lanes are balanced by case count", () => {
  const groups = [5, 5, 5, 5, 1, 1, 2, 2, 3, 9, 9, 9];
  const lanes = assignLanes(groups, 2);
  const laneOf = new Map<number, number>();
  groups.forEach((g, i) => {
    if (laneOf.has(g)) expect(lanes[i]).toBe(laneOf.get(g)!);
    laneOf.set(g, lanes[i]!);
  });
  const load = [0, 0];
  for (const l of lanes) load[l]!++;
  expect(Math.abs(load[0]! - load[1]!)).toBeLessThanOrEqual(1);
});

test("the assignment depends only on the groups, and one lane takes everything", () => {
  const groups = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 37);
  expect(assignLanes(groups, 3)).toEqual(assignLanes([...groups], 3));
  expect([...assignLanes(groups, 1)].every((l) => l === 0)).toBe(true);
  expect(() => assignLanes(groups, 0)).toThrow(RangeError);
});
