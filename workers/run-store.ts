import { Database } from "bun:sqlite";
import { join } from "node:path";
import { UsageError } from "../core/input/usage-error.ts";
import type { Trace } from "../core/model/trace.ts";
import type { Witness } from "../core/model/witness.ts";
import { traceJson } from "./trace-json.ts";

/** One finished case: what the reporters need, keyed by its index in canonical case order. */
export interface CaseResult {
  index: number;
  trace: Trace;
  witness: Witness | null;
  elapsed_ms: number;
  /** Taken from the case-result cache rather than executed (see CaseCache). */
  cached?: boolean;
}

/**
 * The run's durable record (bun:sqlite, WAL). Each finished case is committed as it arrives, so
 * Ctrl-C, a crash or SIGKILL loses at most cases still in flight; `--resume` reads back what is
 * done. The run key (suite, count, seed, shard, …) guards against resuming a different run.
 *
 * While the run records, commits are not synced and nothing is checkpointed: the cases stay in
 * the write-ahead log, which the operating system keeps through a crash of this process. Syncing
 * and checkpointing as the log grew made the thread that runs cases wait on the disk, for 20 to
 * 170 ms per paper reproduction (docs/benchmarks.md, session 18). A power cut can still not damage
 * the store: the database file is written only by the checkpoint at close, which syncs, and after
 * a power cut SQLite keeps the log's commits up to the first frame whose checksum fails, so the
 * store loses its latest cases and those run again on resume. A long run checkpoints the same
 * synced way each time the log has taken `checkpointBytes` of cases (256 MB by default: none in a
 * paper reproduction, a few dozen in a million cases), so the log does not grow with the run.
 */
const DEFAULT_CHECKPOINT_BYTES = 256 * 1024 * 1024;

export class RunStore {
  private readonly db: Database;
  private readonly insert;
  /** Bytes of cases committed since the last checkpoint. */
  private logged = 0;

  private constructor(
    file: string,
    private readonly checkpointBytes: number,
  ) {
    this.db = new Database(file, { create: true, strict: true });
    this.db.run("pragma journal_mode = wal");
    this.db.run("pragma synchronous = normal");
    this.db.run("create table if not exists run (key text not null)");
    this.db.run("create table if not exists cases (idx integer primary key, trace text not null, witness text, elapsed_ms real not null, cached integer not null default 0)");
    // A store written before cases could come from the cache resumes with the column added.
    const columns = this.db.query<{ name: string }, []>("pragma table_info(cases)").all();
    if (!columns.some((c) => c.name === "cached")) this.db.run("alter table cases add column cached integer not null default 0");
    this.insert = this.db.prepare("insert or replace into cases (idx, trace, witness, elapsed_ms, cached) values ($idx, $trace, $witness, $elapsed, $cached)");
    this.db.run("pragma wal_autocheckpoint = 0");
    this.db.run("pragma synchronous = off");
  }

  static FILE = "run-store.sqlite";

  /** Opens the store of `dir`. A fresh run empties it; a resumed one must carry the same key. */
  static open(dir: string, key: string, resume: boolean, options: { checkpointBytes?: number } = {}): RunStore {
    const store = new RunStore(join(dir, RunStore.FILE), options.checkpointBytes ?? DEFAULT_CHECKPOINT_BYTES);
    const existing = store.db.query<{ key: string }, []>("select key from run").get();
    if (resume && existing && existing.key !== key) {
      store.close();
      throw new UsageError(`cannot resume ${dir}: it holds a different run`, "resume with the same --domain, --suite, --count, --seed and --shard, or use another --out");
    }
    if (!resume || !existing) {
      store.db.run("delete from cases");
      store.db.run("delete from run");
      store.db.query("insert into run (key) values ($key)").run({ key });
    }
    return store;
  }

  doneIndices(): Set<number> {
    return new Set(this.db.query<{ idx: number }, []>("select idx from cases").all().map((r) => r.idx));
  }

  record(results: CaseResult[]): void {
    this.db.transaction(() => {
      for (const r of results) {
        const trace = traceJson(r.trace);
        const witness = r.witness ? JSON.stringify(r.witness) : null;
        this.insert.run({ idx: r.index, trace, witness, elapsed: r.elapsed_ms, cached: r.cached ? 1 : 0 });
        this.logged += trace.length + (witness?.length ?? 0);
      }
    })();
    if (this.logged >= this.checkpointBytes) this.checkpoint();
  }

  /** Moves the log into the database file, synced before the log starts over (see the class). */
  private checkpoint(): void {
    this.db.run("pragma synchronous = normal");
    this.db.run("pragma wal_checkpoint(truncate)");
    this.db.run("pragma synchronous = off");
    this.logged = 0;
  }

  get(index: number): CaseResult | null {
    const row = this.db
      .query<{ trace: string; witness: string | null; elapsed_ms: number; cached: number }, { idx: number }>("select trace, witness, elapsed_ms, cached from cases where idx = $idx")
      .get({ idx: index });
    if (!row) return null;
    const result: CaseResult = { index, trace: JSON.parse(row.trace), witness: row.witness ? JSON.parse(row.witness) : null, elapsed_ms: row.elapsed_ms };
    return row.cached ? { ...result, cached: true } : result;
  }

  close(): void {
    // The checkpoint at close copies the log into the database file: synced, before the log goes.
    this.db.run("pragma synchronous = normal");
    // Finalizes the statements too: the insert left open kept the connection, and the checkpoint,
    // until garbage collection.
    this.db.close(true);
  }
}
