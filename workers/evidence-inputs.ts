import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";
import type { ArtifactInputs } from "../core/evidence/artifact-report.ts";
import { DEFAULT_EVIDENCE_LEVEL, DEFAULT_PROVENANCE, type RunEvidence } from "../core/evidence/tables.ts";
import { InputError } from "../core/input/input-error.ts";
import { RunMetadata } from "../core/model/metadata.ts";
import { Summary } from "../core/model/summary.ts";
import type { Trace } from "../core/model/trace.ts";
import { summarize } from "../core/report/summarize.ts";
import { readJsonLines, readTraces, witnessFileNames } from "./run-directory.ts";

/** Files of the resumable run store: working state, not run artifacts. */
const RUN_STORE_PREFIX = "run-store.";

function readJsonFile<T>(file: string, schema: z.ZodType<T>, fix: string): T {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new InputError(file, 1, 1, `not JSON: ${(error as Error).message}`, fix);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(file, 1, 1, `${issue.path.join(".")}: ${issue.message}`, fix);
  }
  return parsed.data;
}

/** metadata.json, validated; null when the run has none. */
function readRunMetadata(runDir: string): RunMetadata | null {
  const file = join(runDir, "metadata.json");
  return existsSync(file) ? readJsonFile(file, RunMetadata, "this is not metadata written by this version of strata; re-run the suite") : null;
}

/** summary.json when present (validated), else recomputed from the traces. */
function readRunSummary(runDir: string, traces: Trace[]): Summary {
  const file = join(runDir, "summary.json");
  return existsSync(file) ? readJsonFile(file, Summary, "recompute it with `strata summarize`, or re-run the suite") : summarize(traces);
}

/** Sizes of witnesses/*.json, by file name. */
export function witnessSizes(runDir: string): number[] {
  return witnessFileNames(runDir).map((name) => lstatSync(join(runDir, "witnesses", name)).size);
}

const Timing = z.object({ task_id: z.string(), elapsed_ms: z.number(), cached: z.boolean().optional() });

/**
 * elapsed_ms of the cases the run executed, in file order, and how many it took from the
 * case-result cache instead (their 0 ms is not a latency); empty when the run has no timings.
 */
export function caseLatencies(runDir: string): { executed: number[]; cached: number } {
  const file = join(runDir, "timings.jsonl");
  if (!existsSync(file)) return { executed: [], cached: 0 };
  const timings = readJsonLines(file, Timing, "delete timings.jsonl or re-run the suite");
  return { executed: timings.filter((t) => !t.cached).map((t) => t.elapsed_ms), cached: timings.filter((t) => t.cached).length };
}

/** Regular files under the run directory, recursively, except the run store; symlinks are not followed. */
export function artifactFiles(runDir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && !entry.name.startsWith(RUN_STORE_PREFIX)) {
        files += 1;
        bytes += lstatSync(path).size;
      }
    }
  };
  walk(runDir);
  return { files, bytes };
}

/** One run's row inputs for `strata evidence`. Exits 2 (InputError) naming traces.jsonl when a run has none. */
export function readRunEvidence(name: string, runDir: string): RunEvidence {
  const traces = readTraces(runDir);
  const metadata = readRunMetadata(runDir);
  return {
    name,
    summary: readRunSummary(runDir, traces),
    evidence_level: metadata?.evidence_level ?? DEFAULT_EVIDENCE_LEVEL,
    provenance: metadata?.suite_provenance ?? DEFAULT_PROVENANCE,
    detector_frozen: metadata?.suite_metadata.detector_frozen ?? false,
    witness_sizes: witnessSizes(runDir),
  };
}

/** Everything `strata artifact-report` reports on, from one run directory. */
export function readArtifactInputs(runDir: string): ArtifactInputs {
  const traces = readTraces(runDir);
  const metadata = readRunMetadata(runDir);
  if (!metadata) throw new InputError(join(runDir, "metadata.json"), 1, 1, "no metadata.json here", "pass the --out directory of a `strata run`");
  const artifacts = artifactFiles(runDir);
  const latencies = caseLatencies(runDir);
  return {
    run: runDir,
    metadata,
    summary: readRunSummary(runDir, traces),
    trace_count: traces.length,
    non_clean_trace_count: traces.filter((t) => t.witness_class !== "clean").length,
    witness_sizes: witnessSizes(runDir),
    case_latencies_ms: latencies.executed,
    cached_cases: latencies.cached,
    artifact_files: artifacts.files,
    artifact_bytes: artifacts.bytes,
  };
}

/** Writes a rendered report, creating its folder. */
export function writeReport(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}
