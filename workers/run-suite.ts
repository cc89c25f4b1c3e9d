import type { Domain } from "../core/domain/domain.ts";
import type { RunEvent } from "../core/model/events.ts";
import type { RunMetadata } from "../core/model/metadata.ts";
import { normalizePlan } from "../core/model/plan.ts";
import type { Task } from "../core/model/suite.ts";
import type { Summary } from "../core/model/summary.ts";
import type { Witness } from "../core/model/witness.ts";
import { MUTATION_OPERATORS, operatorsFor, registryDescriptor } from "../core/mutants/registry.ts";
import { SummaryBuilder } from "../core/report/summarize.ts";
import type { LoadedSuite } from "../suites/load-suite.ts";
import { type CaseContext, evaluate, invalidTrace, memoizedAnalyzer, traceOf } from "./evaluate.ts";
import { minimizeWitness, type RowReduction } from "./minimize.ts";
import { type Backend, CONTAINMENT_DESCRIPTION, openEngine } from "./open-engine.ts";
import { TOOL_VERSION } from "./version.ts";

export interface RunOptions {
  domain: Domain & { builtin: boolean };
  suite: LoadedSuite;
  backend?: Backend;
  minimize?: boolean;
  /**
   * Reuse results across cases that share principal, plan and stack (the state never changes
   * during a run, so the results are the same). Off: every case executes every query itself.
   */
  reuse?: boolean;
  onEvent: (event: RunEvent) => void | Promise<void>;
}

export function runMetadata(domain: Domain & { builtin: boolean }, suite: LoadedSuite, backend: Backend): RunMetadata {
  const applicable = new Set(operatorsFor(domain.features).map((op) => op.id));
  return {
    tool: { name: "strata", version: TOOL_VERSION },
    domain: domain.name,
    builtin_domain: domain.builtin,
    suite: suite.name,
    generated_count: suite.generated_count,
    generated_seed: suite.generated_seed,
    suite_metadata: suite.metadata,
    suite_provenance: suite.metadata.provenance,
    evidence_level: suite.metadata.evidence_level,
    policy_version: domain.policy.version,
    default_surface_versions: domain.surfaces.versions,
    surface_contracts: domain.surfaces.contracts,
    transition_obligations: domain.surfaces.transition_obligations,
    operators: registryDescriptor().filter((op) => applicable.has(op.id)),
    operators_not_applicable: MUTATION_OPERATORS.filter((op) => !applicable.has(op.id)).map((op) => op.id),
    backend: { name: backend, dialect: domain.database.dialect, containment: CONTAINMENT_DESCRIPTION[backend] },
    detector: { label_blind: true, sql_analysis: "node-sql-parser AST" },
    trace_count: suite.tasks.length,
  };
}

/**
 * Runs a suite case by case through the numbered stages (resolve, canonical, observe, detect,
 * account, minimize) and reports each finished case as an event, in canonical case order.
 * Nothing per case is kept: consumers take what they need from the events.
 */
export async function runSuite(options: RunOptions): Promise<Summary> {
  const { domain, suite } = options;
  const backend = options.backend ?? domain.database.default_backend;
  const engine = await openEngine(domain, backend);
  const reuse = options.reuse ?? true;
  const ctx: CaseContext = { domain, engine, memo: reuse ? new Map() : null, analyze: memoizedAnalyzer(domain.database.dialect) };
  const witnesses = new Map<string, Promise<Witness>>();
  const rowReductions = new Map<string, Promise<RowReduction>>();
  const summary = new SummaryBuilder();
  try {
    await options.onEvent({ type: "run_started", metadata: runMetadata(domain, suite, backend) });
    for (const [index, task] of suite.tasks.entries()) {
      const started = performance.now();
      if (!reuse) {
        engine.forget?.();
        witnesses.clear();
        rowReductions.clear();
      }
      const { trace, witness } = await runCase(ctx, task, options.minimize ?? true, witnesses, rowReductions);
      summary.add(trace);
      await options.onEvent({ type: "case_finished", index, trace, witness, elapsed_ms: performance.now() - started });
    }
    const result = summary.build();
    await options.onEvent({ type: "run_finished", summary: result });
    return result;
  } finally {
    await engine.close();
  }
}

async function runCase(ctx: CaseContext, task: Task, minimize: boolean, witnesses: Map<string, Promise<Witness>>, rowReductions: Map<string, Promise<RowReduction>>) {
  try {
    const evaluation = await evaluate(ctx, task);
    const trace = traceOf(task, evaluation);
    if (trace.witness_class === "clean" || trace.accounting_status === "invalid" || !minimize) return { trace, witness: null };
    // Cases that share a stack, principal and plan share one reduction; only the case fields differ.
    const key = `${task.mutation}|${task.principal}|${JSON.stringify(normalizePlan(task.semantic_query))}`;
    let reduction = witnesses.get(key);
    if (!reduction) {
      reduction = minimizeWitness(ctx, task, evaluation, rowReductions);
      witnesses.set(key, reduction);
    }
    const witness: Witness = { ...(await reduction), task_id: task.id, request: task.request, surface_versions: task.surface_versions };
    return { trace: { ...trace, witness_path: `witnesses/${task.id}.json` }, witness };
  } catch (error) {
    return { trace: invalidTrace(task, (error as Error).message), witness: null };
  }
}
