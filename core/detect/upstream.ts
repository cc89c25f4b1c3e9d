import type { DetectorInput, Violation } from "./types.ts";
import { capabilityViolations } from "./capabilities.ts";

/** Manifest, grammar and validator: exposure, intent space and authorization against the canonical policy. */
export function upstreamViolations({ policy, observation, canonical }: DetectorInput): Violation[] {
  const { principal } = observation;
  const violations = [
    ...capabilityViolations(policy, principal, observation.manifest, "manifest", "capability_scope"),
    ...capabilityViolations(policy, principal, observation.grammar.intent_space, "grammar", "syntactic_intent"),
  ];
  // Cost is priced on the lowered query, so it is the compiler's denial, not the grammar's or validator's.
  const validatorDenials = canonical.decision.denials.filter((d) => d.kind !== "cost");
  const canonicalAllowsIntent = validatorDenials.length === 0;
  if (observation.grammar.outcome.kind === "rejected" && canonicalAllowsIntent) {
    violations.push({
      surface: "grammar",
      obligation: "syntactic_intent",
      witness_class: "over_restrictive",
      reasons: ["grammar rejected an authorized plan", ...observation.grammar.outcome.reasons],
    });
  }
  const validator = observation.validator;
  if (validator.allowed && !canonicalAllowsIntent) {
    violations.push({
      surface: "validator",
      obligation: "authorization_decision",
      witness_class: "over_permissive",
      reasons: ["validator accepted a plan the canonical policy denies", ...validatorDenials.map((d) => d.reason)],
    });
  } else if (!validator.allowed && canonicalAllowsIntent) {
    violations.push({
      surface: "validator",
      obligation: "authorization_decision",
      witness_class: "over_restrictive",
      reasons: ["validator rejected a plan the canonical policy allows", ...validator.reasons],
    });
  }
  const bound = validator.obligations;
  const expected = canonical.decision.obligations;
  if (validator.allowed && bound && expected) {
    const scopeWidened = bound.tenant_scope.some((t) => !expected.tenant_scope.includes(t));
    if (scopeWidened) {
      violations.push({
        surface: "validator",
        obligation: "tenant_scope",
        witness_class: "over_permissive",
        reasons: [`validator bound tenant scope [${bound.tenant_scope.join(", ")}], canonical is [${expected.tenant_scope.join(", ")}]`],
      });
    }
    if (bound.row_budget.max_rows > expected.row_budget.max_rows || bound.row_budget.max_cost > expected.row_budget.max_cost) {
      violations.push({
        surface: "validator",
        obligation: "row_budget",
        witness_class: "over_permissive",
        reasons: ["validator bound a larger row or cost budget than the role has"],
      });
    }
    if (bound.metric !== expected.metric) {
      violations.push({
        surface: "validator",
        obligation: "metric_semantics",
        witness_class: "semantic_drift",
        reasons: [`validator bound metric ${bound.metric}, canonical is ${expected.metric}`],
      });
    }
  }
  return violations;
}
