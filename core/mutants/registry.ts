import type { DomainFeatures } from "../domain/features.ts";
import type { Surface, WitnessClass } from "../model/identifiers.ts";
import { cloneStack, type StackVariant } from "../stack/variant.ts";

/**
 * The mutation operators. Each one is a real variant of the layer it targets: `drift` turns
 * a stack configuration into the drifted one, and that configuration is what executes.
 * The expected class and containment only score accuracy; the detector never sees them.
 */
export interface MutationOperator {
  id: string;
  surface: Surface;
  expectedClass: WitnessClass;
  expectedContainment: Surface | null;
  description: string;
  appliesTo: (features: DomainFeatures) => boolean;
  drift: (stack: StackVariant) => void;
}

const always = () => true;

export const MUTATION_OPERATORS: readonly MutationOperator[] = [
  {
    id: "stale_metric_alias_manifest",
    surface: "manifest",
    expectedClass: "over_permissive",
    expectedContainment: "validator",
    description: "The manifest is built from a stale capability list and still shows aliases of metrics the role may not use.",
    appliesTo: always,
    drift: (s) => {
      s.manifest.exposeForbiddenAliases = true;
    },
  },
  {
    id: "grammar_permits_forbidden_dimension",
    surface: "grammar",
    expectedClass: "over_permissive",
    expectedContainment: "validator",
    description: "The grammar's intent space admits sensitive dimensions the manifest never exposed.",
    appliesTo: always,
    drift: (s) => {
      s.grammar.admitSensitiveDimensions = true;
    },
  },
  {
    id: "validator_omits_sensitive_column",
    surface: "validator",
    expectedClass: "over_permissive",
    expectedContainment: "grammar",
    description: "The validator authorizes sensitive dimensions without checking the role.",
    appliesTo: always,
    drift: (s) => {
      s.validator.skipSensitiveDimensionCheck = true;
    },
  },
  {
    id: "compiler_drops_tenant_predicate",
    surface: "compiler",
    expectedClass: "lowering_violation",
    expectedContainment: "database",
    description: "The compiler lowers the plan without the tenant-scope predicate.",
    appliesTo: always,
    drift: (s) => {
      s.compiler.tenantPredicate = "dropped";
    },
  },
  {
    id: "compiler_uses_old_tenant_key",
    surface: "compiler",
    expectedClass: "lowering_violation",
    expectedContainment: "database",
    description: "The compiler scopes rows by the legacy tenant key instead of the current one.",
    appliesTo: (f) => f.legacyTenantKey,
    drift: (s) => {
      s.compiler.tenantPredicate = "legacy";
    },
  },
  {
    id: "compiler_swaps_tenant_account_id",
    surface: "compiler",
    expectedClass: "lowering_violation",
    expectedContainment: null,
    description: "The compiler compares the tenant ids with the row id column instead of the tenant column.",
    appliesTo: always,
    drift: (s) => {
      s.compiler.tenantPredicate = "row_id";
    },
  },
  {
    id: "db_rls_old_ownership_field",
    surface: "database",
    expectedClass: "over_permissive",
    expectedContainment: null,
    description: "The row-level security policy still checks the legacy ownership column.",
    appliesTo: (f) => f.legacyTenantKey,
    drift: (s) => {
      s.database.policyKey = "legacy";
    },
  },
  {
    id: "gross_net_metric_drift",
    surface: "compiler",
    expectedClass: "semantic_drift",
    expectedContainment: null,
    description: "The compiler lowers a metric with the expression of a sibling metric on the same table.",
    appliesTo: (f) => f.siblingMetrics,
    drift: (s) => {
      s.compiler.siblingMetricExpression = true;
    },
  },
  {
    id: "fanout_join_drift",
    surface: "compiler",
    expectedClass: "semantic_drift",
    expectedContainment: null,
    description: "The compiler joins every table of the graph, so one-to-many joins repeat the measured rows.",
    appliesTo: (f) => f.joinedTables,
    drift: (s) => {
      s.compiler.joinEveryTable = true;
    },
  },
  {
    id: "compiler_removes_distinct",
    surface: "compiler",
    expectedClass: "semantic_drift",
    expectedContainment: null,
    description: "The compiler drops DISTINCT from counted metrics.",
    appliesTo: (f) => f.distinctMetrics,
    drift: (s) => {
      s.compiler.stripDistinct = true;
    },
  },
  {
    id: "compiler_inner_join_drops_rows",
    surface: "compiler",
    expectedClass: "semantic_drift",
    expectedContainment: null,
    description: "The compiler uses inner joins where the graph declares outer joins, losing unmatched rows.",
    appliesTo: (f) => f.joinedTables,
    drift: (s) => {
      s.compiler.innerJoins = true;
    },
  },
  {
    id: "fiscal_calendar_mismatch",
    surface: "compiler",
    expectedClass: "semantic_drift",
    expectedContainment: null,
    description: "The compiler lowers fiscal periods with calendar-month boundaries.",
    appliesTo: (f) => f.fiscalRanges,
    drift: (s) => {
      s.compiler.fiscalAsCalendar = true;
    },
  },
  {
    id: "cost_estimate_ignores_expansion",
    surface: "compiler",
    expectedClass: "over_permissive",
    expectedContainment: null,
    description: "The compiler's budget gate prices only the base metric, ignoring dimension and row expansion.",
    appliesTo: always,
    drift: (s) => {
      s.compiler.budgetIgnoresExpansion = true;
    },
  },
  {
    id: "app_deny_missing_db_policy",
    surface: "database",
    expectedClass: "over_permissive",
    expectedContainment: "validator",
    description: "An application deny rule was never mirrored into the database's column privileges.",
    appliesTo: always,
    drift: (s) => {
      s.database.columnPrivileges = false;
    },
  },
  {
    id: "clickhouse_row_policy_missing_project_filter",
    surface: "database",
    expectedClass: "over_permissive",
    expectedContainment: null,
    description: "The root tables have no row policy, so every project's rows are readable.",
    appliesTo: (f) => f.rowPolicies,
    drift: (s) => {
      s.database.rootPoliciesMissing = true;
    },
  },
  {
    id: "clickhouse_row_policy_readonly_assumption_violation",
    surface: "database",
    expectedClass: "over_permissive",
    expectedContainment: null,
    description: "Row policies are bound to the read-only role, but the agent connects with another role.",
    appliesTo: (f) => f.policyRole,
    drift: (s) => {
      s.database.policiesOnlyForReadOnlyRole = true;
    },
  },
  {
    id: "aggregate_small_cohort_release",
    surface: "release",
    expectedClass: "unsafe_release",
    expectedContainment: null,
    description: "The release layer publishes aggregates over cohorts below the minimum size.",
    appliesTo: (f) => f.cohortThreshold,
    drift: (s) => {
      s.release.enforceCohortThreshold = false;
    },
  },
  {
    id: "materialized_view_lineage_drop",
    surface: "compiler",
    expectedClass: "semantic_drift",
    expectedContainment: null,
    description: "The compiler reads a materialized copy instead of the declared source table, losing lineage and freshness.",
    appliesTo: (f) => f.materializedViews,
    drift: (s) => {
      s.compiler.readMaterializedViews = true;
    },
  },
  {
    id: "timezone_bucket_drift",
    surface: "compiler",
    expectedClass: "semantic_drift",
    expectedContainment: null,
    description: "The compiler treats local-time window boundaries as UTC.",
    appliesTo: (f) => f.localTimeRanges,
    drift: (s) => {
      s.compiler.localTimeAsUtc = true;
    },
  },
  {
    id: "uniq_to_count_drift",
    surface: "compiler",
    expectedClass: "semantic_drift",
    expectedContainment: null,
    description: "The compiler lowers exact distinct counts as plain counts.",
    appliesTo: (f) => f.uniqMetrics,
    drift: (s) => {
      s.compiler.uniqAsCount = true;
    },
  },
  {
    id: "sample_clause_release_drift",
    surface: "release",
    expectedClass: "unsafe_release",
    expectedContainment: null,
    description: "The release layer publishes results read from sampled tables without disclosing the sampling.",
    appliesTo: (f) => f.sampledTables,
    drift: (s) => {
      s.release.discloseSampling = false;
    },
  },
  {
    id: "distributed_table_policy_gap",
    surface: "database",
    expectedClass: "over_permissive",
    expectedContainment: null,
    description: "The row policy of the distributed table covers only its first shard.",
    appliesTo: (f) => f.shardedTables,
    drift: (s) => {
      s.database.shardGap = true;
    },
  },
];

const BY_ID = new Map(MUTATION_OPERATORS.map((op) => [op.id, op]));

export function findOperator(id: string): MutationOperator | undefined {
  return BY_ID.get(id);
}

export function operatorsFor(features: DomainFeatures): MutationOperator[] {
  return MUTATION_OPERATORS.filter((op) => op.appliesTo(features));
}

/** `none`, one id, or ids joined by `+` (a compound mutant). Unknown ids throw. */
export function parseMutationRef(ref: string): MutationOperator[] {
  if (ref === "none") return [];
  return ref.split("+").map((id) => {
    const op = BY_ID.get(id);
    if (!op) throw new Error(`unknown mutation: ${id}`);
    return op;
  });
}

export function stackFor(reference: StackVariant, operators: readonly MutationOperator[]): StackVariant {
  const stack = cloneStack(reference);
  for (const op of operators) op.drift(stack);
  return stack;
}

/** Registry view that goes into hashes and metadata (functions excluded). */
export function registryDescriptor() {
  return MUTATION_OPERATORS.map((op) => ({
    id: op.id,
    surface: op.surface,
    expected_class: op.expectedClass,
    expected_containment: op.expectedContainment,
    description: op.description,
  }));
}
