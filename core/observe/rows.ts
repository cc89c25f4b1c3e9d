import type { QueryResult, Row } from "../model/observation.ts";

export type { QueryResult, Row };

/** A row's place in the canonical order: its entries by key name, so column order never matters. */
function orderKey(row: Row): string {
  return JSON.stringify(
    Object.keys(row)
      .sort()
      .map((k) => [k, row[k]]),
  );
}

function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rows in a canonical order (by their canonical JSON), so engines' row order never matters. */
export function sortRows(rows: Row[]): Row[] {
  return rows
    .map((row) => [orderKey(row), row] as const)
    .sort(([a], [b]) => byKey(a, b))
    .map(([, row]) => row);
}

/**
 * Whether two results hold the same rows in any order: their canonically sorted rows serialize to
 * the same JSON (a row's own column order still counts). Compared row by row, which is the same as
 * comparing the two arrays' JSON, without building it. Witness reductions compare results at every
 * state, and most results are one row, which needs no ordering at all.
 */
export function sameRows(a: Row[], b: Row[]): boolean {
  if (a.length !== b.length) return false;
  if (a.length === 1) return JSON.stringify(a[0]) === JSON.stringify(b[0]);
  const x = sortRows(a);
  const y = sortRows(b);
  for (let i = 0; i < x.length; i++) if (JSON.stringify(x[i]) !== JSON.stringify(y[i])) return false;
  return true;
}

export function sameResult(a: QueryResult, b: QueryResult): boolean {
  if (a.kind === "error" || b.kind === "error") return a.kind === b.kind;
  return sameRows(a.rows, b.rows);
}
