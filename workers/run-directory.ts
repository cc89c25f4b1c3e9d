import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../core/input/input-error.ts";
import { RunMetadata } from "../core/model/metadata.ts";
import { Trace } from "../core/model/trace.ts";
import type { Witness } from "../core/model/witness.ts";
import type { z } from "zod";

/**
 * Reads a JSON-lines file, validating every line; a bad line is reported by file and line with
 * `fix` as the remedy.
 */
export function readJsonLines<S extends z.ZodType>(file: string, schema: S, fix: string): z.infer<S>[] {
  const values: z.infer<S>[] = [];
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (line.trim() === "") return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new InputError(file, i + 1, 1, `not JSON: ${(error as Error).message}`, fix);
      }
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new InputError(file, i + 1, 1, `${issue.path.join(".")}: ${issue.message}`, fix);
      }
      values.push(parsed.data);
    });
  return values;
}

/** Reads traces.jsonl back, validating every line; a bad line is reported by file and line. */
export function readTraces(runDir: string): Trace[] {
  const file = join(runDir, "traces.jsonl");
  if (!existsSync(file)) throw new InputError(file, 1, 1, "no traces.jsonl here", "pass the --out directory of a `strata run`");
  const { size, mtimeMs } = statSync(file);
  const known = readTraceFiles.get(file);
  if (known && known.size === size && known.mtimeMs === mtimeMs) return [...known.traces];
  const traces = readJsonLines(file, Trace, "this is not a trace written by this version of strata; re-run the suite");
  keep(file, size, mtimeMs, traces);
  return [...traces];
}

function keep(file: string, size: number, mtimeMs: number, traces: Trace[]): void {
  readTraceFiles.delete(file);
  if (size > KEPT_TRACE_BYTES) return;
  readTraceFiles.set(file, { size, mtimeMs, traces });
  let kept = 0;
  for (const [name, entry] of [...readTraceFiles].reverse()) {
    kept += entry.size;
    if (kept > KEPT_TRACE_BYTES) readTraceFiles.delete(name);
  }
}

/**
 * The traces this process has just written to runDir/traces.jsonl, in file order, each as its line
 * parses (see asParsed): readTraces then returns them while the file is unchanged instead of
 * parsing and validating every line again (`strata reproduce` reads each run right after writing
 * it; a third of a second for the paper runs, docs/benchmarks.md). Their schema's key order is
 * not kept, so what reads them must not depend on key order (the reproduce test compares every
 * evidence file with the single commands', which read through the schema).
 */
export function rememberTraces(runDir: string, traces: Trace[]): void {
  const file = join(runDir, "traces.jsonl");
  const { size, mtimeMs } = statSync(file);
  keep(file, size, mtimeMs, traces);
}

/**
 * Trace files already read and validated, while unchanged (same size and modification time):
 * `strata reproduce` reads each run for the baselines, the tables, the report and the exports.
 * Bounded by file size; the most recently read files stay.
 */
const readTraceFiles = new Map<string, { size: number; mtimeMs: number; traces: Trace[] }>();
export const KEPT_TRACE_BYTES = 128 * 1024 * 1024;

/**
 * Witness files this process has just written, with the witness each holds, while the file is
 * unchanged (same size and modification time): `strata reproduce` reads every witness of a run
 * for the HTML report, and the artifact run's for the JUnit export, right after writing them
 * (parsing and validating 1,718 files took 0.14 to 0.23 s). Bounded by the files' bytes, the most
 * recently written kept. As with rememberTraces, the objects do not have the schema's key order,
 * so what reads them must not depend on key order.
 */
const writtenWitnesses = new Map<string, { size: number; mtimeMs: number; witness: Witness }>();
let writtenWitnessBytes = 0;
export const KEPT_WITNESS_BYTES = 64 * 1024 * 1024;

export function rememberWitness(file: string, witness: Witness): void {
  const path = resolve(file);
  forgetWitness(path);
  const { size, mtimeMs } = statSync(path);
  writtenWitnesses.set(path, { size, mtimeMs, witness });
  writtenWitnessBytes += size;
  for (const oldest of writtenWitnesses.keys()) {
    if (writtenWitnessBytes <= KEPT_WITNESS_BYTES) break;
    forgetWitness(oldest);
  }
}

function forgetWitness(path: string): void {
  const known = writtenWitnesses.get(path);
  if (!known) return;
  writtenWitnesses.delete(path);
  writtenWitnessBytes -= known.size;
}

/** The witness this process wrote to `file`, if the file has not changed since; undefined otherwise. */
export function writtenWitness(file: string): Witness | undefined {
  const path = resolve(file);
  const known = writtenWitnesses.get(path);
  if (!known) return undefined;
  const now = statSync(path, { throwIfNoEntry: false });
  return now && now.size === known.size && now.mtimeMs === known.mtimeMs ? known.witness : undefined;
}

/** Names of witnesses/*.json, regular files only (a symlink could point outside the run), sorted. */
export function witnessFileNames(runDir: string): string[] {
  const dir = join(runDir, "witnesses");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
    .map((entry) => entry.name)
    .sort();
}

export function readMetadata(runDir: string): RunMetadata | null {
  const file = join(runDir, "metadata.json");
  return existsSync(file) ? RunMetadata.parse(JSON.parse(readFileSync(file, "utf8"))) : null;
}
