import { expect, test } from "bun:test";
import { MemoryGovernor } from "./memory-governor.ts";

test("collects only after `every` cases, and only when memory grew past the allowance since the last collection", () => {
  let size = 100;
  const governor = new MemoryGovernor(3, 50, () => size);
  governor.tick();
  governor.tick();
  size = 200;
  expect(governor.collections).toBe(0);
  governor.tick();
  expect(governor.collections).toBe(1);
  // The size after collecting is the new base: growth below the allowance does not collect.
  size = 240;
  governor.tick(3);
  expect(governor.collections).toBe(1);
  size = 260;
  governor.tick(3);
  expect(governor.collections).toBe(2);
});
