import type { Domain } from "../core/domain/domain.ts";
import type { Task } from "../core/model/suite.ts";
import { canonicalJson } from "../core/util/canonical-json.ts";
import type { Witness } from "../core/model/witness.ts";
import type { Engine } from "./engines/engine.ts";
import { type CaseContext, evaluate, invalidTrace, Lowerings, traceOf } from "./evaluate.ts";
import { memoizedAnalyzer } from "./sql-analyses.ts";
import { threadMemory } from "./memory-governor.ts";
import { minimizeWitness, type RowReduction } from "./minimize.ts";
import { type Backend, domainForBackend, openEngine } from "./open-engine.ts";
import type { PgliteHost } from "./engines/pglite-host.ts";
import type { CaseResult } from "./run-store.ts";

/**
 * Runs cases on one engine, in this thread: the unit a worker of the pool holds, and what a
 * single-process run uses directly.
 */
export class CaseRunner {
  private readonly witnesses = new Map<string, Promise<Witness>>();
  private readonly rowReductions = new Map<string, Promise<RowReduction>>();

  private constructor(
    private readonly ctx: CaseContext,
    private readonly minimize: boolean,
    private readonly reuse: boolean,
  ) {}

  static async open(domain: Domain, backend: Backend | undefined, minimize: boolean, reuse: boolean, pglite?: PgliteHost): Promise<CaseRunner> {
    // The compiler, the detector's reference lowering and SQL analysis follow the backend's dialect.
    const target = domainForBackend(domain, backend);
    const engine = await openEngine(target, backend, pglite);
    const ctx: CaseContext = {
      domain: target,
      engine,
      memo: reuse ? new Map() : null,
      analyze: memoizedAnalyzer(target.database.dialect),
      lowerings: new Lowerings(),
    };
    return new CaseRunner(ctx, minimize, reuse);
  }

  get engine(): Engine {
    return this.ctx.engine;
  }

  async run(index: number, task: Task): Promise<CaseResult> {
    const started = performance.now();
    if (!this.reuse) {
      this.ctx.engine.forget?.();
      this.ctx.lowerings?.clear();
      this.witnesses.clear();
      this.rowReductions.clear();
    }
    const { trace, witness } = await this.runCase(task);
    threadMemory.tick();
    return { index, trace, witness, elapsed_ms: performance.now() - started };
  }

  private async runCase(task: Task) {
    try {
      const evaluation = await evaluate(this.ctx, task);
      const trace = traceOf(task, evaluation);
      if (trace.witness_class === "clean" || trace.accounting_status === "invalid" || !this.minimize) return { trace, witness: null };
      // Cases sharing stack, principal and plan share one reduction (it is a function of those and
      // the state), so which case computes it never changes the result.
      const key = `${task.mutation}|${task.principal}|${canonicalJson(task.semantic_query)}`;
      let reduction = this.witnesses.get(key);
      if (!reduction) {
        reduction = minimizeWitness(this.ctx, task, evaluation, this.rowReductions);
        this.witnesses.set(key, reduction);
      }
      const witness: Witness = { ...(await reduction), task_id: task.id, request: task.request, surface_versions: task.surface_versions };
      return { trace: { ...trace, witness_path: `witnesses/${task.id}.json` }, witness };
    } catch (error) {
      return { trace: invalidTrace(task, (error as Error).message), witness: null };
    }
  }

  close(): Promise<void> {
    return this.ctx.engine.close();
  }
}
