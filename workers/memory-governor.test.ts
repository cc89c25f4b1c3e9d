import { expect, test } from "bun:test";
import { MemoryGovernor } from "./memory-governor.ts";

test("collects only after `every` cases and only above the limit", () => {
  const over = new MemoryGovernor(3, 0);
  over.tick();
  over.tick();
  expect(over.collections).toBe(0);
  over.tick();
  expect(over.collections).toBe(1);
  over.tick(5);
  expect(over.collections).toBe(2);

  const under = new MemoryGovernor(1, Number.MAX_SAFE_INTEGER);
  under.tick(10);
  expect(under.collections).toBe(0);
});
