import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { detect } from "../core/detect/detect.ts";
import { taskArray } from "../core/suites/task-list.ts";
import { loadDomain } from "../suites/load-domain.ts";
import { loadSuite } from "../suites/load-suite.ts";
import type { Engine } from "./engines/engine.ts";
import { type CaseContext, evaluate, Lowerings } from "./evaluate.ts";
import { memoizedAnalyzer } from "./sql-analyses.ts";
import { openEngine } from "./open-engine.ts";

const domain = loadDomain("support_saas");
const tasks = taskArray(loadSuite(domain, "seeded").tasks);
let engine: Engine;
beforeAll(async () => {
  engine = await openEngine(domain);
});
afterAll(() => engine.close());

describe("Lowerings", () => {
  test("makes each value once, and starts over when full", () => {
    const lowerings = new Lowerings();
    let made = 0;
    const make = () => ++made;
    expect(lowerings.get("a", make)).toBe(1);
    expect(lowerings.get("a", make)).toBe(1);
    expect(made).toBe(1);
    for (let i = 0; i < 5000; i++) lowerings.get(`k${i}`, () => i);
    // "a" went with the first clear: made again.
    expect(lowerings.get("a", make)).toBe(2);
    lowerings.clear();
    expect(lowerings.get("a", make)).toBe(3);
  });
});

describe("evaluate with lowerings kept across states", () => {
  test("gives the same evaluation as lowering every time, in full and on reduced states", async () => {
    const fresh = (): CaseContext => ({ domain, engine, memo: null, analyze: memoizedAnalyzer("postgres"), lowerings: null });
    const kept: CaseContext = { ...fresh(), lowerings: new Lowerings() };
    const rows = await engine.rows();
    // Every kind of layer drift the seeded suite has, each evaluated twice through the kept lowerings.
    for (const task of tasks.filter((_, i) => i % 5 === 0)) {
      const expected = await evaluate(fresh(), task);
      // The detector lowering the plan itself reaches the same verdict as with the lowering handed in.
      const input = { policy: domain.policy, db: domain.database, observation: expected.observation, canonical: expected.canonical, analyze: memoizedAnalyzer("postgres") };
      expect(detect(input)).toEqual(expected.detection);
      expect(await evaluate(kept, task)).toEqual(expected);
      expect(await evaluate(kept, task)).toEqual(expected);
      const half = rows.filter((_, i) => i % 2 === 0);
      const reduced = () => engine.withRows(half, [expected.stack.database], () => evaluate(fresh(), task, task.semantic_query, false));
      const reducedKept = () => engine.withRows(half, [expected.stack.database], () => evaluate(kept, task, task.semantic_query, false));
      expect(await reducedKept()).toEqual(await reduced());
    }
  });
});

describe("evaluate with a memo of the full state", () => {
  test("cases that share stack, principal and plan share one evaluation; another plan, stack or principal gets its own", async () => {
    const ctx = (): CaseContext => ({ domain, engine, memo: new Map(), analyze: memoizedAnalyzer("postgres"), lowerings: new Lowerings() });
    const shared = ctx();
    const [first, other] = [tasks[0]!, tasks.find((t) => t.mutation !== tasks[0]!.mutation)!];
    const copy = { ...first, id: `${first.id}_copy`, request: "the same case asked in other words" };
    const evaluation = await evaluate(shared, first);
    expect(await evaluate(shared, copy)).toBe(evaluation);
    expect(await evaluate(shared, { ...copy, semantic_query: { ...copy.semantic_query, limit: copy.semantic_query.limit + 1 } })).not.toBe(evaluation);
    expect(await evaluate(shared, { ...copy, mutation: other.mutation })).not.toBe(evaluation);
    const principals = Object.keys(domain.policy.principals).filter((p) => p !== first.principal);
    expect(await evaluate(shared, { ...copy, principal: principals[0]! })).not.toBe(evaluation);
    // Without a memo every case is evaluated on its own, to the same result.
    const alone = await evaluate({ ...shared, memo: null }, copy);
    expect(alone).not.toBe(evaluation);
    expect(alone).toEqual(evaluation);
    expect(await evaluate(ctx(), copy)).toEqual(evaluation);
  });
});
