import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../core/input/input-error.ts";
import { tasksOf } from "../core/suites/task-list.ts";
import type { RunEvent } from "../core/model/events.ts";
import type { Summary } from "../core/model/summary.ts";
import type { ShardSpec } from "../core/shards/assign.ts";
import { casesDigest } from "./pool/case-worker.ts";
import { ArtifactWriter } from "./reporters/artifacts.ts";
import { progressReporter } from "./reporters/progress.ts";
import { ShardBlobWriter } from "./reporters/shard-blob.ts";
import { CaseCache } from "./case-cache.ts";
import { RunStore } from "./run-store.ts";
import { type PreparedRun, prepareRun, type RunSpec } from "./run-spec.ts";
import { runSuite } from "./run-suite.ts";
import type { Lanes } from "./executors.ts";

export interface ExecuteOptions {
  out: string;
  workers: number;
  shard?: ShardSpec;
  /** timings.jsonl of an earlier run of the same suite: balances shards by recorded cost. */
  timings?: string;
  resume: boolean;
  quiet: boolean;
  /** A case-result cache file (bun:sqlite); unchanged cases are skipped and counted as hits. */
  cache?: string;
  /** Extra reporters (the CLI's own summary lines, the demo's example picker). */
  onEvent?: (event: RunEvent) => void;
  /** Lanes shared with other runs, and where each case group goes (see RunOptions). */
  lanes?: Lanes;
  laneOf?: (index: number) => number;
  /** Keep the traces written for readTraces (see rememberTraces): the caller reads the run next. */
  rememberTraces?: boolean;
  /** `spec` already loaded and checked by the caller (`strata reproduce` prepares every run first). */
  prepared?: PreparedRun;
}

/** Recorded case costs by index, from an earlier run's timings.jsonl, for balancing shards. */
export function readCosts(file: string, prepared: PreparedRun): Map<number, number> {
  if (!existsSync(file)) throw new InputError(file, 1, 1, "no such timings file", "pass the timings.jsonl of an earlier run");
  const index = new Map(Array.from(tasksOf(prepared.suite.tasks), (t, i) => [t.id, i]));
  const costs = new Map<number, number>();
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (line.trim() === "") return;
      try {
        const { task_id, elapsed_ms, cached } = JSON.parse(line) as { task_id: string; elapsed_ms: number; cached?: boolean };
        const at = index.get(task_id);
        // A case taken from the cache took no time in that run: its cost is unknown, not zero.
        if (at !== undefined && Number.isFinite(elapsed_ms) && cached !== true) costs.set(at, elapsed_ms);
      } catch {
        throw new InputError(file, i + 1, 1, "not a timings line", "pass a timings.jsonl written by `strata run`");
      }
    });
  return costs;
}

/** Stages 0 and 7 of a run: load and check everything, then run with the store and reporters. */
export async function executeRun(
  spec: RunSpec,
  options: ExecuteOptions,
): Promise<{ summary: Summary; out: string; cache?: { hits: number; misses: number } }> {
  const prepared = options.prepared?.spec === spec ? options.prepared : prepareRun(spec);
  const costs = options.timings ? readCosts(options.timings, prepared) : undefined;
  const out = resolve(options.out);
  mkdirSync(out, { recursive: true });
  const store = RunStore.open(out, JSON.stringify({ spec, shard: options.shard ?? null }), options.resume);
  const writer = new ArtifactWriter(out, { rememberTraces: options.rememberTraces });
  const blob = options.shard ? new ShardBlobWriter(out, options.shard, casesDigest(prepared), prepared.suite.tasks.length) : null;
  const progress = progressReporter(process.stderr, options.quiet);
  const cache = options.cache ? new CaseCache(resolve(options.cache), prepared) : undefined;
  try {
    const summary = await runSuite({
      prepared,
      workers: options.workers,
      shard: options.shard,
      costs,
      store,
      cache,
      lanes: options.lanes,
      laneOf: options.laneOf,
      onEvent: (event) => {
        writer.handle(event);
        blob?.handle(event);
        progress(event);
        options.onEvent?.(event);
      },
    });
    return { summary, out, cache: cache ? { hits: cache.hits, misses: cache.misses } : undefined };
  } finally {
    store.close();
    cache?.close();
  }
}
