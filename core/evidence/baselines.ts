import { capabilityViolations } from "../detect/capabilities.ts";
import { databaseViolations } from "../detect/database.ts";
import type { DetectorInput } from "../detect/types.ts";
import type { CompilerOutcome, QueryResult } from "../model/observation.ts";
import { sameResult } from "../observe/rows.ts";
import { compilePlan } from "../stack/compiler.ts";
import { REFERENCE_STACK } from "../stack/variant.ts";

/**
 * Baselines: each is a restricted detector that sees one slice of the real observation of a case
 * (and the canonical view of that slice), never the whole. Their input is a DetectorInput, which
 * carries no mutation id, no expected label and no accounting status: they cannot read them.
 */
export interface Baseline {
  name: string;
  /** Exactly what the baseline sees. */
  sees: string;
  /** `lowered`, when given, returns the case's canonical lowering computed once for all baselines. */
  fires: (input: DetectorInput, lowered?: Lowered) => boolean;
  /** For a union of other baselines: their names. Evaluated over many cases, their verdicts are reused. */
  unionOf?: readonly string[];
}

type Lowered = () => CompilerOutcome | null;

/** Canonical intent decision: cost is priced on the lowered query, so it is not an intent denial. */
function canonicalAllowsIntent({ canonical }: DetectorInput): boolean {
  return canonical.decision.denials.every((d) => d.kind === "cost");
}

function releasedResult(input: DetectorInput): QueryResult {
  return { kind: "rows", rows: input.observation.end_to_end.rows };
}

const grammarOnly = (input: DetectorInput): boolean => {
  const { policy, observation } = input;
  if (capabilityViolations(policy, observation.principal, observation.grammar.intent_space, "grammar", "syntactic_intent").length > 0) return true;
  const parsed = observation.grammar.outcome.kind === "plan";
  return parsed !== canonicalAllowsIntent(input);
};

const validatorOnly = (input: DetectorInput): boolean => input.observation.validator.allowed !== canonicalAllowsIntent(input);

const semanticValidatorOnly = (input: DetectorInput): boolean => {
  if (validatorOnly(input)) return true;
  const bound = input.observation.validator.obligations;
  const expected = input.canonical.decision.obligations;
  if (!input.observation.validator.allowed || !bound || !expected) return false;
  return (
    bound.metric !== expected.metric ||
    bound.tenant_scope.some((t) => !expected.tenant_scope.includes(t)) ||
    bound.row_budget.max_rows > expected.row_budget.max_rows ||
    bound.row_budget.max_cost > expected.row_budget.max_cost
  );
};

const sqlAstPolicyChecker = (input: DetectorInput): boolean => {
  const { observation, canonical, analyze } = input;
  const outcome = observation.compiler;
  const obligations = canonical.decision.obligations;
  if (outcome?.kind !== "sql" || !obligations) return false;
  const facts = analyze(outcome.sql);
  const scope = [...obligations.tenant_scope].sort().join(",");
  const scoped = facts.inPredicates.some((p) => [...p.values].map(String).sort().join(",") === scope);
  const bounded = facts.limit !== null && facts.limit <= obligations.row_budget.max_rows;
  return !scoped || !bounded;
};

const dbRlsOnly = (input: DetectorInput): boolean => databaseViolations(input).length > 0;

const dbPolicyOnly = (input: DetectorInput): boolean => {
  if (input.observation.database.probe.unchecked !== undefined || input.canonical.containment.unchecked !== undefined) return false;
  const seen = input.observation.database.probe.visible_columns;
  const allowed = input.canonical.containment.visible_columns;
  const tables = [...new Set([...Object.keys(seen), ...Object.keys(allowed)])];
  return tables.some((t) => [...(seen[t] ?? [])].sort().join(",") !== [...(allowed[t] ?? [])].sort().join(","));
};

const releaseFilterOnly = (input: DetectorInput): boolean => {
  const { db, observation, canonical } = input;
  const release = observation.release;
  if (!release?.released) return false;
  if (!canonical.decision.allowed) return true;
  const cohort = db.release.cohort;
  return cohort !== undefined && release.rows.some((r) => typeof r.cohort_size === "number" && r.cohort_size < cohort.min_size);
};

/** The canonical lowering of the proposed plan under the canonical obligations, or null. */
function canonicalLowering({ policy, db, observation, canonical }: DetectorInput): CompilerOutcome | null {
  const obligations = canonical.decision.obligations;
  if (!obligations) return null;
  return compilePlan({ policy, db, plan: observation.proposed_plan, obligations }, REFERENCE_STACK.compiler);
}

const lineageOnly = (input: DetectorInput, lowered?: Lowered): boolean => {
  const { db, observation, analyze } = input;
  const outcome = observation.compiler;
  if (outcome?.kind !== "sql") return false;
  const reference = lowered ? lowered() : canonicalLowering(input);
  if (reference?.kind === "sql" && [...reference.lineage].sort().join(",") !== [...outcome.lineage].sort().join(",")) return true;
  const release = observation.release;
  if (!release?.released) return false;
  const sampled = analyze(outcome.sql)
    .relations.map((r) => r.table)
    .filter((t) => db.release.sampled_tables[t] !== undefined);
  return sampled.some((t) => !release.disclosures.some((d) => d.includes(t)));
};

const policyAsCodePrecheck = (input: DetectorInput): boolean => {
  const { policy, observation } = input;
  const exposed =
    capabilityViolations(policy, observation.principal, observation.manifest, "manifest", "capability_scope").length > 0 ||
    capabilityViolations(policy, observation.principal, observation.grammar.intent_space, "grammar", "syntactic_intent").length > 0;
  return exposed || (observation.validator.allowed && !canonicalAllowsIntent(input));
};

const normalizeSql = (sql: string) => sql.replace(/\s+/g, " ").trim();

const sqlSnapshot = (input: DetectorInput, lowered?: Lowered): boolean => {
  const outcome = input.observation.compiler;
  const reference = lowered ? lowered() : canonicalLowering(input);
  if (!outcome || !reference) return false;
  if (outcome.kind !== reference.kind) return true;
  return outcome.kind === "sql" && reference.kind === "sql" && normalizeSql(outcome.sql) !== normalizeSql(reference.sql);
};

const finalAnswerOnly = (input: DetectorInput): boolean => {
  const { observation, canonical } = input;
  const e2e = observation.end_to_end;
  if (e2e.released !== canonical.decision.allowed) return true;
  return e2e.released && canonical.result !== null && !sameResult(releasedResult(input), canonical.result);
};

const randomDataGeneration = (input: DetectorInput): boolean => {
  const before = input.observation.database.before_containment;
  const expected = input.canonical.result;
  return before !== null && expected !== null && !sameResult(before, expected);
};

const naiveSurfaceEquality = (input: DetectorInput): boolean => {
  const { observation, canonical } = input;
  const allowed = canonical.decision.allowed;
  const decisions = [
    observation.grammar.outcome.kind === "plan",
    observation.validator.allowed,
    ...(observation.compiler ? [observation.compiler.kind === "sql"] : []),
    ...(observation.release ? [observation.release.released] : []),
    observation.end_to_end.released,
  ];
  return decisions.some((d) => d !== allowed);
};

const conventionalTestSuite = (input: DetectorInput): boolean => {
  const { observation, canonical, analyze } = input;
  const outcome = observation.compiler;
  const obligations = canonical.decision.obligations;
  const e2e = observation.end_to_end;
  if (outcome?.kind === "sql" && obligations) {
    const facts = analyze(outcome.sql);
    // (a) tenant predicate present, (d) LIMIT within the budget.
    if (!facts.inPredicates.some((p) => obligations.tenant_scope.every((t) => p.values.map(String).includes(t)))) return true;
    if (facts.limit === null || facts.limit > obligations.row_budget.max_rows) return true;
  }
  // (b)/(c) metric and dimension denials the validator let through.
  if (observation.validator.allowed && canonical.decision.denials.some((d) => d.kind === "metric" || d.kind === "dimension")) return true;
  // (d) too many rows released; (e) released although denied; (f) golden values.
  if (obligations && e2e.rows.length > obligations.row_budget.max_rows) return true;
  if (e2e.released && !canonical.decision.allowed) return true;
  return e2e.released && canonical.result !== null && !sameResult(releasedResult(input), canonical.result);
};

const sameList = (a: string[], b: string[]) => [...a].sort().join("|") === [...b].sort().join("|");

const propertyDifferential = (input: DetectorInput): boolean => {
  const { observation, canonical } = input;
  const { manifest, grammar, validator, compiler, database, release } = observation;
  const space = grammar.intent_space;
  if (!sameList(manifest.metrics, space.metrics) || !sameList(manifest.dimensions, space.dimensions) || !sameList(manifest.time_ranges, space.time_ranges)) {
    return true;
  }
  if ((grammar.outcome.kind === "plan") !== validator.allowed) return true;
  if (compiler && validator.allowed && compiler.kind !== "sql") return true;
  // A query the validator admitted should come back from the session as it does unrestricted.
  if (validator.allowed && database.before_containment && database.under_session && !sameResult(database.before_containment, database.under_session)) {
    return true;
  }
  if (release?.released && database.under_session && !sameResult(database.under_session, { kind: "rows", rows: release.rows })) return true;
  return canonical.decision.allowed !== observation.end_to_end.released;
};

/** A baseline that fires when any of the named ones does. */
function unionOf(...names: string[]): Pick<Baseline, "fires" | "unionOf"> {
  const parts = () => names.map((name) => BASELINES.find((b) => b.name === name)!);
  return { unionOf: names, fires: (input, lowered) => parts().some((b) => b.fires(input, lowered)) };
}

/** The 17 baselines, in evidence-table order. */
export const BASELINES: readonly Baseline[] = [
  { name: "grammar_only", sees: "the grammar's intent space and parse outcome vs the policy's grants and canonical intent decision", fires: grammarOnly },
  {
    name: "semantic_validator_only",
    sees: "the validator's decision and bound obligations (metric, tenant scope, budget) vs the canonical decision and obligations",
    fires: semanticValidatorOnly,
  },
  {
    name: "sql_ast_policy_checker",
    sees: "the compiled SQL's AST alone, checked for the canonical tenant-scope IN predicate and a LIMIT within the row budget",
    fires: sqlAstPolicyChecker,
  },
  { name: "db_policy_only", sees: "the database's column grants for the session vs the canonical visible columns", fires: dbPolicyOnly },
  {
    name: "release_filter_only",
    sees: "the release layer's output: released although canonically denied, or a group below the cohort threshold",
    fires: releaseFilterOnly,
  },
  {
    name: "lineage_only",
    sees: "the compiled SQL's lineage vs the canonical lowering's, and sampled sources released without disclosure",
    fires: lineageOnly,
  },
  {
    name: "policy_as_code_precheck",
    sees: "pre-execution config only: manifest and grammar exposure vs the policy, and the validator admitting a denied plan",
    fires: policyAsCodePrecheck,
  },
  {
    name: "defense_in_depth_stack_v2",
    sees: "union of grammar_only, semantic_validator_only, sql_ast_policy_checker, db_policy_only, release_filter_only",
    ...unionOf("grammar_only", "semantic_validator_only", "sql_ast_policy_checker", "db_policy_only", "release_filter_only"),
  },
  { name: "final_answer_only", sees: "the released end-to-end output (released?, rows) vs the canonical decision and result", fires: finalAnswerOnly },
  {
    name: "sql_snapshot",
    sees: "the compiled SQL text vs the canonical lowering's text (reference compiler, canonical obligations), whitespace-normalized",
    fires: sqlSnapshot,
  },
  { name: "validator_only", sees: "the validator's allow/deny vs the canonical intent decision", fires: validatorOnly },
  { name: "db_rls_only", sees: "the database containment probe (visible rows and columns) vs the canonical containment", fires: dbRlsOnly },
  {
    name: "random_data_generation",
    sees: "the compiled SQL's result rows on the generated (unrestricted) state vs the canonical lowering's result",
    fires: randomDataGeneration,
  },
  {
    name: "naive_surface_equality",
    sees: "each layer's allow/deny (grammar, validator, compiler, release, end to end) vs the canonical allow/deny",
    fires: naiveSurfaceEquality,
  },
  {
    name: "defense_in_depth_stack",
    sees: "union of validator_only, sql_snapshot, db_rls_only, final_answer_only",
    ...unionOf("validator_only", "sql_snapshot", "db_rls_only", "final_answer_only"),
  },
  {
    name: "conventional_test_suite",
    sees: "hand-written checks: tenant IN predicate, LIMIT and released row count within budget, metric/dimension denials, denied releases, golden values",
    fires: conventionalTestSuite,
  },
  {
    name: "property_differential",
    sees: "adjacent layers against each other (manifest-grammar, grammar-validator, validator-compiler, session vs unrestricted result of an admitted query, database-release) and canonical vs end to end",
    fires: propertyDifferential,
  },
];

/** One case as the evidence tables see it: the observed verdict decides whether it is a failure. */
export interface EvidenceCase {
  /** The detector's verdict on the case was not clean: it counts towards total_failures. */
  failure: boolean;
  /** Null when the case has no observation or canonical view (an invalid case): never caught. */
  input: DetectorInput | null;
}

export interface CatchRow {
  caught: number;
  total_failures: number;
  missed: number;
  catch_rate: number;
}

export function catchRow(caught: number, total: number): CatchRow {
  return { caught, total_failures: total, missed: total - caught, catch_rate: total === 0 ? 0 : caught / total };
}

/**
 * Baseline catches over a set of cases. Counts over disjoint sets of cases add up
 * (addBaselineTallies), so the cases of each run can be counted as soon as that run is done.
 */
export interface BaselineTally {
  failures: number;
  /** Failures each baseline catches, in the order of the baselines counted. */
  caught: number[];
}

/** Whether each baseline catches one case, in the order of `baselines`. */
function baselineVerdicts(input: DetectorInput, baselines: readonly Baseline[]): boolean[] {
  // The canonical lowering once (two baselines compare against it), and each verdict once (the
  // unions reuse their parts' verdicts when those were evaluated first).
  let lowering: { outcome: CompilerOutcome | null } | undefined;
  const lowered = () => {
    if (!lowering) lowering = { outcome: canonicalLowering(input) };
    return lowering.outcome;
  };
  const verdicts = new Map<string, boolean>();
  return baselines.map((baseline) => {
    const parts = baseline.unionOf;
    const fires = parts?.every((name) => verdicts.has(name)) ? parts.some((name) => verdicts.get(name)) : baseline.fires(input, lowered);
    verdicts.set(baseline.name, fires);
    return fires;
  });
}

/**
 * Counts, for each baseline, the failing cases it catches. Cases that share one input object are
 * judged once: `judged` keeps each input's verdicts (pass the same map to several calls only with
 * the same baselines; workers/evidence-runs.ts gives cases with equal observations one input).
 */
export function tallyBaselines(
  cases: readonly EvidenceCase[],
  baselines: readonly Baseline[] = BASELINES,
  judged: Map<DetectorInput, boolean[]> = new Map(),
): BaselineTally {
  const failures = cases.filter((c) => c.failure);
  const caught = baselines.map(() => 0);
  for (const { input } of failures) {
    if (input === null) continue;
    let verdicts = judged.get(input);
    if (!verdicts) {
      verdicts = baselineVerdicts(input, baselines);
      judged.set(input, verdicts);
    }
    verdicts.forEach((fires, b) => {
      if (fires) caught[b]! += 1;
    });
  }
  return { failures: failures.length, caught };
}

/** The counts over the union of the (disjoint) case sets the tallies counted. */
export function addBaselineTallies(tallies: readonly BaselineTally[], baselines: readonly Baseline[] = BASELINES): BaselineTally {
  return {
    failures: tallies.reduce((n, t) => n + t.failures, 0),
    caught: baselines.map((_, b) => tallies.reduce((n, t) => n + t.caught[b]!, 0)),
  };
}

/** Each baseline's catch row, keyed by name in evidence-table order. */
export function baselineRows(tally: BaselineTally, baselines: readonly Baseline[] = BASELINES): Record<string, CatchRow> {
  return Object.fromEntries(baselines.map((b, i) => [b.name, catchRow(tally.caught[i]!, tally.failures)]));
}

/** Each baseline's catch counts over the failing cases, keyed by name in evidence-table order. */
export function evaluateBaselines(cases: readonly EvidenceCase[], baselines: readonly Baseline[] = BASELINES): Record<string, CatchRow> {
  return baselineRows(tallyBaselines(cases, baselines), baselines);
}

/** caught/total to `digits` decimals, half to even, in integer arithmetic so exact ties are exact. */
export function ratioHalfEven(caught: number, total: number, digits = 2): string {
  if (total === 0) return (0).toFixed(digits);
  const scale = 10 ** digits;
  const numerator = caught * scale;
  let n = Math.floor(numerator / total);
  const twiceRemainder = 2 * (numerator - n * total);
  if (twiceRemainder > total || (twiceRemainder === total && n % 2 === 1)) n += 1;
  return `${Math.floor(n / scale)}.${String(n % scale).padStart(digits, "0")}`;
}

/** `| Baseline | Failures caught | Catch rate |`, one row per entry in the table's order. */
export function catchTableMarkdown(table: Record<string, CatchRow>, heading = "Baseline"): string {
  const lines = [`| ${heading} | Failures caught | Catch rate |`, "| --- | --- | --- |"];
  for (const [name, row] of Object.entries(table)) lines.push(`| ${name} | ${row.caught}/${row.total_failures} | ${ratioHalfEven(row.caught, row.total_failures)} |`);
  return `${lines.join("\n")}\n`;
}
