import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Witness } from "../core/model/witness.ts";
import { REFERENCE_STACK } from "../core/stack/variant.ts";
import { loadDomain } from "../suites/load-domain.ts";
import { taskArray } from "../core/suites/task-list.ts";
import { loadSuite } from "../suites/load-suite.ts";
import type { Engine } from "../workers/engines/engine.ts";
import { type CaseContext, evaluate, unrestrictedResults } from "../workers/evaluate.ts";
import { memoizedAnalyzer } from "../workers/sql-analyses.ts";
import { minimizeWitness, preserves, rejectsEarly } from "../workers/minimize.ts";
import { openEngine } from "../workers/open-engine.ts";

const domain = loadDomain("support_saas");
const suite = loadSuite(domain, "seeded");
let engine: Engine;
let ctx: CaseContext;
beforeAll(async () => {
  engine = await openEngine(domain);
  ctx = { domain, engine, memo: null, analyze: memoizedAnalyzer("postgres"), lowerings: null };
});
afterAll(() => engine.close());

// One case per kind of evidence: rows that differ, rows that leak, a decision, a budget.
const CASES = ["fanout_join_drift_01", "compiler_drops_tenant_predicate_01", "db_rls_old_ownership_field_01", "validator_omits_sensitive_column_01", "cost_estimate_ignores_expansion_01"];

describe.each(CASES)("witness of %s", (id) => {
  const task = taskArray(suite.tasks).find((t) => t.id === id)!;

  test("keeps the verdict and is 1-minimal under its moves (plan parts and state rows)", async () => {
    const original = await evaluate(ctx, task);
    expect(original.detection.witness_class).not.toBe("clean");
    const witness: Witness = await minimizeWitness(ctx, task, original);
    expect(witness.witness_class as string).toBe(original.detection.witness_class);
    expect(witness.localized_surface).toBe(original.detection.localized_surface!);
    expect(witness.state.rows.length).toBeLessThan(witness.state.original_row_count);

    const variants = [REFERENCE_STACK.database, original.stack.database];
    const replay = (rows: Witness["state"]["rows"], plan = witness.semantic_ir) => engine.withRows(rows, variants, () => evaluate(ctx, task, plan, false));
    // The reduced case, replayed on the reduced state, still shows the same witness.
    expect(preserves(original, await replay(witness.state.rows))).toBe(true);
    // Removing any single kept row loses it.
    for (const row of witness.state.rows) {
      const without = witness.state.rows.filter((r) => r !== row);
      expect(preserves(original, await replay(without))).toBe(false);
    }
    // Removing any remaining dimension or filter loses it too.
    for (const dimension of witness.semantic_ir.dimensions) {
      const plan = { ...witness.semantic_ir, dimensions: witness.semantic_ir.dimensions.filter((d) => d !== dimension) };
      expect(preserves(original, await replay(witness.state.rows, plan))).toBe(false);
    }
  }, 60_000);
});

describe("where row reductions start", () => {
  test("starting from the rows a case reads takes fewer tests than starting from the whole state, for the same verdicts", async () => {
    let fromRead = 0;
    let fromWhole = 0;
    for (const id of CASES) {
      const task = taskArray(suite.tasks).find((t) => t.id === id)!;
      const original = await evaluate(ctx, task);
      const read = await minimizeWitness(ctx, task, original);
      const whole = await minimizeWitness(ctx, task, original, new Map(), { fromReadRows: false });
      expect(read.witness_class).toBe(whole.witness_class);
      fromRead += read.minimization.row_tests;
      fromWhole += whole.minimization.row_tests;
    }
    expect(fromRead).toBeLessThan(fromWhole);
  }, 60_000);
});

describe("states tested by a row reduction", () => {
  test("each state is tested once, and row_tests counts the states tested", async () => {
    let statesTested = 0;
    for (const id of CASES) {
      const task = taskArray(suite.tasks).find((t) => t.id === id)!;
      const original = await evaluate(ctx, task);
      // Every state the reduction enters, in order; the last is the witness's own final evaluation.
      const entered: string[] = [];
      const counting: Engine = Object.create(engine);
      counting.withRows = (rows, variants, fn) => {
        entered.push(rows.map((r) => `${r.table}/${r.key}`).sort().join(","));
        return engine.withRows(rows, variants, fn);
      };
      const witness = await minimizeWitness({ ...ctx, engine: counting }, task, original);
      const tested = entered.slice(0, -1);
      expect(new Set(tested).size).toBe(tested.length);
      expect(witness.minimization.row_tests).toBe(tested.length);
      expect(entered.at(-1)).toBe(witness.state.rows.map((r) => `${r.table}/${r.key}`).sort().join(","));
      statesTested += tested.length;
    }
    expect(statesTested).toBeGreaterThan(0);
  }, 60_000);
});

describe("early rejection of reductions", () => {
  test("rejects only what preserves() rejects, and settles some of it on the unrestricted results alone", async () => {
    const rows = await engine.rows();
    let early = 0;
    let checked = 0;
    for (const id of CASES) {
      const task = taskArray(suite.tasks).find((t) => t.id === id)!;
      const original = await evaluate(ctx, task);
      const variants = [REFERENCE_STACK.database, original.stack.database];
      // Thinned states, from nearly everything to nearly nothing, on a fixed pattern.
      for (const every of [1, 2, 3, 5, 8, 13, 40]) {
        const kept = rows.filter((_, i) => i % every === 0);
        const candidate = await engine.withRows(kept, variants, () => evaluate(ctx, task, task.semantic_query, false));
        const pair = await engine.withRows(kept, variants, () => unrestrictedResults(ctx, task, task.semantic_query));
        expect(pair).toEqual({ canonical: candidate.canonical.result, before: candidate.observation.database.before_containment });
        checked++;
        if (rejectsEarly(original, pair)) {
          early++;
          expect(preserves(original, candidate)).toBe(false);
        }
      }
    }
    expect(checked).toBe(CASES.length * 7);
    expect(early).toBeGreaterThan(0);
  }, 60_000);
});
