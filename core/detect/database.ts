import type { DetectorInput, Violation } from "./types.ts";

/** The database's containment against what a correctly scoped session of this principal may see. */
export function databaseViolations({ observation, canonical }: DetectorInput): Violation[] {
  const seen = observation.database.probe;
  const allowed = canonical.containment;
  // A backend that cannot show what a session sees gives no evidence either way.
  if (seen.unchecked !== undefined || allowed.unchecked !== undefined) return [];
  const leaks: string[] = [];
  const hidden: string[] = [];
  const tables = [...new Set([...Object.keys(seen.visible_rows), ...Object.keys(allowed.visible_rows)])].sort();
  for (const table of tables) {
    const seenRows = seen.visible_rows[table] ?? [];
    const allowedRows = allowed.visible_rows[table] ?? [];
    // The usual case, and the hot one in witness reduction: the same keys in the same order.
    if (sameList(seenRows, allowedRows)) continue;
    const visible = new Set(seenRows);
    const expected = new Set(allowedRows);
    const extra = [...visible].filter((k) => !expected.has(k));
    const missing = [...expected].filter((k) => !visible.has(k));
    if (extra.length > 0) leaks.push(`session sees ${extra.length} row(s) of ${table} outside its tenant scope: ${extra.join(", ")}`);
    if (missing.length > 0) hidden.push(`session cannot see ${missing.length} row(s) of ${table} inside its tenant scope: ${missing.join(", ")}`);
  }
  const columnTables = [...new Set([...Object.keys(seen.visible_columns), ...Object.keys(allowed.visible_columns)])].sort();
  for (const table of columnTables) {
    const visible = seen.visible_columns[table] ?? [];
    const expected = allowed.visible_columns[table] ?? [];
    if (sameList(visible, expected)) continue;
    const extra = visible.filter((c) => !expected.includes(c));
    const missing = expected.filter((c) => !visible.includes(c));
    if (extra.length > 0) leaks.push(`role ${observation.principal.role} can read ${extra.map((c) => `${table}.${c}`).join(", ")}, used only by capabilities it may not use`);
    if (missing.length > 0) hidden.push(`role ${observation.principal.role} cannot read ${missing.map((c) => `${table}.${c}`).join(", ")}`);
  }
  const violations: Violation[] = [];
  if (leaks.length > 0) violations.push({ surface: "database", obligation: "row_access_result", witness_class: "over_permissive", reasons: leaks });
  if (hidden.length > 0) violations.push({ surface: "database", obligation: "row_access_result", witness_class: "over_restrictive", reasons: hidden });
  return violations;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((x, i) => x === b[i]));
}
