import { afterAll, describe, expect, test } from "bun:test";
import { sameResult } from "../core/observe/rows.ts";
import { REFERENCE_STACK } from "../core/stack/variant.ts";
import { taskArray } from "../core/suites/task-list.ts";
import { loadDomain } from "../suites/load-domain.ts";
import { loadSuite } from "../suites/load-suite.ts";
import type { Engine } from "./engines/engine.ts";
import { type CaseContext, evaluate } from "./evaluate.ts";
import { preserves } from "./minimize.ts";
import { openEngine } from "./open-engine.ts";
import { readRows, rowsReadBy } from "./read-rows.ts";
import { memoizedAnalyzer } from "./sql-analyses.ts";

const engines: Engine[] = [];
afterAll(async () => {
  for (const engine of engines) await engine.close();
});

async function contextFor(name: string) {
  const domain = loadDomain(name);
  const engine = await openEngine(domain);
  engines.push(engine);
  return { domain, engine, memo: null, analyze: memoizedAnalyzer(domain.database.dialect), lowerings: null } satisfies CaseContext;
}

describe.each(["support_saas", "finance_saas", "analytics_clickhouse"])("rows read by the queries of %s's seeded cases", (name) => {
  test("every query's result is the same on the state cut down to the rows it reads, which are a part of the state", async () => {
    const ctx = await contextFor(name);
    const all = await ctx.engine.rows();
    let queries = 0;
    let proper = 0;
    const seen = new Set<string>();
    for (const task of taskArray(loadSuite(ctx.domain, "seeded").tasks)) {
      const evaluation = await evaluate(ctx, task);
      const compiled = evaluation.observation.compiler?.kind === "sql" ? evaluation.observation.compiler.sql : null;
      for (const [variant, sql] of [
        [REFERENCE_STACK.database, evaluation.canonicalSql],
        [evaluation.stack.database, compiled],
      ] as const) {
        if (sql === null || seen.has(`${JSON.stringify(variant)}|${sql}`)) continue;
        seen.add(`${JSON.stringify(variant)}|${sql}`);
        const read = await rowsReadBy(ctx.engine, ctx.domain, variant, sql);
        // Every query the built-in compilers and mutants emit can be followed.
        expect(read, sql).not.toBeNull();
        const full = await ctx.engine.query(variant, null, sql);
        const cut = await ctx.engine.withRows(read!, [variant], () => ctx.engine.query(variant, null, sql));
        expect(sameResult(full, cut), sql).toBe(true);
        queries++;
        if (new Set(read!.map((r) => `${r.table}/${r.key}`)).size < all.length / 2) proper++;
      }
    }
    expect(queries).toBeGreaterThan(5);
    // The tenant and time predicates leave most of the state unread by most queries.
    expect(proper / queries).toBeGreaterThan(0.8);
  }, 120_000);
});

describe("the rows a case reads", () => {
  test("include the rows a drifted row policy shows and the canonical containment hides, and keep the witness", async () => {
    const ctx = await contextFor("support_saas");
    const task = taskArray(loadSuite(ctx.domain, "seeded").tasks).find((t) => t.id === "db_rls_old_ownership_field_01")!;
    const evaluation = await evaluate(ctx, task);
    expect(evaluation.detection.localized_surface).toBe("database");
    const all = await ctx.engine.rows();
    const read = (await readRows(ctx, evaluation, all))!;
    const ids = new Set(read.map((r) => `${r.table}/${r.key}`));
    const seen = evaluation.observation.database.probe.visible_rows;
    const allowed = evaluation.canonical.containment.visible_rows;
    const leaked = Object.entries(seen).flatMap(([table, keys]) => keys.filter((k) => !(allowed[table] ?? []).includes(k)).map((k) => `${table}/${k}`));
    expect(leaked.length).toBeGreaterThan(0);
    for (const id of leaked) expect(ids.has(id)).toBe(true);
    expect(read.length).toBeLessThan(all.length);
    // In the state's order, so the reduction that starts from them is deterministic.
    expect(read).toEqual(all.filter((r) => ids.has(`${r.table}/${r.key}`)));
    const variants = [REFERENCE_STACK.database, evaluation.stack.database];
    const replay = await ctx.engine.withRows(read, variants, () => evaluate(ctx, task, task.semantic_query, false));
    expect(preserves(evaluation, replay)).toBe(true);
  }, 60_000);
});
