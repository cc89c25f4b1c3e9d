import type { DomainDatabase } from "../model/database.ts";
import type { Policy } from "../model/policy.ts";

/** Structural facts about a domain that decide which drifts can exist in it at all. */
export interface DomainFeatures {
  legacyTenantKey: boolean;
  fiscalRanges: boolean;
  localTimeRanges: boolean;
  distinctMetrics: boolean;
  uniqMetrics: boolean;
  siblingMetrics: boolean;
  materializedViews: boolean;
  shardedTables: boolean;
  cohortThreshold: boolean;
  sampledTables: boolean;
  rowPolicies: boolean;
  policyRole: boolean;
  joinedTables: boolean;
}

export function domainFeatures(policy: Policy, db: DomainDatabase): DomainFeatures {
  const tables = Object.values(db.tables);
  const metrics = Object.values(policy.metrics);
  const ranges = Object.values(db.time_ranges);
  const tablesWithMetrics = metrics.map((m) => m.table);
  return {
    legacyTenantKey: tables.some((t) => t.legacy_tenant_column !== undefined),
    fiscalRanges: ranges.some((r) => r.calendar === "fiscal" && r.calendar_equivalent !== undefined),
    localTimeRanges: ranges.some((r) => r.utc_offset !== "+00:00"),
    distinctMetrics: metrics.some((m) => /\bcount\s*\(\s*distinct\b/i.test(m.expression)),
    uniqMetrics: metrics.some((m) => /\buniq(Exact)?\s*\(/.test(m.expression)),
    siblingMetrics: tablesWithMetrics.some((t, i) => tablesWithMetrics.indexOf(t) !== i),
    materializedViews: tables.some((t) => t.materialized_view !== undefined),
    shardedTables: tables.some((t) => t.shard_column !== undefined),
    cohortThreshold: db.release.cohort !== undefined,
    sampledTables: Object.keys(db.release.sampled_tables).length > 0,
    rowPolicies: db.containment.mechanism === "row_policy",
    policyRole: db.containment.policy_role !== undefined,
    joinedTables: tables.some((t) => t.parent !== undefined),
  };
}
