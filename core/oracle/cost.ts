import type { SemanticPlan } from "../model/plan.ts";
import type { Policy } from "../model/policy.ts";
import { metricOf } from "./resolve.ts";

const UNKNOWN_METRIC_COST = 100;
const UNKNOWN_DIMENSION_COST = 20;

/** Canonical price of a plan: the metric, every dimension, and one unit per hundred rows. */
export function canonicalCost(policy: Policy, plan: SemanticPlan): number {
  const metric = metricOf(policy, plan.metric);
  let cost = metric ? metric.cost : UNKNOWN_METRIC_COST;
  for (const dimension of plan.dimensions) {
    cost += policy.dimensions[dimension]?.cost ?? UNKNOWN_DIMENSION_COST;
  }
  return cost + Math.max(1, Math.floor(plan.limit / 100));
}
