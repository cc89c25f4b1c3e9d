import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { canonicalJsonChunks } from "../core/suites/task-list.ts";
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

  test("the compact generators make exactly the cases the former Task[] generators made", () => {
    // sha256 of the canonical JSON of every case, computed with the generators before they became compact.
    const hash = (suite: string, count: number, seed: number) => {
      const h = createHash("sha256");
      for (const chunk of canonicalJsonChunks(loadSuite(domain, suite, count, seed).tasks)) h.update(chunk);
      return h.digest("hex");
    };
    expect(hash("generated", 5000, 1729)).toBe("614a039cb72db03e7dff41e59b782ad05355131d16665a01e10e1bc901fd8c9c");
    expect(hash("clean_controls", 80, 260627)).toBe("837f873ccdf6de31733ca2b78ea2d0cab89a0617ce53b0c133e1c8558340ef02");
  });

  test("clean controls carry no mutation and unique ids", () => {
    const tasks = taskArray(loadSuite(domain, "clean_controls", 80, 260627).tasks);
    expect(tasks).toHaveLength(80);
    expect(new Set(tasks.map((t) => t.mutation))).toEqual(new Set(["none"]));
    expect(new Set(tasks.map((t) => t.id)).size).toBe(80);
  });
});
