import Piscina from "piscina";
import { CaseRunner } from "./case-runner.ts";
import { compiledPglite } from "./engines/pglite-snapshot.ts";
import { invalidTrace } from "./evaluate.ts";
import { collectLeftovers } from "./open-engine.ts";
import { type Batch, casesDigest, ENGINE_FAILED, fromWire, PING, type WireResult } from "./pool/case-worker.ts";
import type { CaseResult } from "./run-store.ts";
import type { PreparedRun } from "./run-spec.ts";

/**
 * Where cases execute: this thread, or worker threads that each own an engine. A run sends each
 * case to a lane (see core/shards/lanes.ts); lane i is always the same worker, so what one case
 * memoizes serves the other cases of its group.
 */
export interface CaseExecutor {
  readonly lanes: number;
  run(lane: number, indices: number[]): Promise<CaseResult[]>;
  close(): Promise<void>;
}

/** The machine's cores: what `--workers` defaults to. */
export function defaultWorkers(): number {
  return Math.max(1, navigator.hardwareConcurrency || 1);
}

class InProcessExecutor implements CaseExecutor {
  readonly lanes = 1;
  private runner: Promise<CaseRunner> | null = null;
  /** One engine runs one case at a time: witness reduction changes its state inside a transaction. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly prepared: PreparedRun) {}

  run(_lane: number, indices: number[]): Promise<CaseResult[]> {
    const next = this.queue.then(() => this.runNow(indices));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runNow(indices: number[]): Promise<CaseResult[]> {
    const { domain, spec, suite } = this.prepared;
    this.runner ??= CaseRunner.open(domain, spec.backend, spec.minimize, spec.reuse);
    const runner = await this.runner;
    const results: CaseResult[] = [];
    for (const index of indices) results.push(await runner.run(index, suite.tasks.at(index)));
    return results;
  }

  async close(): Promise<void> {
    if (this.runner) await (await this.runner).close();
  }
}

const MAX_ATTEMPTS = 3;
const PING_TIMEOUT_MS = 60_000;

/**
 * One single-thread Piscina pool per lane, so a lane's cases always reach the worker that holds
 * their memoized results. Piscina replaces a crashed worker; failures are retried a bounded
 * number of times on the same lane.
 */
class PoolExecutor implements CaseExecutor {
  private pools: Piscina[] = [];
  private readonly digest: string;
  private ready: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly prepared: PreparedRun,
    readonly lanes: number,
  ) {
    this.digest = casesDigest(prepared);
  }

  /**
   * A worker whose script cannot load would leave tasks waiting forever; a ping with a deadline
   * turns that into an error before the first batch.
   */
  private whenReady(): Promise<void> {
    this.ready ??= (async () => {
      // Compiled once here and shared: each worker compiling PGlite's WASM itself costs CPU the cases need.
      const backend = this.prepared.spec.backend ?? this.prepared.domain.database.default_backend;
      const workerData = backend === "pglite" ? { pgliteWasmModule: await compiledPglite() } : {};
      this.pools = Array.from(
        { length: this.lanes },
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

  private async attempt(lane: number, indices: number[], tries: number): Promise<CaseResult[] | Error> {
    await this.whenReady();
    const batch: Batch = { spec: this.prepared.spec, casesDigest: this.digest, indices };
    let last = new Error("not run");
    for (let attempt = 0; attempt < tries; attempt++) {
      try {
        return ((await this.pools[lane]!.run(batch)) as WireResult[]).map(fromWire);
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
    await Promise.all(this.pools.map((pool) => pool.destroy()));
    // Terminated threads never closed their engines; a server keeps what they created.
    await collectLeftovers(this.prepared.spec.backend);
  }
}

export function createExecutor(prepared: PreparedRun, workers: number): CaseExecutor {
  return workers <= 1 ? new InProcessExecutor(prepared) : new PoolExecutor(prepared, workers);
}
