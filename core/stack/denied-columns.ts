import type { DomainDatabase } from "../model/database.ts";
import type { Policy } from "../model/policy.ts";

const COLUMN_REF = /\b([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)/g;

function refs(expression: string): string[] {
  const withoutStrings = expression.replace(/'(?:[^']|'')*'/g, "''");
  return [...withoutStrings.matchAll(COLUMN_REF)].map((m) => `${m[1]}.${m[2]}`);
}

/**
 * Columns a role must not read: those used only by metrics or dimensions the role may not use.
 * Keys, tenant columns and join columns always stay readable, because scoping needs them.
 */
export function deniedColumns(policy: Policy, db: DomainDatabase, role: string): Set<string> {
  const rolePolicy = policy.roles[role];
  const usable = new Set<string>();
  const unusable = new Set<string>();
  for (const [name, metric] of Object.entries(policy.metrics)) {
    const ok = rolePolicy?.allowed_metrics.includes(name) === true && metric.allowed_roles.includes(role);
    for (const ref of refs(metric.expression)) (ok ? usable : unusable).add(ref);
  }
  for (const [name, dimension] of Object.entries(policy.dimensions)) {
    const ok = rolePolicy?.allowed_dimensions.includes(name) === true && dimension.allowed_roles.includes(role);
    for (const ref of refs(dimension.column)) (ok ? usable : unusable).add(ref);
  }
  for (const [table, spec] of Object.entries(db.tables)) {
    for (const column of [spec.key, spec.tenant_column, spec.legacy_tenant_column, spec.shard_column]) {
      if (column !== undefined) usable.add(`${table}.${column}`);
    }
    for (const ref of refs(spec.on ?? "")) usable.add(ref);
  }
  for (const column of Object.values(db.time_columns)) usable.add(column);
  for (const ref of refs(db.release.cohort?.measure ?? "")) usable.add(ref);
  return new Set([...unusable].filter((ref) => !usable.has(ref)));
}
