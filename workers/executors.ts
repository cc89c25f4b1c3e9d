import Piscina from "piscina";
import { compiledPglite, usePgliteModule } from "./engines/pglite-snapshot.ts";
import { invalidTrace } from "./evaluate.ts";
import { type Backend, collectLeftovers } from "./open-engine.ts";
import { type Batch, type BatchResult, casesDigest, ENGINE_FAILED, fromWire, PING } from "./pool/case-worker.ts";
import { threadMemory } from "./memory-governor.ts";
import { adoptAnalyses } from "./sql-analyses.ts";
import { RunnerCache } from "./runner-cache.ts";
import type { CaseResult } from "./run-store.ts";
import type { PreparedRun } from "./run-spec.ts";

/**
 * Where one run's cases execute: this thread, or worker threads that each own an engine. A run
 * sends each case to a lane (see core/shards/lanes.ts); lane i is always the same worker, so what
 * one case memoizes serves the other cases of its group.
 */
export interface CaseExecutor {
  readonly lanes: number;
  run(lane: number, indices: number[]): Promise<CaseResult[]>;
  close(): Promise<void>;
}

/**
 * Lanes that can outlive a run. `strata reproduce` runs every suite of a domain on the same lanes,
 * so the results and witness reductions one suite memoizes serve the others; a plain run opens
 * its own lanes and closes them with the run.
 */
export interface Lanes {
  readonly count: number;
  /** How many lanes are worker threads; the others run in the calling thread. */
  readonly workerThreads: number;
  executor(prepared: PreparedRun): CaseExecutor;
  close(): Promise<void>;
}

/**
 * Rough cost of executing one distinct case on a backend, relative to PGlite: per query, DuckDB
 * costs about three times as much and SQLite about a third. It only decides how many lanes a run
 * uses and where its work goes; results never depend on it.
 */
export function backendWeight(backend: string): number {
  return ({ pglite: 1, duckdb: 3, sqlite: 0.3 } as Record<string, number>)[backend] ?? 1;
}

/**
 * Cost of one distinct case when runs share lanes (`strata reproduce`), relative to PGlite. There a
 * domain's runs share its witness reductions, which are most of a case's cost, and DuckDB's states
 * are small: a distinct analytics case then costs about what a support case does. Measured on the
 * paper plan, weighing DuckDB 1 instead of 3 balanced the two lanes better (11.05 s against 11.44 s,
 * medians of 7). Like backendWeight, it never changes a result.
 */
export function sharedLaneWeight(backend: string): number {
  return backend === "duckdb" ? 1 : backendWeight(backend);
}

/** The machine's cores: what `--workers` defaults to. */
export function defaultWorkers(): number {
  return Math.max(1, navigator.hardwareConcurrency || 1);
}

/**
 * One lane in this thread. It keeps one engine open: its runs come one engine identity at a time
 * (a plain run has one; `strata reproduce` orders them so), and an engine is this thread's memory.
 */
class ThreadLanes implements Lanes {
  readonly count = 1;
  readonly workerThreads = 0;
  private readonly runners: RunnerCache;

  /** `kept`: engines kept open; more than one when runs of several engine identities share the lane. */
  constructor(kept = 1) {
    this.runners = new RunnerCache(kept);
  }

  /** One engine runs one case at a time: witness reduction changes its state inside a transaction. */
  private queue: Promise<unknown> = Promise.resolve();

  executor(prepared: PreparedRun): CaseExecutor {
    return {
      lanes: 1,
      run: (_lane, indices) => {
        const next = this.queue.then(() => this.runNow(prepared, indices));
        this.queue = next.catch(() => undefined);
        return next;
      },
      close: async () => {},
    };
  }

  private async runNow(prepared: PreparedRun, indices: number[]): Promise<CaseResult[]> {
    const runner = await this.runners.get(prepared.spec, prepared.domain);
    const results: CaseResult[] = [];
    for (const index of indices) {
      results.push(await runner.run(index, prepared.suite.tasks.at(index)));
      // The event loop turns after each case. An engine that works synchronously (PGlite, SQLite)
      // settles its queries as microtasks only, and would otherwise hold this thread for the whole
      // batch while the worker lanes (MixedLanes) wait to hand in their results and get more work.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return results;
  }

  close(): Promise<void> {
    return this.runners.close();
  }
}

const MAX_ATTEMPTS = 3;
const PING_TIMEOUT_MS = 60_000;

/**
 * One single-thread Piscina pool per lane, so a lane's cases always reach the worker that holds
 * their memoized results. Piscina replaces a crashed worker.
 */
class PoolLanes implements Lanes {
  pools: Piscina[] = [];
  readonly workerThreads: number;
  private ready: Promise<void> | null = null;
  private readonly backends = new Set<Backend | undefined>();
  private readonly executors: PoolExecutor[] = [];

  constructor(
    readonly count: number,
    private readonly withPglite: boolean,
  ) {
    this.workerThreads = count;
    // Threads start now, while the caller still prepares its runs; a failure surfaces at the first batch.
    this.whenReady().catch(() => {});
  }

  executor(prepared: PreparedRun): CaseExecutor {
    this.backends.add(prepared.spec.backend);
    const executor = new PoolExecutor(prepared, this);
    this.executors.push(executor);
    return executor;
  }

  /**
   * A worker whose script cannot load would leave tasks waiting forever; a ping with a deadline
   * turns that into an error before the first batch.
   */
  whenReady(): Promise<void> {
    this.ready ??= (async () => {
      // Several workers share a module compiled once here: each compiling PGlite's WASM itself
      // costs CPU the cases need. A single worker compiles its own while this thread prepares the
      // runs: it starts about 0.35 s sooner than after a compile here, and this thread does not
      // spend the 150 ms.
      const shared = this.withPglite && this.count > 1;
      const workerData = shared ? { pgliteWasmModule: await compiledPglite() } : { compilePglite: this.withPglite };
      this.pools = Array.from(
        { length: this.count },
        () => new Piscina({ filename: new URL("./pool/case-worker.ts", import.meta.url).href, minThreads: 1, maxThreads: 1, idleTimeout: 60_000, workerData }),
      );
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`worker threads did not start within ${PING_TIMEOUT_MS / 1000} s`)), PING_TIMEOUT_MS);
      });
      try {
        await Promise.race([Promise.all(this.pools.map((pool) => pool.run(PING))), deadline]);
      } finally {
        clearTimeout(timer);
      }
    })();
    return this.ready;
  }

  async close(): Promise<void> {
    // Every run still using these lanes learns first that their end is not a failure of its cases:
    // the batches the destroyed threads abort are not recorded as invalid in any run's store.
    for (const executor of this.executors) await executor.close();
    // Threads still starting would otherwise be created after this and outlive the lanes.
    await this.ready?.catch(() => {});
    await Promise.all(this.pools.map((pool) => pool.destroy()));
    // Terminated threads never closed their engines; a server keeps what they created.
    for (const backend of this.backends) await collectLeftovers(backend);
  }
}

/** One run's cases on pool lanes; failures are retried a bounded number of times on the same lane. */
class PoolExecutor implements CaseExecutor {
  private readonly digest: string;
  private closed = false;
  readonly lanes: number;

  constructor(
    private readonly prepared: PreparedRun,
    private readonly pool: PoolLanes,
  ) {
    this.digest = casesDigest(prepared);
    this.lanes = pool.count;
  }

  private async attempt(lane: number, indices: number[], tries: number): Promise<CaseResult[] | Error> {
    await this.pool.whenReady();
    const batch: Batch = { spec: this.prepared.spec, casesDigest: this.digest, indices };
    let last = new Error("not run");
    for (let attempt = 0; attempt < tries; attempt++) {
      try {
        const { results, analyses } = (await this.pool.pools[lane]!.run(batch)) as BatchResult;
        adoptAnalyses(analyses);
        // Results from a worker are garbage here once written. Cases of this thread's own lane are
        // counted by its runner: counting them here too made a reproduction collect in full once
        // (about 70 ms of this thread) at 2,000 of its 1,800 cases.
        threadMemory.tick(results.length);
        return results.map(fromWire);
      } catch (error) {
        last = error instanceof Error ? error : new Error(String(error));
        if (last.message.includes(ENGINE_FAILED)) throw new Error(last.message.slice(last.message.indexOf(ENGINE_FAILED) + ENGINE_FAILED.length));
      }
    }
    return last;
  }

  /**
   * A batch whose worker crashed is retried; if it keeps failing, its cases are retried one by
   * one, and a case that still fails is recorded as invalid with the error, never lost.
   */
  async run(lane: number, indices: number[]): Promise<CaseResult[]> {
    const whole = await this.attempt(lane, indices, MAX_ATTEMPTS);
    if (!(whole instanceof Error)) return whole;
    if (this.closed) throw whole;
    const results: CaseResult[] = [];
    for (const index of indices) {
      const one = await this.attempt(lane, [index], MAX_ATTEMPTS);
      if (!(one instanceof Error)) results.push(...one);
      else {
        // Aborted because the run is closing, not because this case fails: nothing to record.
        if (this.closed) throw one;
        const task = this.prepared.suite.tasks.at(index);
        results.push({ index, trace: invalidTrace(task, `worker failed ${MAX_ATTEMPTS} times: ${one.message}`), witness: null, elapsed_ms: 0 });
      }
    }
    return results;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/**
 * Whether a backend's queries run in the calling thread (PGlite's WebAssembly, bun:sqlite) rather
 * than on threads of their own (DuckDB's addon pool) or in a server.
 */
export function runsInCallingThread(backend: string): boolean {
  return backend === "pglite" || backend === "sqlite";
}

/**
 * Lane 0 in this thread, the others in worker threads, when some work waits on a database running
 * on threads of its own (DuckDB executes on the addon's thread pool). Lane 0 takes the engines that
 * run in the calling thread (the caller places units so, see workers/reproduce.ts): their results,
 * most of the paper plan's cases, then never cross threads, and a worker that waits on DuckDB costs
 * little CPU. One JavaScript engine fewer compiles the same code (see docs/benchmarks.md).
 */
class MixedLanes implements Lanes {
  private readonly thread = new ThreadLanes(4);
  private readonly pool: PoolLanes;

  constructor(
    readonly count: number,
    withPglite: boolean,
  ) {
    // PGlite runs here: it compiles now, in the background, while the runs are prepared. A lone
    // worker is then left the DuckDB work and compiles PGlite only if a PGlite case reaches it;
    // several workers get the module this thread compiles (PoolLanes), the same one it uses.
    if (withPglite) usePgliteModule("compile-here");
    this.pool = new PoolLanes(count - 1, withPglite && count - 1 > 1);
  }

  get workerThreads(): number {
    return this.pool.workerThreads;
  }

  executor(prepared: PreparedRun): CaseExecutor {
    const here = this.thread.executor(prepared);
    const there = this.pool.executor(prepared);
    return {
      lanes: this.count,
      run: (lane, indices) => (lane === 0 ? here.run(0, indices) : there.run(lane - 1, indices)),
      close: () => there.close(),
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.thread.close(), this.pool.close()]);
  }
}

/**
 * `count` lanes: this thread for one, worker threads otherwise (given PGlite's compiled module when
 * one will run it). `threadLane`: lane 0 is this thread even when there are more (see MixedLanes).
 */
export function openLanes(count: number, withPglite: boolean, options: { threadLane?: boolean } = {}): Lanes {
  if (count <= 1) return new ThreadLanes();
  return options.threadLane ? new MixedLanes(count, withPglite) : new PoolLanes(count, withPglite);
}

/** Lanes for one run, closed with its executor. */
export function createExecutor(prepared: PreparedRun, workers: number): CaseExecutor {
  const backend = prepared.spec.backend ?? prepared.domain.database.default_backend;
  const lanes = openLanes(workers, backend === "pglite");
  const executor = lanes.executor(prepared);
  return { lanes: executor.lanes, run: (lane, indices) => executor.run(lane, indices), close: () => lanes.close() };
}
