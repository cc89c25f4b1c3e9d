import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { UsageError } from "../core/input/usage-error.ts";
import type { PlannedRun, ReproducePlan } from "../core/model/reproduce-plan.ts";
import type { Summary } from "../core/model/summary.ts";
import { favourLaneZero, placeByWeight } from "../core/shards/lanes.ts";
import { affinityKey } from "../core/suites/task-list.ts";
import { canonicalJson } from "../core/util/canonical-json.ts";
import { type FrozenRun, freezeLoaded, frozenRunOf, MANIFEST_COPY, prepareFrozenRun, writeManifest, writeManifestCopy } from "../freeze/manifest.ts";
import { executeRun } from "./execute-run.ts";
import { type Lanes, openLanes, runsInCallingThread, sharedLaneWeight } from "./executors.ts";
import { type Backend, backendFromFlag, BACKENDS, checkBackend } from "./open-engine.ts";
import { runnerIdentity } from "./runner-cache.ts";
import { progressLine } from "./reporters/progress.ts";
import { EvidenceWriter } from "./reproduce-evidence.ts";
import { type PreparedRun, prepareRun, type RunSpec } from "./run-spec.ts";
import { loadDomain } from "../suites/load-domain.ts";

export interface ReproduceOptions {
  plan: ReproducePlan;
  /** Every output goes under it: ROOT/<run name>/ and the evidence files. */
  root: string;
  /** Only these runs (by name), in the plan's order. */
  only?: readonly string[];
  workers: number;
  /** Keep run directories and finish them (run stores) instead of running them again from scratch. */
  resume: boolean;
  /** Skip the runs: regenerate the evidence from the run directories already under ROOT. */
  evidenceOnly: boolean;
  /** One line per stage and step, for a human. */
  say: (line: string) => void;
  /** Cases done over all runs, cases per second and ETA (on stderr); none when quiet. */
  quiet?: boolean;
  /** A case-result cache file shared by every run (as `strata run --cache`). */
  cache?: string;
}

export interface ReproduceResult {
  root: string;
  runs: { name: string; out: string; summary: Summary | null; cache?: { hits: number; misses: number } }[];
  /** The evidence files written, relative to the root. */
  files: string[];
}

/** A planned run made concrete: its spec, where it goes, and the manifest text a frozen run copies. */
export interface ReadyRun {
  planned: PlannedRun;
  out: string;
  spec: RunSpec;
  prepared: PreparedRun;
  manifestText: string | null;
}

function backendOf(run: PlannedRun): Backend | undefined {
  if (run.backend === undefined) return undefined;
  const backend = backendFromFlag(run.backend);
  if (backend === null) throw new UsageError(`run ${run.name}: unknown backend ${run.backend}`, `use one of ${BACKENDS.join(", ")}, or a server URL`);
  return backend;
}

/**
 * Freezes a frozen run and runs it on the domain and cases the freeze hashed (`checked`, the run
 * as loaded before anything was deleted), so each suite is generated once here. Resuming, it
 * reuses the manifest already in the run directory, which another process wrote: that one is
 * verified like `strata run --freeze-manifest`, generating the suite again from disk.
 */
function ready(run: PlannedRun, root: string, resume: boolean, checked: PreparedRun): ReadyRun {
  const out = join(root, run.name);
  if (!resume) rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const spec = checked.spec;
  if (!run.freeze) return { planned: run, out, spec, prepared: checked, manifestText: null };
  const manifestFile = join(out, MANIFEST_COPY);
  const overrides = { domainPath: run.domain_path };
  let frozen: FrozenRun;
  if (resume && existsSync(manifestFile)) {
    frozen = prepareFrozenRun(manifestFile, overrides);
  } else {
    const manifest = freezeLoaded(checked.domain, checked.suite);
    writeManifest(manifestFile, manifest);
    frozen = frozenRunOf(manifest, manifestFile, checked, overrides);
  }
  const frozenSpec: RunSpec = { ...spec, ...frozen.target, freeze: frozen.freeze };
  const prepared: PreparedRun = { spec: frozenSpec, domain: { ...frozen.domain, builtin: frozenSpec.domainPath === undefined }, suite: frozen.suite };
  return { planned: run, out, spec: frozenSpec, prepared, manifestText: frozen.manifestText };
}

/** A planned run as `strata run` would get it (minimization and reuse on, as by default). */
function specOf(run: PlannedRun): RunSpec {
  return { domain: run.domain, domainPath: run.domain_path, suite: run.suite, count: run.count, seed: run.seed, backend: backendOf(run), minimize: true, reuse: true };
}

/**
 * The lane of every case of runs that share lanes. An engine identity (a domain on a backend) stays
 * on one lane when it can: its runs then share everything one engine memoizes, including the
 * canonical and reference results that every operator's cases of a plan reuse. An identity heavier
 * than a lane's fair share is split into its (operator, principal) groups, each group still on one
 * lane in every run, so it keeps its own results and witness reductions. Work is weighed by distinct
 * cases (equal cases are computed once); units go heaviest first to the least-loaded lane.
 * `threadLane`: lane 0 runs in this thread, and is then the lane with the most work of engines that
 * run in the calling thread (PGlite, SQLite; see MixedLanes).
 */
export function placeUnits(runs: readonly ReadyRun[], lanes: number, threadLane: boolean): ((index: number) => number)[] {
  const identities = new Map<string, { weight: number; here: boolean; groups: Map<string, Set<string>> }>();
  runs.forEach((run) => {
    const tasks = run.prepared.suite.tasks;
    const identity = runnerIdentity(run.spec);
    const backend = run.spec.backend ?? run.prepared.domain.database.default_backend;
    const entry = identities.get(identity) ?? { weight: sharedLaneWeight(backend), here: runsInCallingThread(backend), groups: new Map() };
    identities.set(identity, entry);
    for (let i = 0; i < tasks.length; i++) {
      const task = tasks.at(i);
      const group = affinityKey(task);
      const cases = entry.groups.get(group) ?? new Set<string>();
      cases.add(canonicalJson(task.semantic_query));
      entry.groups.set(group, cases);
    }
  });
  const weighOf = (cases: Iterable<Set<string>>, weight: number) => [...cases].reduce((n, c) => n + c.size, 0) * weight;
  const total = [...identities.values()].reduce((n, e) => n + weighOf(e.groups.values(), e.weight), 0);
  const units = new Map<string, number>();
  const weights = new Map<number, number>();
  const hereUnits = new Set<number>();
  const unitOf = (identity: string, group: string) => units.get(identity) ?? units.get(`${identity}|${group}`)!;
  for (const [identity, entry] of identities) {
    const whole = weighOf(entry.groups.values(), entry.weight);
    if (whole <= total / lanes) {
      units.set(identity, units.size);
      weights.set(units.size - 1, whole);
      if (entry.here) hereUnits.add(units.size - 1);
      continue;
    }
    for (const [group, cases] of entry.groups) {
      units.set(`${identity}|${group}`, units.size);
      weights.set(units.size - 1, cases.size * entry.weight);
      if (entry.here) hereUnits.add(units.size - 1);
    }
  }
  const placed = placeByWeight(weights, lanes);
  // Lane 0 is this thread when asked: it takes the PGlite work, whose results then stay in this
  // thread, and leaves DuckDB's (which waits on DuckDB's own threads) to a worker.
  const laneOf = threadLane ? favourLaneZero(placed, weights, hereUnits) : placed;
  return runs.map((run) => {
    const identity = runnerIdentity(run.spec);
    const tasks = run.prepared.suite.tasks;
    const laneOfGroup = new Map<number, number>();
    return (index) => {
      const group = tasks.groupOf(index);
      let lane = laneOfGroup.get(group);
      if (lane === undefined) {
        lane = laneOf.get(unitOf(identity, affinityKey(tasks.at(index))))!;
        laneOfGroup.set(group, lane);
      }
      return lane;
    };
  });
}

/**
 * Hands finished runs to `done` once this thread is free for them: at once when every lane is a
 * worker thread, after the last run with work on this thread's lane otherwise, and never early when
 * this thread is the only lane (it would only delay the runs still to come).
 */
export function whenThreadFree(lanes: Pick<Lanes, "count" | "workerThreads">, runs: readonly ReadyRun[], placed: readonly ((index: number) => number)[], done: (run: PlannedRun) => void): (run: ReadyRun) => void {
  if (lanes.workerThreads === 0) return () => {};
  const here = new Set(lanes.workerThreads === lanes.count ? [] : runs.filter((run, r) => hasWorkOnLaneZero(run, placed[r]!)));
  const waiting: PlannedRun[] = [];
  return (run) => {
    here.delete(run);
    waiting.push(run.planned);
    if (here.size > 0) return;
    for (const finished of waiting.splice(0)) done(finished);
  };
}

/** Whether some case of `run` goes to a lane for which `onLane` holds. */
function hasWorkOn(run: ReadyRun, laneOf: (index: number) => number, onLane: (lane: number) => boolean): boolean {
  for (let index = 0; index < run.prepared.suite.tasks.length; index++) if (onLane(laneOf(index))) return true;
  return false;
}

function hasWorkOnLaneZero(run: ReadyRun, laneOf: (index: number) => number): boolean {
  return hasWorkOn(run, laneOf, (lane) => lane === 0);
}

/**
 * The runs with work for worker threads first: each run's start prepares it in this thread before
 * it dispatches anything, and the workers would otherwise wait for all of them.
 */
function workerRunsFirst(runs: readonly ReadyRun[], placed: readonly ((index: number) => number)[]): ReadyRun[] {
  const forWorkers = runs.map((run, r) => hasWorkOn(run, placed[r]!, (lane) => lane !== 0));
  return [...runs.filter((_, r) => forWorkers[r]), ...runs.filter((_, r) => !forWorkers[r])];
}

/** Stage 1: every run at once on shared lanes, each unit of work on one lane (see placeUnits). */
async function runAll(runs: readonly PlannedRun[], options: ReproduceOptions, evidence: EvidenceWriter): Promise<{ runs: ReproduceResult["runs"]; closing: Promise<void> }> {
  // Whether PGlite is needed takes only the domains, so the threads start (and PGlite compiles)
  // while the suites are generated, checked and frozen.
  const backends = new Set(runs.map((run) => backendOf(run) ?? loadDomain(run.domain, run.domain_path).database.default_backend));
  // DuckDB's work runs on its addon's threads: a worker lane waits on it cheaply, and this thread
  // takes a lane of its own (see MixedLanes and placeUnits).
  const threadLane = backends.has("duckdb");
  const lanes: Lanes = openLanes(options.workers, backends.has("pglite"), { threadLane });
  const threads = lanes.workerThreads === lanes.count ? "" : lanes.workerThreads === 0 ? " (this thread)" : ` (${lanes.workerThreads} worker thread${lanes.workerThreads === 1 ? "" : "s"} and this thread)`;
  options.say(`[1/3] runs: ${runs.length}, on ${lanes.count} lane${lanes.count === 1 ? "" : "s"}${threads}`);
  let readied: ReadyRun[];
  try {
    // Every domain, suite and backend is checked before any run directory is deleted or written.
    const checked = runs.map((run) => prepareRun(specOf(run)));
    for (const run of checked) await checkBackend(run.spec.backend);
    readied = runs.map((run, r) => ready(run, options.root, options.resume, checked[r]!));
  } catch (error) {
    await lanes.close();
    throw error;
  }
  const placed = placeUnits(readied, lanes.count, threadLane);
  const finished = whenThreadFree(lanes, readied, placed, (run) => evidence.runDone(run));
  const started = performance.now();
  const progress = progressLine(process.stderr, options.quiet ?? false);
  progress.start(readied.reduce((n, run) => n + run.prepared.suite.tasks.length, 0));
  const summaries = new Map<string, Summary>();
  const caches = new Map<string, { hits: number; misses: number }>();
  const execute = async (run: ReadyRun) => {
    const r = readied.indexOf(run);
    const { summary, cache } = await executeRun(run.spec, {
      prepared: run.prepared,
      out: run.out,
      workers: options.workers,
      resume: options.resume,
      quiet: true,
      lanes,
      laneOf: placed[r],
      cache: options.cache,
      rememberTraces: true,
      onEvent: (event) => {
        if (run.manifestText !== null && event.type === "run_started") writeManifestCopy(run.out, run.manifestText);
        if (event.type === "case_finished") progress.tick();
      },
    });
    summaries.set(run.planned.name, summary);
    if (cache) caches.set(run.planned.name, cache);
    if (process.stderr.isTTY && !options.quiet) process.stderr.write("\r\x1b[K");
    options.say(`  ${run.planned.name}: ${summary.total} cases, done at ${((performance.now() - started) / 1000).toFixed(1)} s`);
    finished(run);
  };
  try {
    if (lanes.count > 1) {
      await Promise.all((lanes.workerThreads === lanes.count ? readied : workerRunsFirst(readied, placed)).map(execute));
    } else {
      // One thread keeps one engine open at a time: the runs of one domain together, then the next.
      const byIdentity = new Map<string, ReadyRun[]>();
      for (const run of readied) byIdentity.set(runnerIdentity(run.spec), [...(byIdentity.get(runnerIdentity(run.spec)) ?? []), run]);
      for (const group of byIdentity.values()) await Promise.all(group.map(execute));
    }
  } catch (error) {
    progress.end();
    await lanes.close();
    throw error;
  }
  progress.end();
  return {
    runs: readied.map((run) => ({ name: run.planned.name, out: run.out, summary: summaries.get(run.planned.name) ?? null, cache: caches.get(run.planned.name) })),
    // Ending the threads and their engines takes a third of a second: it goes on while the evidence is written.
    closing: lanes.close(),
  };
}

/**
 * `strata reproduce`: the plan's runs, then baselines.json, ablations.json, evidence.md,
 * artifact-report.md, the exports and report.html over them (./reproduce-evidence.ts), all in this
 * process: runs of one domain share their engines and witness reductions.
 * Every file is byte-identical to what the single commands write (`strata run`, `bench --freeze`,
 * `baselines`, `ablations`, `evidence`, `artifact-report`, `export`, `report`).
 */
export async function reproduce(options: ReproduceOptions): Promise<ReproduceResult> {
  const root = resolve(options.root);
  const { plan } = options;
  const unknown = (options.only ?? []).filter((name) => !plan.runs.some((run) => run.name === name));
  if (unknown.length > 0) throw new UsageError(`no run named ${unknown.join(", ")} in the plan`, `use some of ${plan.runs.map((r) => r.name).join(", ")}`);
  let runs = plan.runs.filter((run) => options.only === undefined || options.only.length === 0 || options.only.includes(run.name));
  mkdirSync(root, { recursive: true });

  let results: ReproduceResult["runs"];
  let closing: Promise<void> = Promise.resolve();
  let evidence: EvidenceWriter;
  if (options.evidenceOnly) {
    runs = runs.filter((run) => existsSync(join(root, run.name, "traces.jsonl")));
    if (runs.length === 0) throw new UsageError(`no runs under ${root}`, "run `strata reproduce` without --evidence-only first");
    options.say(`[1/3] runs: skipped (--evidence-only); ${runs.length} found under ${root}`);
    results = runs.map((run) => ({ name: run.name, out: join(root, run.name), summary: null }));
    evidence = new EvidenceWriter(root, runs, plan, options.say);
  } else {
    evidence = new EvidenceWriter(root, runs, plan, options.say);
    const ran = await runAll(runs, { ...options, root }, evidence);
    results = ran.runs;
    closing = ran.closing;
    // Awaited below; until then a failure to close must not count as unhandled.
    closing.catch(() => {});
  }

  try {
    const files = await evidence.finish();
    return { root, runs: results, files };
  } finally {
    await closing;
  }
}
