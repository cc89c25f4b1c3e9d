import { expect, test } from "bun:test";
import { assignLanes, favourLaneZero, placeByWeight } from "./lanes.ts";

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

test("weighted units: the heaviest go first to the least-loaded lane, the same way every time", () => {
  const weights = new Map([
    [0, 10],
    [1, 7],
    [2, 5],
    [3, 4],
    [4, 1],
  ]);
  const placed = placeByWeight(weights, 2);
  // 10 on lane 0; 7 on lane 1; 5 on lane 1 (7 < 10); 4 on lane 0 (10 < 12); 1 on lane 1 (12 < 14).
  expect([...placed.entries()].sort((a, b) => a[0] - b[0])).toEqual([
    [0, 0],
    [1, 1],
    [2, 1],
    [3, 0],
    [4, 1],
  ]);
  expect(placeByWeight(new Map([...weights].reverse()), 2)).toEqual(placed);
});

test("favourLaneZero swaps the lane holding most favoured weight into lane 0 and keeps every unit with its companions", () => {
  const weights = new Map([
    [0, 50],
    [1, 40],
    [2, 30],
    [3, 20],
  ]);
  const placed = placeByWeight(weights, 3);
  // Units 0, 1, 2 go to lanes 0, 1, 2; unit 3 joins the lightest, lane 2.
  expect([...placed.entries()]).toEqual([
    [0, 0],
    [1, 1],
    [2, 2],
    [3, 2],
  ]);
  const favoured = favourLaneZero(placed, weights, new Set([2, 3]));
  expect(favoured.get(2)).toBe(0);
  expect(favoured.get(3)).toBe(0);
  expect(favoured.get(0)).toBe(2);
  expect(favoured.get(1)).toBe(1);
  // Favoured units on lane 0 already, or none at all: nothing moves.
  expect(favourLaneZero(placed, weights, new Set([0]))).toEqual(placed);
  expect(favourLaneZero(placed, weights, new Set())).toEqual(placed);
  // Split across lanes: the heavier share wins (unit 1 with 40 against unit 3 with 20).
  expect(favourLaneZero(placed, weights, new Set([1, 3])).get(1)).toBe(0);
});
