import { canonicalLowering } from "../core/detect/compiler.ts";
import { detect } from "../core/detect/detect.ts";
import type { CanonicalView } from "../core/detect/types.ts";
import type { Domain } from "../core/domain/domain.ts";
import type { Detection, Observation, QueryResult } from "../core/model/observation.ts";
import type { SemanticPlan } from "../core/model/plan.ts";
import type { Principal } from "../core/model/policy.ts";
import type { Task } from "../core/model/suite.ts";
import { canonicalJson } from "../core/util/canonical-json.ts";
import type { Trace } from "../core/model/trace.ts";
import { parseMutationRef, stackFor } from "../core/mutants/registry.ts";
import { authorize } from "../core/oracle/authorize.ts";
import { account, differingOutputs } from "../core/report/accounting.ts";
import type { SqlFacts } from "../core/sql/analyze.ts";
import { REFERENCE_STACK, type StackVariant } from "../core/stack/variant.ts";
import type { Engine } from "./engines/engine.ts";
import { lowerStack, observeStack } from "./observe.ts";

export interface CaseContext {
  domain: Domain;
  engine: Engine;
  /** Memo of canonical views and observations; valid only while the state is unchanged. */
  memo: Map<string, Promise<unknown>> | null;
  /** Memoized SQL analysis (a pure function of the SQL text, so it is valid for the whole run). */
  analyze: (sql: string) => SqlFacts;
  /**
   * What the canonical policy and each stack make of a plan before anything runs: functions of
   * the domain, principal, plan and stack only, so valid across states (a witness reduction
   * replays one plan on hundreds of states). Null: recomputed every time.
   */
  lowerings: Lowerings | null;
}

/** Lowerings kept per engine; cleared whole when full (they are cheap to recompute). */
const KEPT_LOWERINGS = 4096;

export class Lowerings {
  private readonly kept = new Map<string, unknown>();

  get<T>(key: string, make: () => T): T {
    if (this.kept.has(key)) return this.kept.get(key) as T;
    const value = make();
    if (this.kept.size >= KEPT_LOWERINGS) this.kept.clear();
    this.kept.set(key, value);
    return value;
  }

  clear(): void {
    this.kept.clear();
  }
}

function lowering<T>(ctx: CaseContext, key: string, make: () => T): T {
  return ctx.lowerings ? ctx.lowerings.get(key, make) : make();
}


/** Stage results of one case, in pipeline order. */
export interface Evaluation {
  stack: StackVariant;
  principal: Principal;
  plan: SemanticPlan;
  canonical: CanonicalView;
  canonicalSql: string | null;
  /** The reference stack on the same case: null inside witness reduction, where only the verdict matters. */
  reference: Observation | null;
  observation: Observation;
  detection: Detection;
}

function memoized<T>(ctx: CaseContext, key: string, make: () => Promise<T>): Promise<T> {
  if (!ctx.memo) return make();
  let value = ctx.memo.get(key) as Promise<T> | undefined;
  if (!value) {
    value = make();
    ctx.memo.set(key, value);
  }
  return value;
}

/** What the canonical policy decides for a plan, and its lowering: nothing here touches the state. */
function canonicalStatics(domain: Domain, principal: Principal, plan: SemanticPlan) {
  const decision = authorize(domain.policy, principal, plan);
  const lowered = decision.obligations ? canonicalLowering(domain.policy, domain.database, plan, decision.obligations) : null;
  return { decision, lowered };
}

/** Stage 2: what the canonical policy says, executed on the state without the stack under test. */
async function canonicalStage(ctx: CaseContext, principal: Principal, plan: SemanticPlan, planKey: string) {
  const { domain, engine } = ctx;
  const { decision, lowered } = lowering(ctx, `canonical|${planKey}`, () => canonicalStatics(domain, principal, plan));
  const canonicalSql = lowered?.kind === "sql" ? lowered.sql : null;
  const session = { role: principal.role, tenantIds: principal.tenant_ids };
  // The session's probe first and the unrestricted query last: the stage that follows starts
  // unrestricted, and an engine that binds sessions (DuckDB) then switches less often.
  const containment = await engine.probe(REFERENCE_STACK.database, session);
  const result = canonicalSql ? await engine.query(REFERENCE_STACK.database, null, canonicalSql) : null;
  const canonical: CanonicalView = { decision, result, containment };
  return { canonical, canonicalSql, lowered };
}

/**
 * A plan's canonical JSON, kept per plan object: a witness reduction evaluates one reduced plan
 * object on hundreds of states, and plans are not changed once made.
 */
const planTexts = new WeakMap<SemanticPlan, string>();

function planText(plan: SemanticPlan): string {
  let text = planTexts.get(plan);
  if (text === undefined) {
    text = canonicalJson(plan);
    planTexts.set(plan, text);
  }
  return text;
}

/** Stage 1: the case's principal and stack, and the key its plan's results are memoized under. */
function resolve(ctx: CaseContext, task: Task, plan: SemanticPlan) {
  const principal = ctx.domain.policy.principals[task.principal];
  if (!principal) throw new Error(`unknown principal: ${task.principal}`);
  // The stack is a function of the mutation alone, and is not changed once made.
  const stack = lowering(ctx, `stackFor|${task.mutation}`, () => stackFor(REFERENCE_STACK, parseMutationRef(task.mutation)));
  return { principal, stack, planKey: `${principal.id}|${planText(plan)}` };
}

/**
 * Stages 1-4 of a case: resolve, canonical, observe, detect. An evaluation is a function of the
 * stack, principal, plan and state, so cases that share those share one (on the paper plan, 1,800
 * cases have 630 such triples): the detector does not run again for each copy.
 */
export function evaluate(ctx: CaseContext, task: Task, plan: SemanticPlan = task.semantic_query, withReference = true): Promise<Evaluation> {
  const resolved = resolve(ctx, task, plan);
  return memoized(ctx, `evaluation|${withReference}|${task.mutation}|${resolved.planKey}`, () => evaluateNow(ctx, task, plan, withReference, resolved));
}

async function evaluateNow(ctx: CaseContext, task: Task, plan: SemanticPlan, withReference: boolean, resolved: ReturnType<typeof resolve>): Promise<Evaluation> {
  const { principal, stack, planKey } = resolved;
  const { canonical, canonicalSql, lowered } = await memoized(ctx, `canonical|${planKey}`, () => canonicalStage(ctx, principal, plan, planKey));
  const observe = (key: string, variant: StackVariant) =>
    memoized(ctx, `observe|${key}|${planKey}`, () => {
      const stackLowered = lowering(ctx, `stack|${key}|${planKey}`, () => lowerStack(ctx.domain, variant, principal, plan, canonical.decision));
      return observeStack(ctx.domain, ctx.engine, variant, principal, plan, stackLowered);
    });
  const reference = withReference || task.mutation === "none" ? await observe("none", REFERENCE_STACK) : null;
  const observation = task.mutation === "none" && reference ? reference : await observe(task.mutation, stack);
  const detection = detect({
    policy: ctx.domain.policy,
    db: ctx.domain.database,
    observation,
    canonical,
    analyze: ctx.analyze,
    referenceLowering: lowered ?? undefined,
  });
  return { stack, principal, plan, canonical, canonicalSql, reference, observation, detection };
}

/**
 * The two unrestricted results of a case, and nothing else: the canonical lowering's and the stack's
 * own SQL before containment. evaluate runs both, through the same engine, so a full evaluation
 * that follows on the same state takes them from the engine's memo.
 */
export async function unrestrictedResults(ctx: CaseContext, task: Task, plan: SemanticPlan): Promise<{ canonical: QueryResult | null; before: QueryResult | null }> {
  const { principal, stack, planKey } = resolve(ctx, task, plan);
  const { decision, lowered } = lowering(ctx, `canonical|${planKey}`, () => canonicalStatics(ctx.domain, principal, plan));
  const compiler = lowering(ctx, `stack|${task.mutation}|${planKey}`, () => lowerStack(ctx.domain, stack, principal, plan, decision)).compiler;
  const canonical = lowered?.kind === "sql" ? await ctx.engine.query(REFERENCE_STACK.database, null, lowered.sql) : null;
  const before = compiler?.kind === "sql" ? await ctx.engine.query(stack.database, null, compiler.sql) : null;
  return { canonical, before };
}

/** A lowered query that fails even without containment is a stillborn mutant, not a detection. */
export function stillbornError(evaluation: Evaluation): string | null {
  const before = evaluation.observation.database.before_containment;
  return before?.kind === "error" ? `the lowered SQL fails on the unrestricted state: ${before.error}` : null;
}

/** Stage 5: the trace line of an evaluated case (witness path filled in by the minimize stage). */
export function traceOf(task: Task, evaluation: Evaluation): Trace {
  const { observation, detection, canonical, reference } = evaluation;
  const error = stillbornError(evaluation);
  const differences = reference ? differingOutputs(observation, reference) : [];
  const unobservable = observation.database.probe.unchecked;
  const databaseDrift = unobservable !== undefined && task.mutation !== "none" && parseMutationRef(task.mutation).some((op) => op.surface === "database");
  const { status, reason } = account(task.mutation !== "none", detection, differences, error, databaseDrift ? unobservable : undefined);
  const compiled = observation.compiler?.kind === "sql" ? observation.compiler : null;
  return {
    task_id: task.id,
    domain: task.domain,
    request: task.request,
    principal: task.principal,
    mutation: task.mutation,
    semantic_ir: task.semantic_query,
    policy_version: task.policy_version,
    surface_versions: task.surface_versions,
    canonical,
    observation,
    witness_class: detection.witness_class,
    expected_witness_class: task.expected_witness_class,
    localized_surface: detection.localized_surface,
    expected_localized_surface: task.expected_localized_surface,
    containment_layer: detection.containment_layer,
    expected_containment_layer: task.expected_containment_layer,
    failed_obligation: detection.failed_obligation,
    violations: detection.violations,
    distinguishing: compiled
      ? { canonical: canonical.result, before_containment: observation.database.before_containment, under_session: observation.database.under_session }
      : null,
    accounting_status: status,
    accounting_reason: reason,
    differs_from_reference: differences,
    witness_path: null,
    cost: { estimated: observation.compiler?.estimated_cost ?? canonical.decision.estimated_cost, tokens: 0, usd: 0 },
    error,
  };
}

/** A case that could not be executed at all still leaves a trace: nothing is lost silently. */
export function invalidTrace(task: Task, error: string): Trace {
  const principal = task.principal;
  return {
    task_id: task.id,
    domain: task.domain,
    request: task.request,
    principal,
    mutation: task.mutation,
    semantic_ir: task.semantic_query,
    policy_version: task.policy_version,
    surface_versions: task.surface_versions,
    canonical: null,
    observation: null,
    witness_class: "clean",
    expected_witness_class: task.expected_witness_class,
    localized_surface: null,
    expected_localized_surface: task.expected_localized_surface,
    containment_layer: null,
    expected_containment_layer: task.expected_containment_layer,
    failed_obligation: null,
    violations: [],
    distinguishing: null,
    accounting_status: "invalid",
    accounting_reason: `the case could not be executed: ${error}`,
    differs_from_reference: [],
    witness_path: null,
    cost: { estimated: 0, tokens: 0, usd: 0 },
    error,
  };
}
