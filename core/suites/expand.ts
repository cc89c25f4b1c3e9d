import type { Domain } from "../domain/domain.ts";
import type { LocatedYaml } from "../input/located-yaml.ts";
import { SafeIdentifier } from "../model/identifiers.ts";
import { SemanticPlan } from "../model/plan.ts";
import type { SurfaceVersions } from "../model/surfaces.ts";
import { type SuiteFile, Task } from "../model/suite.ts";
import { findOperator } from "../mutants/registry.ts";
import { expectedLabels } from "./defaults.ts";

/**
 * A static suite file's tasks, then its matrix expansions, checked against the domain: every
 * principal, metric, dimension, time range and mutation must exist, or the error points at it.
 */
export function expandSuite(domain: Domain, file: SuiteFile, source: LocatedYaml): Task[] {
  const versions = { ...domain.surfaces.versions, ...file.surface_versions } as SurfaceVersions;
  const policyVersion = file.policy_version ?? domain.policy.version;
  const tasks: Task[] = [];

  file.tasks.forEach((input, i) => {
    const at = ["tasks", i];
    checkReferences(domain, source, at, input.principal, input.semantic_query, input.mutation);
    const labels = expectedLabels(input.mutation);
    tasks.push(
      Task.parse({
        id: input.id,
        domain: input.domain ?? domain.name,
        principal: input.principal,
        request: input.request,
        policy_version: input.policy_version ?? policyVersion,
        surface_versions: { ...versions, ...input.surface_versions },
        mutation: input.mutation,
        semantic_query: input.semantic_query,
        expected_witness_class: input.expected_witness_class ?? labels.witness_class,
        expected_localized_surface: input.expected_localized_surface ?? labels.surface,
        expected_containment_layer: input.expected_containment_layer === undefined ? labels.containment : input.expected_containment_layer,
      }),
    );
  });

  file.matrix.forEach((item, i) => {
    const at = ["matrix", i];
    checkReferences(domain, source, at, item.principal, item.semantic_query, item.mutation);
    const labels = expectedLabels(item.mutation);
    for (let index = 1; index <= item.count; index++) {
      const override = item.variants[String(index)] ?? {};
      const plan = SemanticPlan.parse({ ...item.semantic_query, ...override });
      checkReferences(domain, source, [...at, "variants", String(index)], item.principal, plan, item.mutation);
      const id = `${item.mutation.replaceAll("+", "__")}_${String(index).padStart(2, "0")}`;
      if (!SafeIdentifier.safeParse(id).success) source.fail(at, `generated task id ${id} is not a safe identifier`, "shorten the mutation reference");
      tasks.push(
        Task.parse({
          id,
          domain: domain.name,
          principal: item.principal,
          request: item.request.replaceAll("{index}", String(index)),
          policy_version: policyVersion,
          surface_versions: { ...versions, ...item.surface_versions },
          mutation: item.mutation,
          semantic_query: plan,
          expected_witness_class: item.expected_witness_class ?? labels.witness_class,
          expected_localized_surface: item.expected_localized_surface ?? labels.surface,
          expected_containment_layer: item.expected_containment_layer === undefined ? labels.containment : item.expected_containment_layer,
        }),
      );
    }
  });

  const seen = new Map<string, number>();
  tasks.forEach((task, i) => {
    if (seen.has(task.id)) source.fail([], `duplicate task id ${task.id} (cases ${seen.get(task.id)! + 1} and ${i + 1})`, "give every task a unique id");
    seen.set(task.id, i);
  });
  return tasks;
}

function checkReferences(domain: Domain, source: LocatedYaml, at: (string | number)[], principal: string, plan: SemanticPlan, mutation: string) {
  const { policy } = domain;
  if (!policy.principals[principal]) {
    source.fail([...at, "principal"], `unknown principal: ${principal}`, `use one of: ${Object.keys(policy.principals).join(", ")}`);
  }
  const metricKnown = Object.hasOwn(policy.metrics, plan.metric) || Object.values(policy.metrics).some((m) => m.aliases.includes(plan.metric));
  if (!metricKnown) {
    source.fail([...at, "semantic_query", "metric"], `unknown metric: ${plan.metric}`, `use a metric or alias from policy.yaml: ${Object.keys(policy.metrics).join(", ")}`);
  }
  plan.dimensions.forEach((d, j) => {
    if (!policy.dimensions[d]) source.fail([...at, "semantic_query", "dimensions", j], `unknown dimension: ${d}`, `use one of: ${Object.keys(policy.dimensions).join(", ")}`);
  });
  for (const key of Object.keys(plan.filters)) {
    if (!policy.dimensions[key]) source.fail([...at, "semantic_query", "filters"], `unknown filter dimension: ${key}`, `filter by a dimension from policy.yaml`, key);
  }
  if (!domain.database.time_ranges[plan.time_range]) {
    source.fail([...at, "semantic_query", "time_range"], `unknown time range: ${plan.time_range}`, `use one defined in database.yaml: ${Object.keys(domain.database.time_ranges).join(", ")}`);
  }
  for (const id of mutation === "none" ? [] : mutation.split("+")) {
    const op = findOperator(id);
    if (!op) source.fail([...at, "mutation"], `unknown mutation: ${id}`, "use an operator id from `strata operators`, or none");
    if (!op.appliesTo(domain.features)) {
      source.fail([...at, "mutation"], `mutation ${id} cannot occur in domain ${domain.name}`, "this domain lacks the feature the operator drifts (see `strata operators`)");
    }
  }
}
