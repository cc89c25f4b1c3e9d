import type { SemanticPlan } from "../model/plan.ts";
import type { Policy } from "../model/policy.ts";
import type { GrammarOutcome, IntentSpace, ManifestOutput } from "../model/observation.ts";
import type { GrammarKnobs } from "./variant.ts";


/** The structured-output grammar: the names a plan may use for this principal. */
export function intentSpace(policy: Policy, manifest: ManifestOutput, knobs: GrammarKnobs): IntentSpace {
  const dimensions = [...manifest.dimensions];
  if (knobs.admitSensitiveDimensions) {
    for (const [name, spec] of Object.entries(policy.dimensions)) {
      if (spec.sensitive && !dimensions.includes(name)) dimensions.push(name);
    }
  }
  return { metrics: [...manifest.metrics], dimensions, time_ranges: [...manifest.time_ranges] };
}

/** The grammar parses; it does not authorize. Anything outside its intent space cannot be expressed. */
export function parseIntent(space: IntentSpace, proposed: SemanticPlan): GrammarOutcome {
  const reasons: string[] = [];
  if (!space.metrics.includes(proposed.metric)) reasons.push(`metric outside intent space: ${proposed.metric}`);
  for (const d of proposed.dimensions) {
    if (!space.dimensions.includes(d)) reasons.push(`dimension outside intent space: ${d}`);
  }
  for (const key of Object.keys(proposed.filters).sort()) {
    if (!space.dimensions.includes(key)) reasons.push(`filter outside intent space: ${key}`);
  }
  if (!space.time_ranges.includes(proposed.time_range)) reasons.push(`time range outside intent space: ${proposed.time_range}`);
  return reasons.length === 0 ? { kind: "plan", plan: proposed } : { kind: "rejected", reasons };
}
