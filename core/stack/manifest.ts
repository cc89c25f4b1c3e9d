import type { ManifestOutput } from "../model/observation.ts";
import type { Policy, Principal } from "../model/policy.ts";
import type { ManifestKnobs } from "./variant.ts";


/** What the model is shown for one principal: the names it may put in a plan. */
export function buildManifest(policy: Policy, principal: Principal, knobs: ManifestKnobs): ManifestOutput {
  const role = policy.roles[principal.role];
  if (!role) return { metrics: [], dimensions: [], time_ranges: [] };
  const metrics: string[] = [];
  for (const [name, spec] of Object.entries(policy.metrics)) {
    const usable = role.allowed_metrics.includes(name) && spec.allowed_roles.includes(principal.role);
    if (usable) metrics.push(name, ...spec.aliases);
    else if (knobs.exposeForbiddenAliases) metrics.push(...spec.aliases);
  }
  const dimensions = Object.entries(policy.dimensions)
    .filter(([name, spec]) => role.allowed_dimensions.includes(name) && spec.allowed_roles.includes(principal.role))
    .map(([name]) => name);
  return { metrics, dimensions, time_ranges: [...role.allowed_time_ranges] };
}
