import type { QueryResult } from "../core/model/observation.ts";
import { lineageQuery } from "../core/minimize/read-rows-query.ts";
import type { SqlDialect } from "../core/sql/parse.ts";
import { type DatabaseKnobs, REFERENCE_STACK } from "../core/stack/variant.ts";
import type { Engine, RowRef } from "./engines/engine.ts";
import type { CaseContext, Evaluation } from "./evaluate.ts";

/**
 * How each dialect turns a key into the text the engines list the state's keys as. None for
 * ClickHouse: Debian's 18.16 server crashed (a segmentation fault writing a Nullable column as
 * JSON) on such a listing over an outer join, so its reductions start from the whole state.
 */
const TEXT_CASTS: Record<SqlDialect, ((expression: string) => string) | null> = {
  postgres: (e) => `cast(${e} as text)`,
  sqlite: (e) => `cast(${e} as text)`,
  duckdb: (e) => `cast(${e} as varchar)`,
  clickhouse: null,
};

const rowId = (table: string, key: string) => `${table}\u0000${key}`;

/**
 * The rows one SELECT reads on the engine's current state (see core/minimize/read-rows-query.ts), run like the
 * query itself: unrestricted, on the given database variant. Null when the statement cannot be
 * followed, the listing fails, or the dialect has no listing.
 */
export async function rowsReadBy(engine: Engine, domain: CaseContext["domain"], variant: DatabaseKnobs, sql: string): Promise<RowRef[] | null> {
  const keys = new Map(Object.entries(domain.database.tables).map(([table, spec]) => [table, spec.key]));
  const asText = TEXT_CASTS[domain.database.dialect];
  const lineage = asText ? lineageQuery(sql, keys, asText) : null;
  if (lineage === null) return null;
  const result: QueryResult = await engine.query(variant, null, lineage.sql);
  if (result.kind !== "rows") return null;
  const out: RowRef[] = [];
  for (const row of result.rows) {
    lineage.tables.forEach((table, i) => {
      const key = row[`k${i}`];
      if (key !== null && key !== undefined) out.push({ table, key: String(key) });
    });
  }
  return out;
}

/**
 * The rows an evaluated case depends on as far as can be seen from outside the detector: those
 * its two unrestricted queries read (the canonical lowering's and the stack's own SQL), and those
 * the stack's session sees where the canonical containment does not, or the other way round (what
 * a database-layer witness is made of). In the state's order. Null when a query cannot be
 * followed.
 *
 * It is only where a witness reduction starts: the reduction tests that these rows keep the
 * witness before it uses them, so a row missed here costs one test, never a wrong witness.
 */
export async function readRows(ctx: CaseContext, evaluation: Evaluation, allRows: readonly RowRef[]): Promise<RowRef[] | null> {
  const compiled = evaluation.observation.compiler?.kind === "sql" ? evaluation.observation.compiler.sql : null;
  const queries: [DatabaseKnobs, string | null][] = [
    [REFERENCE_STACK.database, evaluation.canonicalSql],
    [evaluation.stack.database, compiled],
  ];
  const read = new Set<string>();
  for (const [variant, sql] of queries) {
    if (sql === null) continue;
    const rows = await rowsReadBy(ctx.engine, ctx.domain, variant, sql);
    if (rows === null) return null;
    for (const row of rows) read.add(rowId(row.table, row.key));
  }
  const seen = evaluation.observation.database.probe.visible_rows;
  const allowed = evaluation.canonical.containment.visible_rows;
  for (const table of new Set([...Object.keys(seen), ...Object.keys(allowed)])) {
    const a = new Set(seen[table] ?? []);
    const b = new Set(allowed[table] ?? []);
    for (const key of a) if (!b.has(key)) read.add(rowId(table, key));
    for (const key of b) if (!a.has(key)) read.add(rowId(table, key));
  }
  return allRows.filter((row) => read.has(rowId(row.table, row.key)));
}
