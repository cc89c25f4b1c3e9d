import { type DetectorInput, isEnabled, type Violation } from "./types.ts";
import { compilePlan } from "../stack/compiler.ts";
import { REFERENCE_STACK } from "../stack/variant.ts";
import type { SqlFacts } from "../sql/analyze.ts";
import { sameResult } from "../observe/rows.ts";
import type { DomainDatabase } from "../model/database.ts";
import type { CompilerOutcome, Obligations } from "../model/observation.ts";
import type { SemanticPlan } from "../model/plan.ts";
import type { Policy } from "../model/policy.ts";

const UNBOUNDED = { max_rows: Number.MAX_SAFE_INTEGER, max_cost: Number.MAX_SAFE_INTEGER };

function describeIn(facts: SqlFacts): string {
  if (facts.inPredicates.length === 0) return "the lowered SQL has no IN predicate at all";
  return `the lowered SQL scopes by ${facts.inPredicates.map((p) => `${p.written} in (${p.values.join(", ")})`).join(" and ")}`;
}

/**
 * The canonical lowering of a plan: the reference compiler under the canonical obligations with the
 * budget lifted (the budget is judged on its own). What the canonical stage executes, and what
 * the compiler's output is compared with.
 */
export function canonicalLowering(policy: Policy, db: DomainDatabase, plan: SemanticPlan, obligations: Obligations): CompilerOutcome {
  return compilePlan({ policy, db, plan, obligations: { ...obligations, row_budget: UNBOUNDED } }, REFERENCE_STACK.compiler);
}

/** The compiler against its obligations: budget, tenant scope, metric semantics, joins, time, lineage. */
export function compilerViolations(input: DetectorInput): Violation[] {
  const { policy, db, observation, canonical, analyze } = input;
  const outcome = observation.compiler;
  const obligations = canonical.decision.obligations;
  if (!outcome || !obligations) return [];
  const budgetDenials = canonical.decision.denials.filter((d) => d.kind === "cost" || d.kind === "rows");
  const violations: Violation[] = [];
  // The canonical lowering (budget aside): when even it cannot express the plan, refusing is right.
  const reference = input.referenceLowering ?? canonicalLowering(policy, db, observation.proposed_plan, obligations);

  if (outcome.kind === "refused") {
    if (canonical.decision.allowed && reference.kind === "sql") {
      violations.push({
        surface: "compiler",
        obligation: "sql_semantics",
        witness_class: "over_restrictive",
        reasons: ["compiler refused a plan the canonical policy allows", ...outcome.reasons],
      });
    }
    return violations;
  }
  if (budgetDenials.length > 0) {
    violations.push({
      surface: "compiler",
      obligation: "row_budget",
      witness_class: "over_permissive",
      reasons: [
        `compiler lowered a plan over the bound budget (it estimated cost ${outcome.estimated_cost}, canonical estimate ${canonical.decision.estimated_cost})`,
        ...budgetDenials.map((d) => d.reason),
      ],
    });
  }
  if (reference.kind !== "sql") return violations;

  const expected = analyze(reference.sql);
  const actual = analyze(outcome.sql);

  const expectedScope = expected.inPredicates[0];
  if (expectedScope) {
    const kept = actual.inPredicates.some(
      (p) => p.written === expectedScope.written && p.values.length === expectedScope.values.length && p.values.every((v) => expectedScope.values.includes(v)),
    );
    if (!kept) {
      violations.push({
        surface: "compiler",
        obligation: "tenant_scope",
        witness_class: "lowering_violation",
        reasons: [`tenant-scope obligation not preserved: expected ${expectedScope.written} in (${expectedScope.values.join(", ")}); ${describeIn(actual)}`],
      });
    }
  }

  const expectedValue = expected.selectItems.find((s) => s.alias === "value")?.expression;
  const actualValue = actual.selectItems.find((s) => s.alias === "value")?.expression;
  if (expectedValue !== actualValue) {
    violations.push({
      surface: "compiler",
      obligation: "metric_semantics",
      witness_class: "semantic_drift",
      reasons: [`metric ${obligations.metric} lowered as ${actualValue ?? "nothing"}; its definition is ${expectedValue}`],
    });
  }

  const byAlias = new Map(expected.relations.map((r) => [r.alias, r]));
  const relationReasons: string[] = [];
  const lineageReasons: string[] = [];
  for (const relation of actual.relations) {
    const declared = byAlias.get(relation.alias);
    if (!declared) relationReasons.push(`joins ${relation.table}, which the plan does not need (one-to-many fan-out)`);
    else if (declared.table !== relation.table) lineageReasons.push(`reads ${relation.table} in place of the declared source ${declared.table}`);
    else if (declared.join !== relation.join) relationReasons.push(`${relation.join} join of ${relation.table} where the join graph declares ${declared.join}`);
  }
  for (const relation of expected.relations) {
    if (!actual.relations.some((r) => r.alias === relation.alias)) relationReasons.push(`does not read ${relation.table}`);
  }
  if (lineageReasons.length > 0) {
    violations.push({ surface: "compiler", obligation: "lineage", witness_class: "semantic_drift", reasons: lineageReasons });
  }
  if (relationReasons.length > 0) {
    violations.push({ surface: "compiler", obligation: "sql_semantics", witness_class: "semantic_drift", reasons: relationReasons });
  }

  const timeColumns = new Set(expected.comparisons.filter((c) => c.op !== "=").map((c) => c.written));
  const window = (facts: SqlFacts) =>
    facts.comparisons
      .filter((c) => timeColumns.has(c.written))
      .map((c) => `${c.written} ${c.op} ${c.value}`)
      .sort();
  const expectedWindow = window(expected);
  const actualWindow = window(actual);
  if (expectedWindow.join("|") !== actualWindow.join("|")) {
    violations.push({
      surface: "compiler",
      obligation: "time_semantics",
      witness_class: "semantic_drift",
      reasons: [`time window lowered as [${actualWindow.join(" and ")}]; canonical is [${expectedWindow.join(" and ")}]`],
    });
  }
  if (actual.limit === null || actual.limit > obligations.row_budget.max_rows) {
    violations.push({
      surface: "compiler",
      obligation: "row_budget",
      witness_class: "over_permissive",
      reasons: [`lowered limit ${actual.limit ?? "none"} exceeds the row budget ${obligations.row_budget.max_rows}`],
    });
  }

  const before = observation.database.before_containment;
  const structural = violations.some((v) => v.witness_class !== "over_permissive" && isEnabled(input, v));
  if (!structural && before && canonical.result && !sameResult(before, canonical.result)) {
    violations.push({
      surface: "compiler",
      obligation: "sql_semantics",
      witness_class: "semantic_drift",
      reasons: ["the lowered SQL returns a different result than the canonical lowering on the generated state"],
    });
  }
  return violations;
}
