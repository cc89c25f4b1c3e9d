import { principalsByPrivilege } from "../domain/capabilities.ts";
import type { Domain } from "../domain/domain.ts";
import type { SemanticPlan } from "../model/plan.ts";
import type { Principal } from "../model/policy.ts";
import type { Task } from "../model/suite.ts";
import { type MutationOperator, operatorsFor } from "../mutants/registry.ts";
import { Prng } from "../random/prng.ts";
import { PLAN_SHAPES } from "./plan-shapes.ts";
import { CompactTaskList } from "./task-list.ts";

export const MAX_GENERATED_COUNT = 1_000_000;

export function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > MAX_GENERATED_COUNT) {
    throw new RangeError(`generated count must be an integer between 1 and ${MAX_GENERATED_COUNT}: ${count}`);
  }
}

function describe(plan: SemanticPlan): string {
  return `${plan.metric} by ${plan.dimensions.join(", ") || "total"} for ${plan.time_range}`;
}

/**
 * Drift cases cycling through the operators that can occur in this domain, each with a plan
 * that exercises it, for the least-privileged principal that can express that plan. The same
 * (domain, count, seed) gives the same cases on any machine.
 */
export function generateDriftTasks(domain: Domain, count: number, seed: number): CompactTaskList<DriftShape> {
  checkCount(count);
  const rng = new Prng(seed);
  const operators = operatorsFor(domain.features);
  const principals = principalsByPrivilege(domain.policy);
  const tasks = new CompactTaskList<DriftShape>(count, (n, shape) => driftTask(domain, operators[shape.operator]!, n, shape));
  for (let index = 0; index < count; index++) {
    const operator = index % operators.length;
    const shape = PLAN_SHAPES[operators[operator]!.id];
    let chosen: { principal: Principal; plan: SemanticPlan } | null = null;
    for (const principal of principals) {
      const plan = shape?.(domain, principal, rng) ?? null;
      if (plan) {
        chosen = { principal, plan };
        break;
      }
    }
    const principal = chosen?.principal ?? principals[0]!;
    const plan = chosen?.plan ?? { metric: Object.keys(domain.policy.metrics)[0]!, dimensions: [], filters: {}, time_range: "last_month", grain: "month", limit: 100 };
    tasks.push(index + 1, { operator, principal: principal.id, plan });
  }
  return tasks.permute(rng.shuffle(Uint32Array.from({ length: count }, (_, i) => i)));
}

/** What a generated drift case is made of besides its ordinal. */
export interface DriftShape {
  operator: number;
  principal: string;
  plan: SemanticPlan;
}

function driftTask(domain: Domain, op: MutationOperator, n: number, shape: DriftShape): Task {
  const plan = structuredClone(shape.plan);
  return {
    id: `${op.id}_generated_${String(n).padStart(4, "0")}`,
    domain: domain.name,
    principal: shape.principal,
    request: `Generated drift case ${n}: show ${describe(plan)} (operator ${op.id}).`,
    policy_version: domain.policy.version,
    surface_versions: { ...domain.surfaces.versions, [op.surface]: `${domain.surfaces.versions[op.surface]}-gen` },
    mutation: op.id,
    semantic_query: plan,
    expected_witness_class: op.expectedClass,
    expected_localized_surface: op.surface,
    expected_containment_layer: op.expectedContainment,
  };
}
