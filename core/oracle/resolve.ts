import type { MetricPolicy, Policy } from "../model/policy.ts";

/** A metric name as given, or the first metric (policy order) that lists it as an alias. */
export function resolveMetricName(policy: Policy, name: string): string | undefined {
  if (Object.hasOwn(policy.metrics, name)) return name;
  for (const [metric, spec] of Object.entries(policy.metrics)) {
    if (spec.aliases.includes(name)) return metric;
  }
  return undefined;
}

export function metricOf(policy: Policy, name: string): MetricPolicy | undefined {
  const resolved = resolveMetricName(policy, name);
  return resolved === undefined ? undefined : policy.metrics[resolved];
}
