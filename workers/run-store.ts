import { Database } from "bun:sqlite";
import { closeSync, existsSync, ftruncateSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../core/input/usage-error.ts";
import type { Trace } from "../core/model/trace.ts";
import type { Witness } from "../core/model/witness.ts";
import { parseTrace, traceJson } from "./trace-json.ts";

/** One finished case: what the reporters need, keyed by its index in canonical case order. */
export interface CaseResult {
  index: number;
  trace: Trace;
  witness: Witness | null;
  elapsed_ms: number;
  /** Taken from the case-result cache rather than executed (see CaseCache). */
  cached?: boolean;
}

/** The first line of every store: the format, then the run key. */
const HEADER = "strata-run-store 1";
const TAB = "\t";
const NEWLINE = 10;
const TAB_BYTE = 9;

/** A case's line without its checksum: index, elapsed ms, cached (0 or 1), trace JSON, witness JSON or nothing. */
function caseText(r: CaseResult): string {
  const witness = r.witness ? JSON.stringify(r.witness) : "";
  return `${r.index}${TAB}${r.elapsed_ms}${TAB}${r.cached ? 1 : 0}${TAB}${traceJson(r.trace)}${TAB}${witness}`;
}

const hex = (crc: number): string => crc.toString(16).padStart(8, "0");
/** CRC-32 of the text's UTF-8 bytes, as Bun hashes a string. */
const checksum = (text: string): string => hex(Bun.hash.crc32(text));

/**
 * The run's durable record: an append-only file of finished cases (run-store.log), one line each,
 * written as they arrive, so Ctrl-C, a crash or SIGKILL loses at most cases still in flight;
 * `--resume` reads back what is done. The run key (suite, count, seed, shard, …) on its first line
 * guards against resuming a different run.
 *
 * Each case line carries a CRC-32 of the rest of the line. JSON text holds no raw tab or line
 * break, so a line splits into its fields unambiguously. Nothing is synced: a crash of this
 * process loses nothing written, and a power cut can lose the latest lines or leave a torn or
 * zero-filled tail, which fails its checksum. Reading stops at the first line that does, and a
 * resume cuts the file there before appending, so those cases simply run again. A resume keeps
 * only where each case's line is, not the line, so a long run resumes in little memory.
 *
 * This replaced a SQLite store (run-store.sqlite, WAL), which wrote every case twice (log, then
 * database file) in 4 KB pages and checkpointed at close (docs/benchmarks.md, session 19). A
 * resume still reads a store that an older strata left, and carries its cases over.
 */
export class RunStore {
  /** Where each case read back on resume is (its line without the checksum), by index; a later line wins. */
  private readonly recorded = new Map<number, LineSpan>();

  private constructor(
    private readonly fd: number,
    /** Bytes of the file: the next line's offset. */
    private size: number,
  ) {}

  static FILE = "run-store.log";
  /** The SQLite store of strata before session 19, still read when resuming. */
  static LEGACY_FILE = "run-store.sqlite";

  /** Opens the store of `dir`. A fresh run empties it; a resumed one must carry the same key. */
  static open(dir: string, key: string, resume: boolean): RunStore {
    const file = join(dir, RunStore.FILE);
    const legacy = join(dir, RunStore.LEGACY_FILE);
    const header = `${HEADER}${TAB}${JSON.stringify(key)}\n`;
    if (resume && existsSync(file)) {
      const fd = openSync(file, "r+");
      const scanned = scanLog(fd);
      if (scanned.key !== null) {
        if (scanned.key !== key) {
          closeSync(fd);
          throw differentRun(dir);
        }
        // Appends go after the last whole line: a torn or zero-filled tail is cut off first.
        ftruncateSync(fd, scanned.validBytes);
        const store = new RunStore(fd, scanned.validBytes);
        for (const [index, span] of scanned.lines) store.recorded.set(index, span);
        return store;
      }
      // The header never reached the disk: nothing says which run the lines belong to.
      closeSync(fd);
    }
    const carried = resume && !existsSync(file) && existsSync(legacy) ? readLegacy(legacy) : null;
    if (carried && carried.key !== null && carried.key !== key) throw differentRun(dir);
    const fd = openSync(file, "w+");
    const store = new RunStore(fd, 0);
    store.append(header);
    if (carried?.key === key) store.carryOver(carried.lines);
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${legacy}${suffix}`, { force: true });
    return store;
  }

  /** How many cases the store of `dir` holds, read without opening it for writing (a run may be writing it). */
  static recordedCount(dir: string): number {
    const file = join(dir, RunStore.FILE);
    if (!existsSync(file)) return 0;
    const fd = openSync(file, "r");
    try {
      return scanLog(fd).lines.size;
    } finally {
      closeSync(fd);
    }
  }

  doneIndices(): Set<number> {
    return new Set(this.recorded.keys());
  }

  record(results: CaseResult[]): void {
    let lines = "";
    for (const r of results) {
      const text = caseText(r);
      lines += `${checksum(text)}${TAB}${text}\n`;
    }
    if (lines !== "") this.append(lines);
  }

  /** A case read back on resume; null if the store does not hold it. */
  get(index: number): CaseResult | null {
    const span = this.recorded.get(index);
    if (span === undefined) return null;
    const bytes = Buffer.allocUnsafe(span.length);
    readSync(this.fd, bytes, 0, span.length, span.offset);
    return parseCase(bytes.toString("utf8"));
  }

  close(): void {
    closeSync(this.fd);
  }

  private append(text: string): void {
    // The string goes straight to the file (encoded as UTF-8 on the way): no Buffer to collect.
    this.size += writeSync(this.fd, text, this.size, "utf8");
  }

  /** Writes a legacy store's cases as lines of this one, and remembers where each went. */
  private carryOver(lines: Map<number, string>): void {
    for (const [index, text] of lines) {
      const prefix = `${checksum(text)}${TAB}`;
      this.recorded.set(index, { offset: this.size + prefix.length, length: Buffer.byteLength(text) });
      this.append(`${prefix}${text}\n`);
    }
  }
}

const differentRun = (dir: string) =>
  new UsageError(`cannot resume ${dir}: it holds a different run`, "resume with the same --domain, --suite, --count, --seed and --shard, or use another --out");

interface LineSpan {
  offset: number;
  length: number;
}

interface ScannedLog {
  /** null: no valid header (a log cut before its first line reached the disk). */
  key: string | null;
  lines: Map<number, LineSpan>;
  /** Bytes up to the end of the last valid line. */
  validBytes: number;
}

const CHUNK_BYTES = 8 * 1024 * 1024;

/** Reads the log through once, checking each line, and keeps where each case's line is. */
function scanLog(fd: number): ScannedLog {
  const lines = new Map<number, LineSpan>();
  let key: string | null = null;
  let validBytes = 0;
  let chunk = Buffer.alloc(0);
  /** File offset of chunk[0]. */
  let chunkAt = 0;
  let position = 0;
  for (;;) {
    const newline = chunk.indexOf(NEWLINE);
    if (newline < 0) {
      const more = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, chunk.length));
      const read = readSync(fd, more, 0, more.length, position);
      if (read === 0) break;
      position += read;
      chunk = Buffer.concat([chunk, more.subarray(0, read)]);
      continue;
    }
    if (key === null) {
      const line = chunk.toString("utf8", 0, newline);
      const tab = line.indexOf(TAB);
      if (tab < 0 || line.slice(0, tab) !== HEADER) break;
      try {
        key = JSON.parse(line.slice(tab + 1)) as string;
      } catch {
        break;
      }
    } else {
      // The checksum is of the line's bytes after it (what `checksum` of the text hashes: its UTF-8).
      const indexEnd = chunk.indexOf(TAB_BYTE, 9);
      if (chunk[8] !== TAB_BYTE || indexEnd < 0 || indexEnd > newline) break;
      if (hex(Bun.hash.crc32(chunk.subarray(9, newline))) !== chunk.toString("latin1", 0, 8)) break;
      lines.set(Number(chunk.toString("latin1", 9, indexEnd)), { offset: chunkAt + 9, length: newline - 9 });
    }
    chunk = chunk.subarray(newline + 1);
    chunkAt += newline + 1;
    validBytes = chunkAt;
  }
  return { key, lines, validBytes };
}

/** The key and cases of a store written by strata before session 19 (SQLite), as log lines. */
function readLegacy(file: string): { key: string | null; lines: Map<number, string> } {
  const db = new Database(file, { readonly: true, strict: true });
  try {
    const key = db.query<{ key: string }, []>("select key from run").get()?.key ?? null;
    const hasCached = db.query<{ name: string }, []>("pragma table_info(cases)").all().some((c) => c.name === "cached");
    const lines = new Map<number, string>();
    const rows = db.query<{ idx: number; trace: string; witness: string | null; elapsed_ms: number; cached: number }, []>(
      `select idx, trace, witness, elapsed_ms, ${hasCached ? "cached" : "0"} as cached from cases order by idx`,
    );
    for (const row of rows.iterate()) lines.set(row.idx, `${row.idx}${TAB}${row.elapsed_ms}${TAB}${row.cached ? 1 : 0}${TAB}${row.trace}${TAB}${row.witness ?? ""}`);
    return { key, lines };
  } finally {
    db.close(true);
  }
}

function parseCase(text: string): CaseResult {
  const [index, elapsed, cached, trace, witness] = text.split(TAB) as [string, string, string, string, string];
  const result: CaseResult = { index: Number(index), trace: parseTrace(trace), witness: witness === "" ? null : JSON.parse(witness), elapsed_ms: Number(elapsed) };
  return cached === "1" ? { ...result, cached: true } : result;
}
