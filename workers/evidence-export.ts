import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { renderBenchflow } from "../core/evidence/export-benchflow.ts";
import { type ExportContext, type ExportFormat, FLAT_TRACE_COLUMNS, flattenTrace } from "../core/evidence/export-common.ts";
import { renderInspectEvalLog, renderInspectJsonl } from "../core/evidence/export-inspect.ts";
import { renderJunit } from "../core/evidence/export-junit.ts";
import type { Trace } from "../core/model/trace.ts";
import { Witness } from "../core/model/witness.ts";
import { readMetadata, readTraces, writtenWitness } from "./run-directory.ts";
import { traceJson } from "./trace-json.ts";
import { TOOL_VERSION } from "./version.ts";

function exportContext(runDir: string, traces: Trace[]): ExportContext {
  const metadata = readMetadata(runDir);
  return {
    domain: metadata?.domain ?? traces[0]?.domain ?? null,
    suite: metadata?.suite ?? null,
    policy_version: metadata?.policy_version ?? traces[0]?.policy_version ?? null,
    tool_version: metadata?.tool.version ?? TOOL_VERSION,
    backend: metadata?.backend.name ?? null,
  };
}

/** The minimized witnesses the traces point at, by task id; missing or unreadable files are left out. */
function readWitnesses(runDir: string, traces: Trace[]): Map<string, Witness> {
  const witnesses = new Map<string, Witness>();
  for (const trace of traces) {
    if (!trace.witness_path) continue;
    const file = join(runDir, trace.witness_path);
    const written = writtenWitness(file);
    if (written) {
      witnesses.set(trace.task_id, written);
      continue;
    }
    if (!existsSync(file)) continue;
    const parsed = Witness.safeParse(JSON.parse(readFileSync(file, "utf8")));
    if (parsed.success) witnesses.set(trace.task_id, parsed.data);
  }
  return witnesses;
}

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

let duckdb: Promise<typeof import("@duckdb/node-api")> | null = null;

/**
 * Starts loading DuckDB's addon for a Parquet export to come. Loading it takes about 40 ms of the
 * thread: `strata reproduce` starts it with the runs, whose start leaves this thread time to spare,
 * rather than after them, when every step of the evidence is on the critical path (the evidence
 * after the last run took about 40 ms less, 5 runs against 5).
 */
export function preloadParquetWriter(): void {
  duckdb ??= import("@duckdb/node-api");
  duckdb.catch(() => {});
}

/** Flattened trace columns plus the whole trace as JSON, written as Parquet through an in-memory DuckDB. */
async function writeParquet(traces: Trace[], out: string): Promise<void> {
  preloadParquetWriter();
  const { DuckDBInstance } = await duckdb!;
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    await conn.run(`create table traces (${FLAT_TRACE_COLUMNS.map(([name, type]) => `${name} ${type}`).join(", ")})`);
    // The appender fills the table in this thread; a prepared insert per row cost one trip through
    // DuckDB's thread pool each (500 rows: 0.5 s).
    const appender = await conn.createAppender("traces");
    for (const [i, trace] of traces.entries()) {
      const row = flattenTrace(trace, i, traceJson(trace));
      for (const [name, type] of FLAT_TRACE_COLUMNS) {
        const value = row[name];
        if (value === null) appender.appendNull();
        else if (type === "INTEGER") appender.appendInteger(value as number);
        else if (type === "DOUBLE") appender.appendDouble(value as number);
        else if (type === "BOOLEAN") appender.appendBoolean(value as boolean);
        else appender.appendVarchar(value as string);
      }
      appender.endRow();
    }
    appender.closeSync();
    rmSync(out, { force: true });
    await conn.run(`copy (select * from traces order by ordinal) to ${sqlString(out)} (format parquet)`);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  if (!existsSync(out)) throw new Error(`DuckDB wrote no file at ${out}`);
}

/** Writes the run's traces in the given format; returns how many records it wrote. */
export async function exportRun(runDir: string, format: ExportFormat, outFile: string): Promise<{ out: string; records: number }> {
  const traces = readTraces(runDir);
  const out = resolve(outFile);
  mkdirSync(dirname(out), { recursive: true });
  if (format === "parquet") {
    await writeParquet(traces, out);
    return { out, records: traces.length };
  }
  const context = exportContext(runDir, traces);
  const text =
    format === "inspect"
      ? renderInspectEvalLog(traces, context)
      : format === "inspect-jsonl"
        ? renderInspectJsonl(traces)
        : format === "benchflow"
          ? renderBenchflow(traces)
          : renderJunit(traces, context, readWitnesses(runDir, traces));
  writeFileSync(out, text);
  return { out, records: traces.length };
}
