import type { Detection, QueryResult } from "../core/model/observation.ts";
import type { SemanticPlan } from "../core/model/plan.ts";
import type { Task } from "../core/model/suite.ts";
import type { Witness } from "../core/model/witness.ts";
import { ddmin } from "../core/minimize/ddmin.ts";
import { sameResult } from "../core/observe/rows.ts";
import { SURFACES } from "../core/model/identifiers.ts";
import { type DatabaseKnobs, REFERENCE_STACK } from "../core/stack/variant.ts";
import type { RowRef } from "./engines/engine.ts";
import { readRows } from "./read-rows.ts";
import { type CaseContext, type Evaluation, evaluate, stillbornError, unrestrictedResults } from "./evaluate.ts";

type PlanPart = { kind: "dimension"; name: string } | { kind: "filter"; key: string } | { kind: "limit" } | { kind: "time_range" };

/**
 * Whether the stack's unrestricted rows differ from the canonical ones. A reduction asks it of the
 * same original at every test (comparing its full-state results again each time), so the answer is
 * kept per evaluation, which never changes once made.
 */
const differs = new WeakMap<Evaluation, boolean>();

function rowsDiffer(e: Evaluation): boolean {
  let known = differs.get(e);
  if (known === undefined) {
    const before = e.observation.database.before_containment;
    known = before !== null && e.canonical.result !== null && !sameResult(before, e.canonical.result);
    differs.set(e, known);
  }
  return known;
}

/**
 * What preserves() would say of a candidate, when its two unrestricted results alone already say
 * no: the stack's SQL fails on the candidate (a stillborn reduction), or the original's rows
 * differ and the candidate's do not. False when the full evaluation must decide. Most rejected
 * reductions are settled here, without the probes and session queries of a full evaluation.
 */
export function rejectsEarly(original: Evaluation, candidate: { canonical: QueryResult | null; before: QueryResult | null }): boolean {
  const { canonical, before } = candidate;
  if (before?.kind === "error") return true;
  return rowsDiffer(original) && !(before !== null && canonical !== null && !sameResult(before, canonical));
}

/** A reduction is kept only if the verdict and the distinguishing observation survive it. */
export function preserves(original: Evaluation, candidate: Evaluation): boolean {
  const a: Detection = original.detection;
  const b: Detection = candidate.detection;
  return (
    stillbornError(candidate) === null &&
    a.witness_class === b.witness_class &&
    a.localized_surface === b.localized_surface &&
    a.containment_layer === b.containment_layer &&
    a.failed_obligation === b.failed_obligation &&
    (!rowsDiffer(original) || rowsDiffer(candidate))
  );
}

function planFrom(original: SemanticPlan, kept: PlanPart[], defaults: { limit: number; time_range: string }): SemanticPlan {
  const has = (part: PlanPart) => kept.some((k) => JSON.stringify(k) === JSON.stringify(part));
  return {
    metric: original.metric,
    dimensions: original.dimensions.filter((name) => has({ kind: "dimension", name })),
    filters: Object.fromEntries(Object.entries(original.filters).filter(([key]) => has({ kind: "filter", key }))),
    time_range: has({ kind: "time_range" }) ? original.time_range : defaults.time_range,
    grain: original.grain,
    limit: has({ kind: "limit" }) ? original.limit : defaults.limit,
  };
}

/**
 * Stage 6: delta debugging over the plan (dimensions, filters, limit, time range) and then over
 * the rows of the state, keeping each reduction only when the witness survives it.
 */
export async function minimizeWitness(
  ctx: CaseContext,
  task: Task,
  original: Evaluation,
  rowReductions: Map<string, Promise<RowReduction>> = new Map(),
  options: { fromReadRows?: boolean } = {},
): Promise<Witness> {
  // Memoization is sound within one test (the state is fixed), never across tests.
  const evaluateNow = (plan: SemanticPlan) => evaluate({ ...ctx, memo: new Map() }, task, plan, false);
  // A candidate plan or state keeps the witness when preserves() says so; rejectsEarly() settles
  // most of those that do not on two queries.
  const keeps = async (target: Evaluation, plan: SemanticPlan) =>
    !rejectsEarly(target, await unrestrictedResults(ctx, task, plan)) && preserves(target, await evaluateNow(plan));
  const variants = [REFERENCE_STACK.database, original.stack.database];
  const role = ctx.domain.policy.roles[original.principal.role]!;
  const defaults = {
    limit: Math.min(100, role.max_rows),
    time_range: role.allowed_time_ranges.find((r) => ctx.domain.database.time_ranges[r]?.calendar === "gregorian") ?? task.semantic_query.time_range,
  };
  const plan = task.semantic_query;
  const parts: PlanPart[] = [
    ...plan.dimensions.map((name) => ({ kind: "dimension", name }) as const),
    ...Object.keys(plan.filters).map((key) => ({ kind: "filter", key }) as const),
    ...(plan.limit !== defaults.limit ? [{ kind: "limit" } as const] : []),
    ...(plan.time_range !== defaults.time_range ? [{ kind: "time_range" } as const] : []),
  ];
  const planSearch = await ddmin(parts, (kept) => keeps(original, planFrom(plan, kept, defaults)));
  const reducedPlan = planFrom(plan, planSearch.kept, defaults);
  let reduced = planSearch.kept.length === parts.length ? original : await evaluateNow(reducedPlan);

  // Plans that reduce to the same plan share one row reduction: it depends only on the reduced plan.
  const rowKey = `${task.mutation}|${task.principal}|${JSON.stringify(reducedPlan)}`;
  let rows = rowReductions.get(rowKey);
  if (!rows) {
    const target = reduced;
    rows = reduceRows(ctx, target, () => keeps(target, reducedPlan), () => evaluateNow(reducedPlan), variants, options.fromReadRows ?? true);
    rowReductions.set(rowKey, rows);
  }
  const rowSearch = await rows;
  reduced = rowSearch.evaluation;

  const { observation, detection, canonical } = reduced;
  const decisions: Witness["decisions"] = {};
  for (const surface of SURFACES) {
    const found = detection.violations.filter((v) => v.surface === surface);
    decisions[surface] = { allowed: found.length === 0, reasons: found.flatMap((v) => v.reasons) };
  }
  return {
    task_id: task.id,
    domain: task.domain,
    mutation_under_test: task.mutation,
    witness_class: detection.witness_class as Witness["witness_class"],
    localized_surface: detection.localized_surface!,
    containment_layer: detection.containment_layer,
    failed_obligation: detection.failed_obligation!,
    principal: original.principal,
    request: task.request,
    semantic_ir: reducedPlan,
    original_semantic_ir: plan,
    surface_versions: task.surface_versions,
    contracts: { ...ctx.domain.surfaces.contracts },
    decisions,
    obligations: canonical.decision.obligations,
    compiled_sql: observation.compiler?.kind === "sql" ? observation.compiler.sql : null,
    canonical_sql: reduced.canonicalSql,
    state: { rows: rowSearch.kept, original_row_count: rowSearch.original_row_count },
    distinguishing: {
      canonical: canonical.result,
      before_containment: observation.database.before_containment,
      under_session: observation.database.under_session,
    },
    release: observation.release,
    violations: detection.violations,
    minimization: { plan_tests: planSearch.tests, row_tests: rowSearch.tests, one_minimal: true },
  };
}

export interface RowReduction {
  kept: RowRef[];
  tests: number;
  original_row_count: number;
  evaluation: Evaluation;
}

/**
 * The empty state first (a witness that needs no row is settled by one test); then the rows the
 * case reads (workers/read-rows.ts) if they keep the witness, else the whole state; from there
 * whole tables, then single rows of what is left. `keeps` tests the reduced plan on the current
 * state; `run` evaluates it there. Starting from the rows read took about 30% fewer tests on the
 * paper plan (docs/benchmarks.md, session 12); `fromReadRows` false starts from the whole state.
 */
async function reduceRows(
  ctx: CaseContext,
  target: Evaluation,
  keeps: () => Promise<boolean>,
  run: () => Promise<Evaluation>,
  variants: DatabaseKnobs[],
  fromReadRows: boolean,
): Promise<RowReduction> {
  const allRows = await ctx.engine.rows();
  // A state's verdict is a function of the state (the plan is fixed): ddmin's last sweep asks again
  // about states it has already tested, and those are answered here. `tests` counts states tested.
  const verdicts = new Map<string, Promise<boolean>>();
  let tests = 0;
  const keptOn = (rows: RowRef[]) => {
    // Every candidate keeps the state's order, so equal sets give equal keys without sorting.
    const key = rows.map((r) => `${r.table}\u0000${r.key}`).join("\u0001");
    let verdict = verdicts.get(key);
    if (!verdict) {
      tests++;
      verdict = ctx.engine.withRows(rows, variants, keeps);
      verdicts.set(key, verdict);
    }
    return verdict;
  };
  const finish = async (kept: RowRef[]) => ({
    kept,
    tests,
    original_row_count: allRows.length,
    evaluation: await ctx.engine.withRows(kept, variants, run),
  });
  if (allRows.length === 0) return finish([]);
  if (await keptOn([])) return finish([]);
  let start = allRows;
  const read = fromReadRows ? await readRows(ctx, target, allRows) : null;
  if (read !== null && read.length < allRows.length && (await keptOn(read))) start = read;
  const tables = [...new Set(start.map((r) => r.table))];
  const tableSearch = await ddmin(tables, (kept) => keptOn(start.filter((r) => kept.includes(r.table))), { emptyFails: true });
  const candidates = start.filter((r) => tableSearch.kept.includes(r.table));
  const rowSearch = await ddmin(candidates, keptOn, { emptyFails: true });
  return finish(rowSearch.kept);
}
