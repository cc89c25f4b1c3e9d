import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { xmlBalanced } from "../core/evidence/export-fixture.ts";
import { InspectEvalLog } from "../core/model/inspect-eval-log.ts";
import { runCli, tempDir } from "./helpers.ts";

let dir = "";
let run = "";
let traceCount = 0;

function exportTo(format: string, file: string): { format: string; out: string; records: number } {
  const result = runCli(["export", run, "--format", format, "--out", join(dir, file)]);
  if (result.code !== 0) throw new Error(`export ${format} failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

async function parquetRows(file: string): Promise<Record<string, unknown>[]> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    const reader = await conn.runAndReadAll(`select * from '${file.replace(/'/g, "''")}' order by ordinal`);
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

beforeAll(() => {
  dir = tempDir("strata-exports-");
  run = join(dir, "run");
  const result = runCli(["run", "--domain", "support_saas", "--suite", "seeded", "--no-minimize", "--quiet", "--out", run]);
  if (result.code !== 0) throw new Error(result.stderr);
  traceCount = readFileSync(join(run, "traces.jsonl"), "utf8").trim().split("\n").length;
}, 120_000);

describe("strata export", () => {
  test("inspect: an eval log with one scored sample per trace, byte-identical twice", () => {
    const printed = exportTo("inspect", "a.json");
    expect(printed).toEqual({ format: "inspect", out: join(dir, "a.json"), records: traceCount });
    exportTo("inspect", "b.json");
    const text = readFileSync(join(dir, "a.json"), "utf8");
    expect(readFileSync(join(dir, "b.json"), "utf8")).toBe(text);
    const log = JSON.parse(text);
    // The written file, read back, fits Inspect's EvalLog format with no field Inspect does not know.
    expect(InspectEvalLog.safeParse(log).error).toBeUndefined();
    expect(log.version).toBe(2);
    expect(log.status).toBe("success");
    expect(log.eval.task).toBe("strata/support_saas/seeded");
    expect(log.samples).toHaveLength(traceCount);
    for (const sample of log.samples) expect(["C", "I"]).toContain(sample.scores.trace_contract.value);
    expect(log.results.total_samples).toBe(traceCount);
  });

  // inspect_ai cannot be installed where this was written (PyPI is unreachable), so this runs only
  // where it can: the one check by Inspect's own reader.
  const python = Bun.spawnSync(["python3", "-c", "import inspect_ai"], { stdout: "ignore", stderr: "ignore" });
  test.skipIf(python.exitCode !== 0)("inspect: inspect_ai's own read_eval_log reads the log back", () => {
    exportTo("inspect", "read.json");
    const script = [
      "import sys",
      "from inspect_ai.log import read_eval_log",
      "log = read_eval_log(sys.argv[1])",
      "print(log.status, len(log.samples or []), log.results.scores[0].metrics['accuracy'].value)",
    ].join("\n");
    const read = Bun.spawnSync(["python3", "-c", script, join(dir, "read.json")]);
    expect(read.stderr.toString()).toBe("");
    const [status, samples] = read.stdout.toString().trim().split(" ");
    expect([status, Number(samples)]).toEqual(["success", traceCount]);
  });

  test("inspect-jsonl: one adapter record per trace", () => {
    expect(exportTo("inspect-jsonl", "a.jsonl").records).toBe(traceCount);
    const lines = readFileSync(join(dir, "a.jsonl"), "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(traceCount);
    expect(JSON.parse(lines[0]!).metadata.adapter).toBe("policystrata.inspect.v1");
  });

  test("benchflow: one task per trace, byte-identical twice", () => {
    exportTo("benchflow", "a.bf.json");
    exportTo("benchflow", "b.bf.json");
    const text = readFileSync(join(dir, "a.bf.json"), "utf8");
    expect(readFileSync(join(dir, "b.bf.json"), "utf8")).toBe(text);
    const doc = JSON.parse(text);
    expect(doc.version).toBe("policystrata.benchflow.adapter.v1");
    expect(doc.tasks).toHaveLength(traceCount);
  });

  test("junit: well-formed, one testcase per trace, byte-identical twice", () => {
    exportTo("junit", "a.xml");
    exportTo("junit", "b.xml");
    const xml = readFileSync(join(dir, "a.xml"), "utf8");
    expect(readFileSync(join(dir, "b.xml"), "utf8")).toBe(xml);
    expect(xmlBalanced(xml)).toBe(true);
    const statuses = readFileSync(join(run, "traces.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l).accounting_status as string);
    const n = (...s: string[]) => statuses.filter((x) => s.includes(x)).length;
    expect([...xml.matchAll(/<testcase /g)]).toHaveLength(traceCount);
    expect([...xml.matchAll(/<failure /g)]).toHaveLength(n("survived", "false_positive"));
    expect([...xml.matchAll(/<skipped /g)]).toHaveLength(n("equivalent"));
    expect([...xml.matchAll(/<error /g)]).toHaveLength(n("invalid"));
    expect(xml).toContain('classname="support_saas.seeded"');
  });

  test("parquet: reads back through DuckDB, same rows twice", async () => {
    expect(exportTo("parquet", "a.parquet").records).toBe(traceCount);
    exportTo("parquet", "b.parquet");
    const a = await parquetRows(join(dir, "a.parquet"));
    expect(a).toHaveLength(traceCount);
    expect(new Set(a.map((r) => r.task_id)).size).toBe(traceCount);
    expect(JSON.parse(String(a[0]!.trace_json)).task_id).toBe(a[0]!.task_id);
    expect(await parquetRows(join(dir, "b.parquet"))).toEqual(a);
  });

  test("a bad format is a usage error", () => {
    const result = runCli(["export", run, "--format", "csv", "--out", join(dir, "x.csv")]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("unknown --format csv");
  });
});
