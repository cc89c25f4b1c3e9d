import { describe, expect, test } from "bun:test";
import { CompactTaskList, taskArray } from "../core/suites/task-list.ts";
import { loadDomain } from "./load-domain.ts";
import { loadSuite } from "./load-suite.ts";

describe("generated suites", () => {
  const domain = loadDomain("support_saas");

  test("a large generated suite keeps shapes, not Task objects", () => {
    const suite = loadSuite(domain, "generated", 200_000, 99);
    expect(suite.tasks).toBeInstanceOf(CompactTaskList);
    const list = suite.tasks as CompactTaskList<unknown>;
    expect(list.length).toBe(200_000);
    // A few hundred (operator, principal, plan) shapes at most, whatever the count.
    expect(list.shapeCount).toBeLessThan(2_000);
    const ids = new Set<string>();
    for (let i = 0; i < 5_000; i++) ids.add(list.at(i).id);
    expect(ids.size).toBe(5_000);
  });

  test("the same count and seed give the same cases; another seed another order", () => {
    const a = taskArray(loadSuite(domain, "generated", 500, 7).tasks);
    const b = taskArray(loadSuite(domain, "generated", 500, 7).tasks);
    const c = taskArray(loadSuite(domain, "generated", 500, 8).tasks);
    expect(b).toEqual(a);
    expect(c.map((t) => t.id)).not.toEqual(a.map((t) => t.id));
    expect(new Set(a.map((t) => t.id)).size).toBe(500);
  });

  test("clean controls carry no mutation and unique ids", () => {
    const tasks = taskArray(loadSuite(domain, "clean_controls", 80, 260627).tasks);
    expect(tasks).toHaveLength(80);
    expect(new Set(tasks.map((t) => t.mutation))).toEqual(new Set(["none"]));
    expect(new Set(tasks.map((t) => t.id)).size).toBe(80);
  });
});
