import { describe, expect, test } from "bun:test";
import { type ArtifactInputs, buildArtifactReport, medianLatency, p95Latency, renderArtifactReport } from "./artifact-report.ts";

const inputs: ArtifactInputs = {
  run: "runs/demo",
  metadata: {
    domain: "support_saas",
    suite: "seeded",
    evidence_level: "deterministic_fixture",
    suite_provenance: "hand_authored",
    suite_metadata: { provenance: "hand_authored", evidence_level: "deterministic_fixture", detector_frozen: false, detector_freeze_id: null, authored_after_detector_freeze: false, notes: [] },
    backend: { name: "pglite", dialect: "postgres", containment: "rls" },
  },
  summary: { killed: 48, survived: 1, equivalent: 1, invalid: 0, clean_controls: 0, false_positives: 0, minimized_witness_count: 48 },
  trace_count: 50,
  non_clean_trace_count: 49,
  witness_sizes: [300, 100, 200, 400],
  case_latencies_ms: [5, 1, 3, 2, 4],
  cached_cases: 0,
  artifact_files: 56,
  artifact_bytes: 123456,
};

describe("latencies", () => {
  test("median: middle value, or the mean of the two middle values", () => {
    expect(medianLatency([5, 1, 3])).toBe(3);
    expect(medianLatency([1, 2, 3, 4])).toBe(2.5);
    expect(medianLatency([])).toBeNull();
  });
  test("p95: nearest rank on sorted latencies", () => {
    expect(p95Latency([5, 1, 3, 2, 4])).toBe(5);
    expect(p95Latency(Array.from({ length: 100 }, (_, i) => i + 1))).toBe(95);
    expect(p95Latency([7])).toBe(7);
    expect(p95Latency([])).toBeNull();
  });
  test("rounded to the microsecond", () => expect(medianLatency([1.23456])).toBe(1.235));
});

describe("artifact report", () => {
  test("markdown: title and a two-column table, path as given", () => {
    const text = renderArtifactReport(buildArtifactReport(inputs), "markdown");
    expect(text.startsWith("# strata Artifact Report\n\n| Metric | Value |\n| --- | --- |\n| Run | runs/demo |\n")).toBe(true);
    for (const row of ["| Traces | 50 |", "| Non-clean traces | 49 |", "| Median witness bytes | 250 |", "| Median case latency ms | 3 |", "| P95 case latency ms | 5 |", "| Cases from the case-result cache | 0 |", "| Benchmark manifest id | none |", "| Backend | pglite |", "| Detector frozen | no |", "| Run artifact files | 56 |", "| Requires LLM API key | no |"]) {
      expect(text).toContain(`${row}\n`);
    }
    expect(text.trimEnd().split("\n")).toHaveLength(4 + 24);
  });
  test("a frozen run names its manifest; no timings gives n/a", () => {
    const frozen = buildArtifactReport({
      ...inputs,
      case_latencies_ms: [],
      metadata: { ...inputs.metadata, freeze: { benchmark_manifest_id: "psf-0123456789abcdef0123", verified: true, components: {} as never } },
    });
    const text = renderArtifactReport(frozen, "markdown");
    expect(text).toContain("| Benchmark manifest id | psf-0123456789abcdef0123 |");
    expect(text).toContain("| P95 case latency ms | n/a |");
  });
  test("cases from the cache are counted, not timed", () => {
    const text = renderArtifactReport(buildArtifactReport({ ...inputs, case_latencies_ms: [], cached_cases: 50 }), "markdown");
    expect(text).toContain("| Cases from the case-result cache | 50 |\n");
    expect(text).toContain("| Median case latency ms | n/a |\n");
  });
  test("json: snake_case keys, sorted and indented, typed values", () => {
    const text = renderArtifactReport(buildArtifactReport(inputs), "json");
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual([...Object.keys(parsed)].sort());
    expect(parsed.traces).toBe(50);
    expect(parsed.requires_llm_api_key).toBe(false);
    expect(parsed.median_case_latency_ms).toBe(3);
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).toContain('\n  "run": "runs/demo",');
  });
});
