import { describe, expect, test } from "bun:test";
import type { Task } from "../model/suite.ts";
import { canonicalJson } from "../util/canonical-json.ts";
import { ArrayTaskList, canonicalJsonChunks, CompactTaskList, taskArray } from "./task-list.ts";

const make = (n: number, shape: { principal: string; metric: string }): Task =>
  ({
    id: `case_${n}`,
    domain: "d",
    principal: shape.principal,
    request: `request ${n}`,
    policy_version: "1",
    surface_versions: { manifest: "1", grammar: "1", validator: "1", compiler: "1", database: "1", release: "1" },
    mutation: "none",
    semantic_query: { metric: shape.metric, dimensions: [], filters: {}, time_range: "last_month", grain: "month", limit: 10 },
    expected_witness_class: "clean",
    expected_localized_surface: "release",
    expected_containment_layer: null,
  }) satisfies Task;

describe("CompactTaskList", () => {
  test("cases with equal shapes share one entry and each keeps its ordinal", () => {
    const list = new CompactTaskList(4, make);
    list.push(1, { principal: "a", metric: "m" });
    list.push(2, { metric: "m", principal: "a" });
    list.push(3, { principal: "b", metric: "m" });
    expect(list.length).toBe(3);
    expect(list.shapeCount).toBe(2);
    expect(list.at(1).id).toBe("case_2");
    expect(list.at(2).principal).toBe("b");
    expect(() => list.at(3)).toThrow(RangeError);
    expect(() => list.at(-1)).toThrow(RangeError);
  });

  test("permute reorders cases; each materialized task is a fresh object", () => {
    const list = new CompactTaskList(3, make);
    for (const n of [1, 2, 3]) list.push(n, { principal: `p${n}`, metric: "m" });
    list.permute(Uint32Array.from([2, 0, 1]));
    expect(taskArray(list).map((t) => t.id)).toEqual(["case_3", "case_1", "case_2"]);
    list.at(0).semantic_query.limit = 99;
    expect(list.at(0).semantic_query.limit).toBe(10);
    expect(() => list.permute(Uint32Array.from([0]))).toThrow(RangeError);
  });

  test("pushing past capacity fails instead of overwriting", () => {
    const list = new CompactTaskList(1, make);
    list.push(1, { principal: "a", metric: "m" });
    expect(() => list.push(2, { principal: "a", metric: "m" })).toThrow("full");
  });
});

describe("canonicalJsonChunks", () => {
  test("joined, the chunks are the canonical JSON of the whole array", () => {
    const tasks = [make(1, { principal: "a", metric: "m" }), make(2, { principal: "b", metric: "n" })];
    expect([...canonicalJsonChunks(new ArrayTaskList(tasks))].join("")).toBe(canonicalJson(tasks));
    expect([...canonicalJsonChunks(new ArrayTaskList([]))].join("")).toBe("[]");
  });
});
