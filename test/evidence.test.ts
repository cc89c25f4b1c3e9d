import { beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir } from "./helpers.ts";

let dir: string;
let support: string;
let finance: string;

beforeAll(() => {
  dir = tempDir("strata-evidence-");
  support = join(dir, "support");
  finance = join(dir, "finance");
  for (const [domain, out, extra] of [
    ["support_saas", support, ["--no-minimize"]],
    ["finance_saas", finance, []],
  ] as const) {
    const result = runCli(["run", "--domain", domain, "--suite", "seeded", "--out", out, "--quiet", ...extra]);
    expect(result.code).toBe(0);
  }
}, 120_000);

const summaryOf = (run: string) => JSON.parse(readFileSync(join(run, "summary.json"), "utf8"));

describe("strata evidence", () => {
  test("the same runs give byte-identical tables, with the counts of summary.json", () => {
    const first = join(dir, "x.md");
    const second = join(dir, "y.md");
    expect(runCli(["evidence", `a=${support}`, `b=${finance}`, "--out", first]).code).toBe(0);
    expect(runCli(["evidence", `a=${support}`, `b=${finance}`, "--out", second]).code).toBe(0);
    const text = readFileSync(first, "utf8");
    expect(readFileSync(second, "utf8")).toBe(text);

    expect(text.startsWith("## Suite Results\n\n")).toBe(true);
    expect(text).toContain("\n\n## Evidence Provenance\n\n");
    expect(text).toContain("\n\n## Survivors and equivalent mutants by operator\n\n");
    expect(text.endsWith("|\n")).toBe(true);

    const rows = text.split("\n");
    for (const [name, run] of [
      ["a", support],
      ["b", finance],
    ] as const) {
      const s = summaryOf(run);
      const row = rows.find((line) => line.startsWith(`| ${name} |`))!;
      expect(row.split(" | ").slice(1, 8).map(Number)).toEqual([s.total, s.killed, s.survived, s.equivalent, s.invalid, s.clean_controls, s.false_positives]);
    }
    // support ran without minimization: no witness files, so the median is 0.
    expect(rows.find((line) => line.startsWith("| a |"))).toContain("| 0 | deterministic_fixture | hand_authored | no |");
    expect(rows.find((line) => line.startsWith("| b |"))).not.toContain("| 0 | deterministic_fixture");
    const total = summaryOf(support).total + summaryOf(finance).total;
    expect(text).toContain(`| deterministic_fixture | 2 | ${total} |`);
  });

  test("a bare run is named by its basename; other formats render the same tables", () => {
    const csv = join(dir, "e.csv");
    expect(runCli(["evidence", support, `b=${finance}`, "--format", "csv", "--out", csv]).code).toBe(0);
    expect(readFileSync(csv, "utf8")).toContain("\nsupport,50,");
    const tex = join(dir, "e.tex");
    expect(runCli(["evidence", support, "--format", "latex", "--out", tex]).code).toBe(0);
    expect(readFileSync(tex, "utf8")).toContain("deterministic\\_fixture");
    const json = join(dir, "e.json");
    expect(runCli(["evidence", support, "--format", "json", "--out", json]).code).toBe(0);
    expect(JSON.parse(readFileSync(json, "utf8")).tables).toHaveLength(4);
  });

  test("a run directory without traces exits 2 naming the file", () => {
    const empty = join(dir, "empty");
    mkdirSync(empty);
    const result = runCli(["evidence", `a=${support}`, `e=${empty}`, "--out", join(dir, "z.md")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(join(empty, "traces.jsonl"));
  });

  test("a bad format or a missing --out exits 2", () => {
    expect(runCli(["evidence", support, "--format", "html", "--out", join(dir, "h.md")]).code).toBe(2);
    expect(runCli(["evidence", support]).code).toBe(2);
  });
});

describe("strata artifact-report", () => {
  test("markdown rows from the run, the path as given", () => {
    const result = runCli(["artifact-report", support]);
    expect(result.code).toBe(0);
    const text = result.stdout;
    expect(text.startsWith("# strata Artifact Report\n\n| Metric | Value |\n| --- | --- |\n")).toBe(true);
    for (const row of [`| Run | ${support} |`, "| Domain | support_saas |", "| Suite | seeded |", "| Traces | 50 |", "| Non-clean traces | 50 |", "| Killed | 50 |", "| Minimized witnesses | 0 |", "| Median witness bytes | 0 |", "| Benchmark manifest id | none |", "| Backend | pglite |", "| Requires LLM API key | no |"]) {
      expect(text).toContain(`${row}\n`);
    }
    expect(text).toMatch(/\| P95 case latency ms \| \d+(\.\d+)? \|/);
  });

  test("relative paths stay relative; json has sorted snake_case keys; run-store files are not artifacts", () => {
    const out = join(dir, "report.json");
    const result = runCli(["artifact-report", "finance", "--format", "json", "--out", out], dir);
    expect(result.code).toBe(0);
    const report = JSON.parse(readFileSync(out, "utf8"));
    expect(report.run).toBe("finance");
    expect(report.traces).toBe(summaryOf(finance).total);
    expect(report.minimized_witnesses).toBe(summaryOf(finance).minimized_witness_count);
    expect(report.median_witness_bytes).toBeGreaterThan(0);
    expect(Object.keys(report)).toEqual([...Object.keys(report)].sort());
    // traces, summary, metadata, timings and one file per witness; never the run store.
    expect(report.run_artifact_files).toBe(4 + report.minimized_witnesses);
  });

  test("a run directory without traces exits 2", () => {
    const result = runCli(["artifact-report", join(dir, "nowhere")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("traces.jsonl");
  });
});
