import type { Policy, Principal } from "../model/policy.ts";

/** What a principal's role may use under the canonical policy (names, in policy order). */
export function usableMetrics(policy: Policy, principal: Principal): string[] {
  const role = policy.roles[principal.role];
  return Object.entries(policy.metrics)
    .filter(([name, m]) => role?.allowed_metrics.includes(name) && m.allowed_roles.includes(principal.role))
    .map(([name]) => name);
}

export function usableDimensions(policy: Policy, principal: Principal): string[] {
  const role = policy.roles[principal.role];
  return Object.entries(policy.dimensions)
    .filter(([name, d]) => role?.allowed_dimensions.includes(name) && d.allowed_roles.includes(principal.role))
    .map(([name]) => name);
}

/** Principals from least to most privileged; ties keep policy order. */
export function principalsByPrivilege(policy: Policy): Principal[] {
  const size = (p: Principal) => usableMetrics(policy, p).length + usableDimensions(policy, p).length;
  return Object.values(policy.principals)
    .map((p, i) => [p, i] as const)
    .sort(([a, i], [b, j]) => size(a) - size(b) || i - j)
    .map(([p]) => p);
}
