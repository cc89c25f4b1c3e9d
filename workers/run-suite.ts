import type { Domain } from "../core/domain/domain.ts";
import type { RunFreeze } from "../core/model/benchmark-manifest.ts";
import type { RunEvent } from "../core/model/events.ts";
import type { RunMetadata } from "../core/model/metadata.ts";
import type { Summary } from "../core/model/summary.ts";
import { MUTATION_OPERATORS, operatorsFor, registryDescriptor } from "../core/mutants/registry.ts";
import { SummaryBuilder } from "../core/report/summarize.ts";
import { type ShardSpec, shardIndices } from "../core/shards/assign.ts";
import { assignLanes } from "../core/shards/lanes.ts";
import type { LoadedSuite } from "../suites/load-suite.ts";
import { backendWeight, createExecutor, type Lanes } from "./executors.ts";
import { describeBackend, domainForBackend } from "./open-engine.ts";
import type { CaseCache } from "./case-cache.ts";
import type { CaseResult, RunStore } from "./run-store.ts";
import type { PreparedRun } from "./run-spec.ts";
import { TOOL_VERSION } from "./version.ts";

export interface RunOptions {
  prepared: PreparedRun;
  /** 1 runs in this thread; more runs a pool of worker threads, each with its own engine. */
  workers?: number;
  /** Only this shard's cases; `costs` (ms by case index) balance shards by recorded cost. */
  shard?: ShardSpec;
  costs?: ReadonlyMap<number, number>;
  /** Durable record of finished cases; cases already in it are not run again (resume). */
  store?: RunStore;
  /** Results of earlier runs; unchanged cases are taken from it instead of executed. */
  cache?: CaseCache;
  onEvent: (event: RunEvent) => void | Promise<void>;
  /**
   * Lanes shared with other runs (instead of `workers`), and the lane of each case (by index) when
   * the caller places case groups across runs: a group on the same lane in every run meets its
   * memoized results there.
   */
  lanes?: Lanes;
  laneOf?: (index: number) => number;
}

export function runMetadata(
  domain: Domain & { builtin: boolean },
  suite: LoadedSuite,
  backend: RunMetadata["backend"],
  shard?: ShardSpec,
  traceCount = suite.tasks.length,
  freeze?: RunFreeze,
): RunMetadata {
  const applicable = new Set(operatorsFor(domain.features).map((op) => op.id));
  return {
    tool: { name: "strata", version: TOOL_VERSION },
    domain: domain.name,
    builtin_domain: domain.builtin,
    suite: suite.name,
    generated_count: suite.generated_count,
    generated_seed: suite.generated_seed,
    suite_metadata: freeze ? { ...suite.metadata, detector_frozen: true, detector_freeze_id: freeze.benchmark_manifest_id } : suite.metadata,
    suite_provenance: suite.metadata.provenance,
    evidence_level: suite.metadata.evidence_level,
    policy_version: domain.policy.version,
    default_surface_versions: domain.surfaces.versions,
    surface_contracts: domain.surfaces.contracts,
    transition_obligations: domain.surfaces.transition_obligations,
    operators: registryDescriptor().filter((op) => applicable.has(op.id)),
    operators_not_applicable: MUTATION_OPERATORS.filter((op) => !applicable.has(op.id)).map((op) => op.id),
    backend,
    detector: { label_blind: true, sql_analysis: "node-sql-parser AST" },
    shard: shard ? { index: shard.index, total: shard.total } : null,
    trace_count: traceCount,
    ...(freeze ? { freeze } : {}),
  };
}

const BATCH = 16;
/** Batches each lane keeps queued at its worker, so the worker never idles between them. */
const IN_FLIGHT = 2;
/**
 * How far (in cases) a lane may run ahead of the first case not yet reported. Results wait in
 * memory until every earlier case is reported, so this bounds memory when lanes run at
 * different speeds.
 */
const WINDOW = 4_096;
/**
 * Weighted distinct cases (see lanesFor) a lane needs before a worker thread pays for its start:
 * its own engine, its own JIT warm-up, and the canonical results it cannot share with the other
 * lanes. STRATA_MIN_WORK_PER_LANE overrides it (0 always uses every worker, as the tests of the
 * pool do).
 */
const MIN_WORK_PER_LANE = 150;

/**
 * How many lanes a run uses: at most `workers`, one per group at most, and only as many as its
 * work fills. Work is the number of distinct cases (all pending cases without reuse), weighted by
 * the backend's cost per case. On 2 cores, a 500-case generated PGlite suite (142 distinct cases)
 * ran faster in one thread, a 300-case DuckDB suite (163 distinct, weighted 489) on two.
 */
export function lanesFor(prepared: PreparedRun, pending: readonly number[], groups: readonly number[], workers: number): number {
  const { suite, spec, domain } = prepared;
  const distinct = spec.reuse ? new Set(pending.map((index) => suite.tasks.workOf(index))).size : pending.length;
  const work = distinct * backendWeight(spec.backend ?? domain.database.default_backend);
  const override = Number(process.env.STRATA_MIN_WORK_PER_LANE);
  const perLane = process.env.STRATA_MIN_WORK_PER_LANE !== undefined && Number.isFinite(override) && override >= 0 ? override : MIN_WORK_PER_LANE;
  const filled = perLane === 0 ? workers : Math.floor(work / perLane);
  return Math.max(1, Math.min(workers, filled, new Set(groups).size));
}

/**
 * Runs a suite through the numbered stages (resolve, canonical, observe, detect, account,
 * minimize) on an executor, commits each result to the store as it arrives, and reports
 * `case_finished` events in canonical case order whatever the completion order, so live,
 * parallel, resumed and sharded runs feed reporters the same stream.
 */
export async function runSuite(options: RunOptions): Promise<Summary> {
  const { prepared, store } = options;
  const { domain, suite } = prepared;
  const backend = prepared.spec.backend ?? domain.database.default_backend;
  // A domain the backend cannot run is the user's to fix (exit 2), not a worker failure to retry.
  domainForBackend(domain, backend);
  const indices = options.shard ? shardIndices(suite.tasks.length, options.shard, options.costs) : Array.from({ length: suite.tasks.length }, (_, i) => i);
  const done = store?.doneIndices() ?? new Set<number>();
  const ready = new Map<number, CaseResult>();
  const cached: CaseResult[] = [];
  /** Positions (in `indices`) of the cases still to execute. */
  const pending: number[] = [];
  indices.forEach((i, position) => {
    if (done.has(i)) return;
    const hit = options.cache?.get(i, suite.tasks.at(i));
    if (hit) cached.push(hit);
    else pending.push(position);
  });
  if (cached.length > 0) {
    store?.record(cached);
    for (const r of cached) ready.set(r.index, r);
  }
  const groups = pending.map((position) => suite.tasks.groupOf(indices[position]!));
  const lanes = lanesFor(
    prepared,
    pending.map((position) => indices[position]!),
    groups,
    options.workers ?? 1,
  );
  const executor = pending.length === 0 ? null : options.lanes ? options.lanes.executor(prepared) : createExecutor(prepared, lanes);
  const summary = new SummaryBuilder();
  let cursor = 0;
  let waiting: { position: number; resume: () => void }[] = [];
  const windowOpen = (position: number): Promise<void> | undefined =>
    position - cursor <= WINDOW ? undefined : new Promise((resume) => waiting.push({ position, resume }));
  // Emission is serialized: results arriving while an earlier flush awaits a reporter wait their turn.
  let emitting = Promise.resolve();
  const flush = () => {
    emitting = emitting.then(async () => {
      while (cursor < indices.length) {
        const index = indices[cursor]!;
        const result = ready.get(index) ?? (done.has(index) ? store!.get(index) : null);
        if (!result) break;
        ready.delete(index);
        summary.add(result.trace);
        await options.onEvent({ type: "case_finished", ...result });
        cursor++;
      }
      const open = waiting.filter((w) => w.position - cursor <= WINDOW);
      waiting = waiting.filter((w) => w.position - cursor > WINDOW);
      for (const w of open) w.resume();
    });
    return emitting;
  };

  try {
    await options.onEvent({ type: "run_started", metadata: runMetadata(domain, suite, await describeBackend(backend), options.shard, indices.length, prepared.spec.freeze) });
    await flush();
    if (executor) {
      const laneOf = options.laneOf ? pending.map((position) => options.laneOf!(indices[position]!)) : assignLanes(groups, executor.lanes);
      const queues: number[][] = Array.from({ length: executor.lanes }, () => []);
      pending.forEach((position, k) => {
        queues[laneOf[k]!]!.push(position);
      });
      // Once one lane fails the run is over: the others dispatch nothing more and report nothing.
      let stopped = false;
      const runLane = async (lane: number, queue: number[]) => {
        let next = 0;
        const feed = async () => {
          while (next < queue.length && !stopped) {
            const batch = queue.slice(next, next + BATCH);
            next += batch.length;
            await windowOpen(batch[0]!);
            let results: CaseResult[];
            try {
              results = await executor.run(
                lane,
                batch.map((position) => indices[position]!),
              );
            } catch (error) {
              stopped = true;
              throw error;
            }
            if (stopped) return;
            store?.record(results);
            options.cache?.put(results, suite.tasks);
            for (const r of results) ready.set(r.index, r);
            await flush();
          }
        };
        await Promise.all(Array.from({ length: IN_FLIGHT }, feed));
      };
      await Promise.all(queues.map((queue, lane) => runLane(lane, queue)));
    }
    await flush();
    if (cursor !== indices.length) throw new Error(`internal: ${indices.length - cursor} case(s) never reported`);
    const result = summary.build();
    await options.onEvent({ type: "run_finished", summary: result });
    return result;
  } finally {
    await executor?.close();
  }
}
