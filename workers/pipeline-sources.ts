import { sourceText } from "../freeze/source-text.ts" with { type: "macro" };

/**
 * The execution pipeline beyond the frozen sources (engines, observation, minimization, accounting):
 * what a cached case result also depends on. Inlined at transpile time, like freeze/sources.ts.
 * Every module a case runner reaches is hashed here or in freeze/sources.ts; workers/case-cache.test.ts
 * fails when one is not, so a change to it cannot serve stale results from a cache.
 */
export const PIPELINE_SOURCES: Readonly<Record<string, string>> = {
  "core/input/usage-error.ts": sourceText("core/input/usage-error.ts"),
  "core/minimize/ddmin.ts": sourceText("core/minimize/ddmin.ts"),
  "core/minimize/read-rows-query.ts": sourceText("core/minimize/read-rows-query.ts"),
  "core/model/identifiers.ts": sourceText("core/model/identifiers.ts"),
  "core/report/accounting.ts": sourceText("core/report/accounting.ts"),
  "core/util/append.ts": sourceText("core/util/append.ts"),
  "core/util/canonical-json.ts": sourceText("core/util/canonical-json.ts"),
  "workers/case-runner.ts": sourceText("workers/case-runner.ts"),
  "workers/engines/cached-engine.ts": sourceText("workers/engines/cached-engine.ts"),
  "workers/engines/clickhouse.ts": sourceText("workers/engines/clickhouse.ts"),
  "workers/engines/duckdb.ts": sourceText("workers/engines/duckdb.ts"),
  "workers/engines/engine.ts": sourceText("workers/engines/engine.ts"),
  "workers/engines/normalize.ts": sourceText("workers/engines/normalize.ts"),
  "workers/engines/pglite-host.ts": sourceText("workers/engines/pglite-host.ts"),
  "workers/engines/pglite-simple-query.ts": sourceText("workers/engines/pglite-simple-query.ts"),
  "workers/engines/pglite-snapshot.ts": sourceText("workers/engines/pglite-snapshot.ts"),
  "workers/engines/pglite.ts": sourceText("workers/engines/pglite.ts"),
  "workers/engines/postgres-session.ts": sourceText("workers/engines/postgres-session.ts"),
  "workers/engines/postgres.ts": sourceText("workers/engines/postgres.ts"),
  "workers/engines/single-statement.ts": sourceText("workers/engines/single-statement.ts"),
  "workers/engines/sqlite.ts": sourceText("workers/engines/sqlite.ts"),
  "workers/evaluate.ts": sourceText("workers/evaluate.ts"),
  "workers/memory-governor.ts": sourceText("workers/memory-governor.ts"),
  "workers/minimize.ts": sourceText("workers/minimize.ts"),
  "workers/observe.ts": sourceText("workers/observe.ts"),
  "workers/open-engine.ts": sourceText("workers/open-engine.ts"),
  "workers/read-rows.ts": sourceText("workers/read-rows.ts"),
  "workers/sql-analyses.ts": sourceText("workers/sql-analyses.ts"),
};
