import { z } from "zod";

const FilterValue = z.union([z.string(), z.number(), z.boolean()]);

/** The semantic plan (semantic IR) a model proposes for a request. */
export const SemanticPlan = z.strictObject({
  metric: z.string().min(1),
  dimensions: z.array(z.string()).default([]),
  filters: z.record(z.string(), FilterValue).default({}),
  time_range: z.string().default("last_month"),
  grain: z.string().default("month"),
  // A strict integer: `true`, "1", 0 and -1 are all rejected.
  limit: z.int().min(1).default(100),
});
export type SemanticPlan = z.infer<typeof SemanticPlan>;

/** Overrides of some plan fields. No defaults: a patch must never reset what it does not name. */
export const SemanticPlanPatch = z.strictObject({
  metric: z.string().min(1).optional(),
  dimensions: z.array(z.string()).optional(),
  filters: z.record(z.string(), FilterValue).optional(),
  time_range: z.string().optional(),
  grain: z.string().optional(),
  limit: z.int().min(1).optional(),
});
export type SemanticPlanPatch = z.infer<typeof SemanticPlanPatch>;

/** Key-order-stable form used for hashing, memoization and witnesses. */
export function normalizePlan(plan: SemanticPlan): SemanticPlan {
  const filters: Record<string, string | number | boolean> = {};
  for (const key of Object.keys(plan.filters).sort()) filters[key] = plan.filters[key]!;
  return {
    metric: plan.metric,
    dimensions: [...plan.dimensions].sort(),
    filters,
    time_range: plan.time_range,
    grain: plan.grain,
    limit: plan.limit,
  };
}
