import type { QueryResult, Row } from "../model/observation.ts";

export type { QueryResult, Row };

/** Rows in a canonical order (by their canonical JSON), so engines' row order never matters. */
export function sortRows(rows: Row[]): Row[] {
  return rows
    .map((row) => [JSON.stringify(Object.keys(row).sort().map((k) => [k, row[k]])), row] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, row]) => row);
}

export function sameRows(a: Row[], b: Row[]): boolean {
  return JSON.stringify(sortRows(a)) === JSON.stringify(sortRows(b));
}

export function sameResult(a: QueryResult, b: QueryResult): boolean {
  if (a.kind === "error" || b.kind === "error") return a.kind === b.kind;
  return sameRows(a.rows, b.rows);
}
