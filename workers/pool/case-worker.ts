import { tasksOf } from "../../core/suites/task-list.ts";
import { canonicalJson } from "../../core/util/canonical-json.ts";
import { CaseRunner } from "../case-runner.ts";
import type { CaseResult } from "../run-store.ts";
import { type PreparedRun, prepareRun, type RunSpec } from "../run-spec.ts";

/**
 * A pool worker. It rebuilds the run's cases from the spec (generation is deterministic), checks
 * it sees the same cases as the main thread, and keeps its own engine for every batch it gets.
 */
let state: { key: string; prepared: PreparedRun; digest: string; runner: Promise<CaseRunner> } | null = null;

export interface Batch {
  spec: RunSpec;
  casesDigest: string;
  indices: number[];
}

/** Answered as soon as the worker's module has loaded: the pool's liveness check. */
export const PING = "strata-ping";

export default async function runBatch(batch: Batch | typeof PING): Promise<CaseResult[] | typeof PING> {
  if (batch === PING) return PING;
  const key = canonicalJson(batch.spec);
  if (!state || state.key !== key) {
    if (state) await (await state.runner).close();
    const prepared = prepareRun(batch.spec);
    const { domain, spec } = prepared;
    // The digest covers every case, so it is computed once per worker, not per batch.
    state = { key, prepared, digest: casesDigest(prepared), runner: CaseRunner.open(domain, spec.backend, spec.minimize, spec.reuse) };
  }
  const { prepared, digest } = state;
  if (digest !== batch.casesDigest) throw new Error("a worker generated different cases than the main thread");
  const runner = await state.runner;
  const results: CaseResult[] = [];
  for (const index of batch.indices) results.push(await runner.run(index, prepared.suite.tasks.at(index)));
  return results;
}

export function casesDigest(prepared: PreparedRun): string {
  const hasher = new Bun.CryptoHasher("sha256");
  for (const task of tasksOf(prepared.suite.tasks)) hasher.update(canonicalJson(task));
  return hasher.digest("hex");
}
