import { workerData } from "piscina";
import type { CaseRunner } from "../case-runner.ts";
import { usePgliteModule } from "../engines/pglite-snapshot.ts";
import type { CaseResult } from "../run-store.ts";
import { type PreparedRun, prepareRun, type RunSpec } from "../run-spec.ts";
import { parseTrace, traceJson } from "../trace-json.ts";
import { RunnerCache } from "../runner-cache.ts";
import { keepAnalysisJournal, type SharedAnalysis, takeJournal } from "../sql-analyses.ts";

/**
 * A pool worker. It rebuilds the run's cases from the spec (generation is deterministic), checks
 * it sees the same cases as the main thread, and keeps its own engine for every batch it gets.
 */
if (workerData?.pgliteWasmModule) usePgliteModule(workerData.pgliteWasmModule);
else if (workerData?.compilePglite) usePgliteModule("compile-here");
keepAnalysisJournal();

/** The engines and memos of the runs this worker serves, by identity. */
const runners = new RunnerCache();
/** Runs this worker has rebuilt, by spec: suites that share its lanes interleave their batches. */
const prepared = new Map<string, { prepared: PreparedRun; digest: string }>();
const PREPARED_KEPT = 16;

function preparedFor(spec: RunSpec): { prepared: PreparedRun; digest: string } {
  const key = JSON.stringify(spec);
  let found = prepared.get(key);
  if (!found) {
    const run = prepareRun(spec);
    // The digest covers every case, so it is computed once per run, not per batch.
    found = { prepared: run, digest: casesDigest(run) };
    if (prepared.size >= PREPARED_KEPT) prepared.delete(prepared.keys().next().value!);
    prepared.set(key, found);
  }
  return found;
}

export interface Batch {
  spec: RunSpec;
  casesDigest: string;
  indices: number[];
}

/**
 * A finished case as it crosses threads: the trace as its canonical JSON, which copies several
 * times faster than the object and is exactly what the main thread writes.
 */
export interface WireResult {
  index: number;
  trace_json: string;
  witness_json: string | null;
  elapsed_ms: number;
}

/** A batch's results, and the SQL analyses the worker made for them (see keepAnalysisJournal). */
export interface BatchResult {
  results: WireResult[];
  analyses: SharedAnalysis[];
}

/** Prefixes the error of a worker whose engine did not open. */
export const ENGINE_FAILED = "strata: worker engine failed to open: ";

/** Answered as soon as the worker's module has loaded: the pool's liveness check. */
export const PING = "strata-ping";

export default async function runBatch(batch: Batch | typeof PING): Promise<BatchResult | typeof PING> {
  if (batch === PING) return PING;
  const { prepared: run, digest } = preparedFor(batch.spec);
  let runner: CaseRunner;
  try {
    runner = await runners.get(batch.spec, run.domain);
  } catch (error) {
    // No case can run without the engine: the main thread stops the run instead of retrying each case.
    throw new Error(`${ENGINE_FAILED}${(error as Error).message}`);
  }
  if (digest !== batch.casesDigest) throw new Error("a worker generated different cases than the main thread");
  const results: WireResult[] = [];
  for (const index of batch.indices) {
    const r = await runner.run(index, run.suite.tasks.at(index));
    results.push({ index, trace_json: traceJson(r.trace), witness_json: r.witness ? JSON.stringify(r.witness) : null, elapsed_ms: r.elapsed_ms });
  }
  return { results, analyses: takeJournal() };
}

export function fromWire(wire: WireResult): CaseResult {
  return { index: wire.index, trace: parseTrace(wire.trace_json), witness: wire.witness_json === null ? null : JSON.parse(wire.witness_json), elapsed_ms: wire.elapsed_ms };
}

export function casesDigest(prepared: PreparedRun): string {
  const hasher = new Bun.CryptoHasher("sha256");
  for (const piece of prepared.suite.tasks.fingerprint()) hasher.update(piece);
  return hasher.digest("hex");
}
