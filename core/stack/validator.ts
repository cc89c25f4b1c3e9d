import type { SemanticPlan } from "../model/plan.ts";
import type { Policy, Principal } from "../model/policy.ts";
import type { ValidatorDecision } from "../model/observation.ts";
import type { ValidatorKnobs } from "./variant.ts";

function resolveAlias(policy: Policy, name: string): string | undefined {
  if (Object.hasOwn(policy.metrics, name)) return name;
  return Object.keys(policy.metrics).find((metric) => policy.metrics[metric]!.aliases.includes(name));
}

/**
 * The stack's validator: authorizes metric, dimensions, filters, tenant and time, and binds the
 * obligations downstream layers must keep. Cost is bound, not checked: it is priced after lowering.
 */
export function validatePlan(policy: Policy, principal: Principal, plan: SemanticPlan, knobs: ValidatorKnobs): ValidatorDecision {
  const role = policy.roles[principal.role];
  const metric = resolveAlias(policy, plan.metric);
  if (!role || metric === undefined) {
    return { allowed: false, reasons: [`cannot resolve metric ${plan.metric}`], obligations: null };
  }
  const reasons: string[] = [];
  if (!role.allowed_metrics.includes(metric) || !policy.metrics[metric]!.allowed_roles.includes(principal.role)) {
    reasons.push(`role ${principal.role} may not read metric ${metric}`);
  }
  for (const name of [...plan.dimensions, ...Object.keys(plan.filters).sort()]) {
    const spec = policy.dimensions[name];
    if (!spec) {
      reasons.push(`no such dimension ${name}`);
      continue;
    }
    if (spec.sensitive && knobs.skipSensitiveDimensionCheck) continue;
    if (!role.allowed_dimensions.includes(name) || !spec.allowed_roles.includes(principal.role)) {
      reasons.push(`role ${principal.role} may not group or filter by ${name}`);
    }
  }
  const tenantFilter = plan.filters.tenant_id;
  if (tenantFilter !== undefined && !principal.tenant_ids.includes(String(tenantFilter))) {
    reasons.push(`tenant ${String(tenantFilter)} is outside the principal's scope`);
  }
  if (!role.allowed_time_ranges.includes(plan.time_range)) reasons.push(`time range ${plan.time_range} is not granted`);
  if (plan.limit > role.max_rows) reasons.push(`limit ${plan.limit} is above the row budget ${role.max_rows}`);
  return {
    allowed: reasons.length === 0,
    reasons,
    obligations: {
      metric,
      tenant_scope: [...principal.tenant_ids],
      row_budget: { max_rows: role.max_rows, max_cost: role.max_cost },
      time_range: plan.time_range,
    },
  };
}
