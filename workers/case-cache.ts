import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Task } from "../core/model/suite.ts";
import type { TaskList } from "../core/suites/task-list.ts";
import { canonicalJson } from "../core/util/canonical-json.ts";
import { buildContent, sha256Hex } from "../freeze/manifest.ts";
import { PIPELINE_SOURCES } from "./pipeline-sources.ts";
import type { CaseResult } from "./run-store.ts";
import type { PreparedRun } from "./run-spec.ts";
import { TOOL_VERSION } from "./version.ts";
import { traceJson } from "./trace-json.ts";

/**
 * Results of earlier runs, keyed by the case and everything its result depends on: the domain's
 * policy, surfaces, database and SQL, the operator registry, the detector and stack sources, the
 * execution pipeline's sources, the tool version, the backend and whether witnesses are
 * minimized. A re-run skips cases whose key is unchanged; any change to those misses.
 */
export class CaseCache {
  private readonly db: Database;
  private readonly stackKey: string;
  hits = 0;
  misses = 0;

  constructor(file: string, prepared: PreparedRun) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file, { create: true, strict: true });
    this.db.run("pragma journal_mode = wal");
    // A lost commit only costs a miss, so commits are not synced (the log is synced at checkpoints,
    // which keeps the file safe from a power cut): SQLite's default synced every batch's commit.
    this.db.run("pragma synchronous = normal");
    this.db.run("create table if not exists results (key text primary key, trace text not null, witness text)");
    const { components } = buildContent(prepared.domain, prepared.suite);
    const { policy, surfaces, database, operators, detector } = components;
    this.stackKey = sha256Hex(
      canonicalJson({
        policy,
        surfaces,
        database,
        operators,
        detector,
        pipeline: Object.fromEntries(Object.entries(PIPELINE_SOURCES).map(([path, text]) => [path, sha256Hex(text)])),
        tool: TOOL_VERSION,
        backend: prepared.spec.backend ?? prepared.domain.database.default_backend,
        minimize: prepared.spec.minimize,
      }),
    );
  }

  key(task: Task): string {
    return sha256Hex(`${this.stackKey}|${canonicalJson(task)}`);
  }

  get(index: number, task: Task): CaseResult | null {
    const row = this.db.query<{ trace: string; witness: string | null }, { key: string }>("select trace, witness from results where key = $key").get({ key: this.key(task) });
    if (!row) {
      this.misses++;
      return null;
    }
    this.hits++;
    return { index, trace: JSON.parse(row.trace), witness: row.witness ? JSON.parse(row.witness) : null, elapsed_ms: 0, cached: true };
  }

  put(results: CaseResult[], tasks: TaskList): void {
    const insert = this.db.prepare("insert or replace into results (key, trace, witness) values ($key, $trace, $witness)");
    this.db.transaction(() => {
      for (const r of results) {
        if (r.trace.accounting_status === "invalid") continue; // failures are retried, never cached
        insert.run({ key: this.key(tasks.at(r.index)), trace: traceJson(r.trace), witness: r.witness ? JSON.stringify(r.witness) : null });
      }
    })();
  }

  close(): void {
    // Finalizes the statements too: a statement left open keeps the connection, and its checkpoint,
    // until garbage collection.
    this.db.close(true);
  }
}
