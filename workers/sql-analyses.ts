import { analyzeSql, type SqlDialect, type SqlFacts } from "../core/sql/analyze.ts";

/**
 * SQL analysis is a pure function of the text and dialect, so one memo per dialect serves every
 * run and evidence table of the thread (the suites of a domain compile many of the same queries).
 */
const analyses = new Map<SqlDialect, Map<string, SqlFacts>>();
const KEPT_ANALYSES = 50_000;

/** An analysis as it crosses threads. */
export type SharedAnalysis = [dialect: SqlDialect, sql: string, facts: SqlFacts];

/** Analyses made since the last takeJournal(), when this thread keeps a journal (pool workers). */
let journal: SharedAnalysis[] | null = null;

function memoOf(dialect: SqlDialect): Map<string, SqlFacts> {
  let facts = analyses.get(dialect);
  if (!facts) {
    facts = new Map();
    analyses.set(dialect, facts);
  }
  return facts;
}

function remember(dialect: SqlDialect, sql: string, found: SqlFacts): void {
  const facts = memoOf(dialect);
  if (facts.size >= KEPT_ANALYSES) facts.clear();
  facts.set(sql, found);
}

export function memoizedAnalyzer(dialect: SqlDialect): (sql: string) => SqlFacts {
  return (sql) => {
    let found = memoOf(dialect).get(sql);
    if (!found) {
      found = analyzeSql(sql, dialect);
      remember(dialect, sql, found);
      journal?.push([dialect, sql, found]);
    }
    return found;
  };
}

/**
 * A pool worker keeps a journal of its new analyses and sends it with each batch's results: the
 * main thread then finds them in its own memo when it builds the evidence over the same traces
 * (`strata reproduce`), instead of parsing every query again (half a second for the paper runs).
 */
export function keepAnalysisJournal(): void {
  journal ??= [];
}

export function takeJournal(): SharedAnalysis[] {
  if (!journal || journal.length === 0) return [];
  const taken = journal;
  journal = [];
  return taken;
}

/** Drops this thread's analyses, so that the next use of each query parses it again (tests). */
export function forgetAnalyses(): void {
  analyses.clear();
}

/** Analyses another thread made; the facts are what analyzeSql returns for that text here too. */
export function adoptAnalyses(shared: readonly SharedAnalysis[]): void {
  for (const [dialect, sql, facts] of shared) if (!memoOf(dialect).has(sql)) remember(dialect, sql, facts);
}
