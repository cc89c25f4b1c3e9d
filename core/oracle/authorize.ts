import type { SemanticPlan } from "../model/plan.ts";
import type { Policy, Principal } from "../model/policy.ts";
import { canonicalCost } from "./cost.ts";
import type { CanonicalDecision, DenialKind, Obligations } from "../model/observation.ts";
import { resolveMetricName } from "./resolve.ts";


/**
 * The canonical reference policy: an interpreter over the semantic plan that never calls the
 * compiler or any stack layer. Reasons are exact and ordered, so they can be compared.
 */
export function authorize(policy: Policy, principal: Principal, plan: SemanticPlan): CanonicalDecision {
  const role = policy.roles[principal.role];
  if (!role) throw new Error(`unknown role: ${principal.role}`);
  const denials: { kind: DenialKind; reason: string }[] = [];
  const deny = (kind: DenialKind, reason: string) => denials.push({ kind, reason });

  const metric = resolveMetricName(policy, plan.metric);
  const metricSpec = metric === undefined ? undefined : policy.metrics[metric];
  if (metric === undefined || !metricSpec) {
    deny("metric", `unknown metric: ${plan.metric}`);
  } else if (!role.allowed_metrics.includes(metric)) {
    deny("metric", `metric not allowed for role ${principal.role}: ${metric}`);
  } else if (!metricSpec.allowed_roles.includes(principal.role)) {
    deny("metric", `metric policy excludes role ${principal.role}: ${metric}`);
  }

  const checkDimension = (dimension: string, what: string) => {
    const spec = policy.dimensions[dimension];
    if (!spec) {
      deny("dimension", `unknown ${what}: ${dimension}`);
      return;
    }
    if (!role.allowed_dimensions.includes(dimension)) deny("dimension", `${what} not allowed for role ${principal.role}: ${dimension}`);
    if (!spec.allowed_roles.includes(principal.role)) deny("dimension", `${what} policy excludes role ${principal.role}: ${dimension}`);
  };
  for (const dimension of plan.dimensions) checkDimension(dimension, "dimension");
  for (const key of Object.keys(plan.filters).sort()) checkDimension(key, "filter dimension");

  const tenantFilter = plan.filters.tenant_id;
  if (tenantFilter !== undefined && !principal.tenant_ids.includes(String(tenantFilter))) {
    deny("tenant", `tenant filter outside principal scope: ${String(tenantFilter)}`);
  }
  if (!role.allowed_time_ranges.includes(plan.time_range)) deny("time", `time range not allowed: ${plan.time_range}`);
  if (plan.limit > role.max_rows) deny("rows", `limit ${plan.limit} exceeds max rows ${role.max_rows}`);
  const estimated = canonicalCost(policy, plan);
  if (estimated > role.max_cost) deny("cost", `estimated cost ${estimated} exceeds max cost ${role.max_cost}`);

  const obligations: Obligations | null =
    metric === undefined
      ? null
      : {
          metric,
          tenant_scope: [...principal.tenant_ids],
          row_budget: { max_rows: role.max_rows, max_cost: role.max_cost },
          time_range: plan.time_range,
        };
  return {
    allowed: denials.length === 0,
    reasons: denials.map((d) => d.reason),
    denials,
    obligations,
    estimated_cost: estimated,
  };
}
