import type { RunMetadata } from "../model/metadata.ts";
import type { Summary } from "../model/summary.ts";
import { prettyJson } from "../util/canonical-json.ts";
import { integerMedian, yesNo } from "./tables.ts";

export const REPORT_FORMATS = ["markdown", "json"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What the artifact report needs from one run directory, already read by workers/evidence-inputs.ts. */
export interface ArtifactInputs {
  /** The run directory exactly as the user gave it: never resolved to an absolute path. */
  run: string;
  metadata: Pick<RunMetadata, "domain" | "suite" | "evidence_level" | "suite_provenance" | "suite_metadata" | "backend" | "freeze">;
  summary: Pick<Summary, "killed" | "survived" | "equivalent" | "invalid" | "clean_controls" | "false_positives" | "minimized_witness_count">;
  trace_count: number;
  non_clean_trace_count: number;
  witness_sizes: number[];
  /** elapsed_ms of the timings.jsonl lines of cases this run executed; the only timing-derived input. */
  case_latencies_ms: number[];
  /** Cases this run took from the case-result cache (`--cache`): they have no latency of their own. */
  cached_cases: number;
  artifact_files: number;
  artifact_bytes: number;
}

/** The report's data, in row order; keys are the JSON format's snake_case keys. */
export interface ArtifactReport {
  run: string;
  domain: string;
  suite: string;
  evidence_level: string;
  suite_provenance: string;
  detector_frozen: boolean;
  benchmark_manifest_id: string;
  backend: string;
  traces: number;
  non_clean_traces: number;
  killed: number;
  survived: number;
  equivalent: number;
  invalid: number;
  clean_controls: number;
  false_positives: number;
  minimized_witnesses: number;
  median_witness_bytes: number;
  /** Over executed cases only; null when none was executed (no timings, or every case cached). */
  median_case_latency_ms: number | null;
  p95_case_latency_ms: number | null;
  cases_from_cache: number;
  run_artifact_files: number;
  run_artifact_bytes: number;
  requires_llm_api_key: false;
}

const LABELS: Record<keyof ArtifactReport, string> = {
  run: "Run",
  domain: "Domain",
  suite: "Suite",
  evidence_level: "Evidence level",
  suite_provenance: "Suite provenance",
  detector_frozen: "Detector frozen",
  benchmark_manifest_id: "Benchmark manifest id",
  backend: "Backend",
  traces: "Traces",
  non_clean_traces: "Non-clean traces",
  killed: "Killed",
  survived: "Survived",
  equivalent: "Equivalent",
  invalid: "Invalid",
  clean_controls: "Clean controls",
  false_positives: "False positives",
  minimized_witnesses: "Minimized witnesses",
  median_witness_bytes: "Median witness bytes",
  median_case_latency_ms: "Median case latency ms",
  p95_case_latency_ms: "P95 case latency ms",
  cases_from_cache: "Cases from the case-result cache",
  run_artifact_files: "Run artifact files",
  run_artifact_bytes: "Run artifact bytes",
  requires_llm_api_key: "Requires LLM API key",
};

/** Latencies are reported to the microsecond: enough for cases, and stable to print. */
const roundMs = (ms: number): number => Math.round(ms * 1000) / 1000;

/** Median of latencies: the middle value, or the mean of the two middle values (not truncated); null when empty. */
export function medianLatency(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return roundMs(sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** Nearest rank: sorted[min(n-1, max(0, round(0.95·(n-1))))]; null when empty. */
export function p95Latency(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  return roundMs(sorted[Math.min(n - 1, Math.max(0, Math.round(0.95 * (n - 1))))]!);
}

export function buildArtifactReport(inputs: ArtifactInputs): ArtifactReport {
  const { metadata, summary } = inputs;
  return {
    run: inputs.run,
    domain: metadata.domain,
    suite: metadata.suite,
    evidence_level: metadata.evidence_level,
    suite_provenance: metadata.suite_provenance,
    detector_frozen: metadata.suite_metadata.detector_frozen,
    benchmark_manifest_id: metadata.freeze?.benchmark_manifest_id ?? "none",
    backend: metadata.backend.name,
    traces: inputs.trace_count,
    non_clean_traces: inputs.non_clean_trace_count,
    killed: summary.killed,
    survived: summary.survived,
    equivalent: summary.equivalent,
    invalid: summary.invalid,
    clean_controls: summary.clean_controls,
    false_positives: summary.false_positives,
    minimized_witnesses: summary.minimized_witness_count,
    median_witness_bytes: integerMedian(inputs.witness_sizes),
    median_case_latency_ms: medianLatency(inputs.case_latencies_ms),
    p95_case_latency_ms: p95Latency(inputs.case_latencies_ms),
    cases_from_cache: inputs.cached_cases,
    run_artifact_files: inputs.artifact_files,
    run_artifact_bytes: inputs.artifact_bytes,
    requires_llm_api_key: false,
  };
}

function valueText(value: ArtifactReport[keyof ArtifactReport]): string {
  if (value === null) return "n/a";
  if (typeof value === "boolean") return yesNo(value);
  return String(value).replaceAll("|", "\\|");
}

export function renderArtifactReport(report: ArtifactReport, format: ReportFormat): string {
  if (format === "json") return prettyJson(report);
  const rows = (Object.keys(LABELS) as (keyof ArtifactReport)[]).map((key) => `| ${LABELS[key]} | ${valueText(report[key])} |`);
  return ["# strata Artifact Report", "", "| Metric | Value |", "| --- | --- |", ...rows].join("\n") + "\n";
}

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}
