import { usableDimensions, usableMetrics } from "../domain/capabilities.ts";
import type { Domain } from "../domain/domain.ts";
import type { SemanticPlan } from "../model/plan.ts";
import type { Task } from "../model/suite.ts";
import { Prng } from "../random/prng.ts";
import { checkCount } from "./generate.ts";
import { CompactTaskList } from "./task-list.ts";

const SCENARIOS = ["authorized", "denied_metric", "denied_dimension", "row_budget_boundary"] as const;

/**
 * Cases with no drift at all: authorized requests, requests correctly denied for a metric or a
 * dimension, and requests exactly at the row budget. Any witness here is a false positive.
 */
export function generateCleanControls(domain: Domain, count: number, seed: number): CompactTaskList<CleanShape> {
  checkCount(count);
  const rng = new Prng(seed);
  const { policy } = domain;
  const principals = Object.values(policy.principals).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const tasks = new CompactTaskList<CleanShape>(count, (n, shape) => cleanTask(domain, n, shape));
  for (let i = 0; i < count; i++) {
    const principal = principals[i % principals.length]!;
    const scenario = SCENARIOS[i % SCENARIOS.length]!;
    const role = policy.roles[principal.role]!;
    const metrics = usableMetrics(policy, principal).filter((m) => domain.database.time_columns[policy.metrics[m]!.table] !== undefined);
    const dims = usableDimensions(policy, principal).filter((d) => !policy.dimensions[d]!.sensitive);
    const ranges = role.allowed_time_ranges.filter((r) => domain.database.time_ranges[r] !== undefined);
    const deniedMetrics = Object.keys(policy.metrics).filter((m) => !usableMetrics(policy, principal).includes(m));
    const deniedDims = Object.keys(policy.dimensions).filter((d) => !usableDimensions(policy, principal).includes(d));
    const metric = rng.pick(metrics);
    const plan: SemanticPlan = {
      metric,
      dimensions: dims.length > 0 && rng.below(2) === 1 ? [rng.pick(dims)] : [],
      filters: {},
      time_range: rng.pick(ranges),
      grain: "month",
      limit: Math.min(100, role.max_rows),
    };
    if (scenario === "denied_metric" && deniedMetrics.length > 0) plan.metric = rng.pick(deniedMetrics);
    if (scenario === "denied_dimension" && deniedDims.length > 0) plan.dimensions = [rng.pick(deniedDims)];
    if (scenario === "row_budget_boundary") plan.limit = role.max_rows;
    tasks.push(i + 1, { principal: principal.id, scenario, plan });
  }
  return tasks.permute(rng.shuffle(Uint32Array.from({ length: count }, (_, i) => i)));
}

/** What a clean control is made of besides its ordinal. */
export interface CleanShape {
  principal: string;
  scenario: (typeof SCENARIOS)[number];
  plan: SemanticPlan;
}

function cleanTask(domain: Domain, n: number, shape: CleanShape): Task {
  const plan = structuredClone(shape.plan);
  return {
    id: `clean_control_${String(n).padStart(4, "0")}`,
    domain: domain.name,
    principal: shape.principal,
    request: `Clean control ${n} (${shape.scenario}): ${plan.metric} by ${plan.dimensions.join(", ") || "total"} for ${plan.time_range}.`,
    policy_version: domain.policy.version,
    surface_versions: { ...domain.surfaces.versions },
    mutation: "none",
    semantic_query: plan,
    expected_witness_class: "clean",
    expected_localized_surface: "release",
    expected_containment_layer: null,
  };
}
