import type { Policy, Principal } from "../model/policy.ts";
import type { Violation } from "./types.ts";

interface Capabilities {
  metrics: string[];
  dimensions: string[];
  time_ranges: string[];
}

/**
 * Names shown to (or parseable for) a principal must all be usable by its role. Shared by the
 * manifest check (what is shown) and the grammar check (what can be expressed).
 */
export function capabilityViolations(
  policy: Policy,
  principal: Principal,
  shown: Capabilities,
  surface: "manifest" | "grammar",
  obligation: string,
): Violation[] {
  const role = policy.roles[principal.role];
  const reasons: string[] = [];
  for (const name of shown.metrics) {
    const metric = Object.hasOwn(policy.metrics, name)
      ? name
      : Object.keys(policy.metrics).find((m) => policy.metrics[m]!.aliases.includes(name));
    if (metric === undefined) {
      reasons.push(`${surface} exposes unknown metric ${name}`);
    } else if (!role?.allowed_metrics.includes(metric) || !policy.metrics[metric]!.allowed_roles.includes(principal.role)) {
      reasons.push(`${surface} exposes ${name === metric ? name : `${name} (alias of ${metric})`}, which role ${principal.role} may not use`);
    }
  }
  for (const name of shown.dimensions) {
    const spec = policy.dimensions[name];
    if (!spec || !role?.allowed_dimensions.includes(name) || !spec.allowed_roles.includes(principal.role)) {
      reasons.push(`${surface} exposes dimension ${name}, which role ${principal.role} may not use`);
    }
  }
  for (const range of shown.time_ranges) {
    if (!role?.allowed_time_ranges.includes(range)) reasons.push(`${surface} exposes time range ${range}, which is not granted`);
  }
  return reasons.length === 0 ? [] : [{ surface, obligation, witness_class: "over_permissive", reasons }];
}
