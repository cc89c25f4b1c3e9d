import { usableDimensions, usableMetrics } from "../domain/capabilities.ts";
import type { Domain } from "../domain/domain.ts";
import { pathFromRoot, rootOf, tablesIn } from "../domain/join-graph.ts";
import type { SemanticPlan } from "../model/plan.ts";
import type { Principal } from "../model/policy.ts";
import type { Prng } from "../random/prng.ts";

/**
 * Plans that exercise one drift: the generator knows which operator it is building a case for
 * (it is the harness), so it picks a plan on which that drift is observable if the stack has it.
 */
export type PlanShape = (domain: Domain, principal: Principal, rng: Prng) => SemanticPlan | null;

const metricTable = (d: Domain, metric: string) => d.policy.metrics[metric]!.table;
const dimensionTables = (d: Domain, dim: string) => tablesIn(d.policy.dimensions[dim]!.column);

function reachableDimensions(d: Domain, p: Principal, metric: string): string[] {
  const root = rootOf(d.database, metricTable(d, metric));
  return usableDimensions(d.policy, p).filter((dim) => {
    const spec = d.policy.dimensions[dim]!;
    return !spec.sensitive && dimensionTables(d, dim).every((t) => rootOf(d.database, t) === root);
  });
}

/** Dimensions on another branch of the join graph than the metric's table. */
function offPathDimensions(d: Domain, p: Principal, metric: string): string[] {
  const path = pathFromRoot(d.database, metricTable(d, metric));
  return reachableDimensions(d, p, metric).filter((dim) => dimensionTables(d, dim).some((t) => !path.includes(t)));
}

function timeRange(d: Domain, p: Principal, want: (name: string) => boolean = () => true): string | null {
  const ranges = d.policy.roles[p.role]?.allowed_time_ranges ?? [];
  const defined = ranges.filter((r) => d.database.time_ranges[r] !== undefined && want(r));
  const plain = defined.filter((r) => d.database.time_ranges[r]!.calendar === "gregorian");
  return plain[0] ?? defined[0] ?? null;
}

function plan(d: Domain, p: Principal, metric: string, dimensions: string[], range?: string | null): SemanticPlan | null {
  const time = range === undefined ? timeRange(d, p) : range;
  if (time === null) return null;
  const maxRows = d.policy.roles[p.role]?.max_rows ?? 100;
  return { metric, dimensions, filters: {}, time_range: time, grain: "month", limit: Math.min(100, maxRows) };
}

function metricsWhere(d: Domain, p: Principal, test: (name: string) => boolean): string[] {
  return usableMetrics(d.policy, p).filter((m) => test(m) && d.database.time_columns[metricTable(d, m)] !== undefined);
}

function withOneDimension(d: Domain, p: Principal, rng: Prng, metrics: string[], dims?: (m: string) => string[]): SemanticPlan | null {
  if (metrics.length === 0) return null;
  const metric = rng.pick(metrics);
  const candidates = (dims ?? ((m) => reachableDimensions(d, p, m)))(metric);
  if (dims && candidates.length === 0) return null;
  return plan(d, p, metric, candidates.length > 0 ? [rng.pick(candidates)] : []);
}

const anyMetric = (d: Domain, p: Principal) => metricsWhere(d, p, () => true);
const deniedMetrics = (d: Domain, p: Principal) => Object.keys(d.policy.metrics).filter((m) => !usableMetrics(d.policy, p).includes(m));
const exprOf = (d: Domain, m: string) => d.policy.metrics[m]!.expression;

const scoped: PlanShape = (d, p, rng) => withOneDimension(d, p, rng, anyMetric(d, p));

const sensitiveDimension: PlanShape = (d, p, rng) => {
  const usable = usableDimensions(d.policy, p);
  const sensitive = Object.keys(d.policy.dimensions).filter((k) => d.policy.dimensions[k]!.sensitive && !usable.includes(k));
  const metrics = anyMetric(d, p);
  if (sensitive.length === 0 || metrics.length === 0) return null;
  return plan(d, p, rng.pick(metrics), [rng.pick(sensitive)]);
};

export const PLAN_SHAPES: Record<string, PlanShape> = {
  stale_metric_alias_manifest: (d, p, rng) => {
    const withAliases = deniedMetrics(d, p).filter((m) => d.policy.metrics[m]!.aliases.length > 0);
    if (withAliases.length === 0) return null;
    const metric = rng.pick(withAliases);
    return plan(d, p, d.policy.metrics[metric]!.aliases[0]!, []);
  },
  grammar_permits_forbidden_dimension: sensitiveDimension,
  validator_omits_sensitive_column: sensitiveDimension,
  compiler_drops_tenant_predicate: scoped,
  compiler_uses_old_tenant_key: scoped,
  compiler_swaps_tenant_account_id: scoped,
  db_rls_old_ownership_field: scoped,
  gross_net_metric_drift: (d, p, rng) =>
    withOneDimension(d, p, rng, metricsWhere(d, p, (m) => Object.keys(d.policy.metrics).some((o) => o !== m && metricTable(d, o) === metricTable(d, m)))),
  fanout_join_drift: (d, p, rng) => withOneDimension(d, p, rng, metricsWhere(d, p, (m) => !/distinct|uniq/i.test(exprOf(d, m)))),
  compiler_removes_distinct: (d, p, rng) =>
    withOneDimension(d, p, rng, metricsWhere(d, p, (m) => /\bdistinct\b/i.test(exprOf(d, m))), (m) => offPathDimensions(d, p, m)),
  compiler_inner_join_drops_rows: (d, p, rng) => withOneDimension(d, p, rng, anyMetric(d, p), (m) => offPathDimensions(d, p, m)),
  fiscal_calendar_mismatch: (d, p, rng) => {
    const range = timeRange(d, p, (r) => d.database.time_ranges[r]!.calendar === "fiscal");
    const metrics = anyMetric(d, p);
    return range === null || metrics.length === 0 ? null : plan(d, p, rng.pick(metrics), [], range);
  },
  cost_estimate_ignores_expansion: (d, p, rng) => {
    const metrics = anyMetric(d, p);
    if (metrics.length === 0) return null;
    const metric = rng.pick(metrics);
    const dims = rng.shuffle(reachableDimensions(d, p, metric)).slice(0, 3);
    const base = plan(d, p, metric, dims);
    return base && { ...base, limit: (d.policy.roles[p.role]?.max_rows ?? 100) + 1 };
  },
  app_deny_missing_db_policy: (d, p, rng) => {
    const denied = deniedMetrics(d, p);
    return denied.length === 0 ? null : plan(d, p, rng.pick(denied), []);
  },
  clickhouse_row_policy_missing_project_filter: scoped,
  clickhouse_row_policy_readonly_assumption_violation: scoped,
  aggregate_small_cohort_release: (d, p, rng) => withOneDimension(d, p, rng, anyMetric(d, p), (m) => reachableDimensions(d, p, m)),
  materialized_view_lineage_drop: (d, p, rng) =>
    withOneDimension(d, p, rng, metricsWhere(d, p, (m) => d.database.tables[metricTable(d, m)]?.materialized_view !== undefined)),
  timezone_bucket_drift: (d, p, rng) => {
    const range = timeRange(d, p, (r) => d.database.time_ranges[r]!.utc_offset !== "+00:00");
    const metrics = anyMetric(d, p);
    return range === null || metrics.length === 0 ? null : plan(d, p, rng.pick(metrics), [], range);
  },
  uniq_to_count_drift: (d, p, rng) => withOneDimension(d, p, rng, metricsWhere(d, p, (m) => /\buniq(Exact)?\s*\(/.test(exprOf(d, m)))),
  sample_clause_release_drift: (d, p, rng) =>
    withOneDimension(d, p, rng, metricsWhere(d, p, (m) => d.database.release.sampled_tables[metricTable(d, m)] !== undefined)),
  distributed_table_policy_gap: scoped,
};
