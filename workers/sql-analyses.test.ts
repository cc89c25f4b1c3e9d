import { expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { analyzeSql } from "../core/sql/analyze.ts";
import { openLanes } from "./executors.ts";
import { RunStore } from "./run-store.ts";
import { prepareRun } from "./run-spec.ts";
import { runSuite } from "./run-suite.ts";
import { adoptAnalyses, keepAnalysisJournal, memoizedAnalyzer, takeJournal } from "./sql-analyses.ts";

test("a journal hands over each new analysis once; adopted analyses are served without parsing", () => {
  keepAnalysisJournal();
  takeJournal();
  const analyze = memoizedAnalyzer("postgres");
  const sql = "select t.region as region, count(*) as value from tickets t where t.tenant_id in ('a') group by t.region limit 7";
  const facts = analyze(sql);
  analyze(sql);
  expect(takeJournal()).toEqual([["postgres", sql, facts]]);
  expect(takeJournal()).toEqual([]);

  // Adopted facts are returned as they are, so a sentinel shows no parse took place.
  const other = "select 1 as value from tickets limit 1";
  const sentinel = { ...analyzeSql(other, "postgres"), limit: -1 };
  adoptAnalyses([["postgres", other, sentinel]]);
  expect(analyze(other)).toBe(sentinel);
  // What the thread already knows is kept.
  adoptAnalyses([["postgres", sql, sentinel]]);
  expect(analyze(sql)).toBe(facts);
});

test("after a run on pool workers, this thread knows the analyses of the run's SQL", async () => {
  process.env.STRATA_MIN_WORK_PER_LANE = "0";
  const lanes = openLanes(2, true);
  try {
    const prepared = prepareRun({ domain: "support_saas", suite: "generated", count: 60, seed: 41, minimize: false, reuse: true });
    const store = RunStore.open(mkdtempSync(join(tmpdir(), "strata-analyses-")), "analyses", false);
    const sqls = new Set<string>();
    await runSuite({
      prepared,
      lanes,
      store,
      onEvent: (event) => {
        if (event.type !== "case_finished") return;
        const compiler = event.trace.observation?.compiler;
        if (compiler?.kind === "sql") sqls.add(compiler.sql);
      },
    });
    store.close();
    expect(sqls.size).toBeGreaterThan(5);
    // Nothing is left to parse here: every query the workers analysed came back with their results.
    keepAnalysisJournal();
    takeJournal();
    const analyze = memoizedAnalyzer("postgres");
    for (const sql of sqls) analyze(sql);
    expect(takeJournal()).toEqual([]);
  } finally {
    delete process.env.STRATA_MIN_WORK_PER_LANE;
    await lanes.close();
  }
}, 120_000);
