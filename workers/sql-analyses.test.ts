import { expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { analyzeSql, factsOf } from "../core/sql/analyze.ts";
import { parseFastSelect } from "../core/sql/fast-select.ts";
import { parseSingleStatement } from "../core/sql/parse.ts";
import { openLanes } from "./executors.ts";
import { RunStore } from "./run-store.ts";
import { prepareRun } from "./run-spec.ts";
import { runSuite } from "./run-suite.ts";
import { adoptAnalyses, forgetAnalyses, keepAnalysisJournal, memoizedAnalyzer, takeJournal } from "./sql-analyses.ts";

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

test("every query the built-in domains analyse takes the fast parser, with node-sql-parser's facts", async () => {
  // Other test files in this process may have analysed some of these queries already.
  forgetAnalyses();
  keepAnalysisJournal();
  takeJournal();
  const runs = [
    { domain: "support_saas", suite: "seeded", minimize: true },
    { domain: "finance_saas", suite: "seeded", minimize: true },
    { domain: "analytics_clickhouse", suite: "seeded", minimize: true },
    { domain: "support_saas", suite: "generated", count: 120, seed: 1729, minimize: false },
    { domain: "analytics_clickhouse", suite: "generated", count: 60, seed: 260626, minimize: false },
  ];
  const analysed: [string, string][] = [];
  for (const run of runs) {
    const prepared = prepareRun({ seed: 0, reuse: true, ...run });
    const store = RunStore.open(mkdtempSync(join(tmpdir(), "strata-fast-")), "fast", false);
    const lanes = openLanes(1, false);
    try {
      await runSuite({ prepared, lanes, store, onEvent: () => {} });
    } finally {
      store.close();
      await lanes.close();
    }
    for (const [dialect, sql] of takeJournal()) analysed.push([dialect, sql]);
  }
  // Compiled, reference and reduced queries of every domain and mutant: hundreds of distinct texts.
  expect(analysed.length).toBeGreaterThan(200);
  const slowOnly = analysed.filter(([, sql]) => parseFastSelect(sql) === undefined).map(([, sql]) => sql);
  expect(slowOnly).toEqual([]);
  for (const [dialect, sql] of analysed) {
    expect(JSON.stringify(factsOf(parseFastSelect(sql)!))).toBe(JSON.stringify(factsOf(parseSingleStatement(sql, dialect as "postgres"))));
  }
}, 120_000);
