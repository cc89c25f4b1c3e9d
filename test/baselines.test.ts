import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { evaluateFullDetector } from "../core/evidence/ablations.ts";
import { readEvidenceCases, SharedEvidenceInputs } from "../workers/evidence-runs.ts";
import { readTraces } from "../workers/run-directory.ts";
import type { Trace } from "../core/model/trace.ts";
import { REPO, runCli, tempDir } from "./helpers.ts";

interface Row {
  caught: number;
  total_failures: number;
  missed: number;
  catch_rate: number;
  lost?: number;
}

describe("strata baselines and ablations on support_saas seeded", () => {
  let run: string;
  let traces: Trace[];
  let baselines: Record<string, Row>;
  let ablations: Record<string, Row>;

  beforeAll(() => {
    run = join(tempDir(), "run");
    const r = runCli(["run", "--domain", "support_saas", "--suite", "seeded", "--out", run, "--no-minimize", "--quiet"]);
    if (r.code !== 0) throw new Error(r.stderr);
    traces = readTraces(run);
    const b = runCli(["baselines", run]);
    const a = runCli(["ablations", run]);
    if (b.code !== 0 || a.code !== 0) throw new Error(b.stderr + a.stderr);
    baselines = JSON.parse(b.stdout);
    ablations = JSON.parse(a.stdout);
  }, 120_000);

  test("every baseline is scored on the non-clean traces, and the full detector catches them all", () => {
    const failures = traces.filter((t) => t.witness_class !== "clean").length;
    expect(failures).toBeGreaterThan(0);
    expect(Object.keys(baselines)).toHaveLength(17);
    for (const row of Object.values(baselines)) {
      expect(row.total_failures).toBe(failures);
      expect(row.caught + row.missed).toBe(failures);
    }
    expect(evaluateFullDetector(readEvidenceCases(run))).toEqual({ caught: failures, total_failures: failures, missed: 0, catch_rate: 1 });
    // Ablations that switch off nothing detection uses lose nothing: the full detector re-run catches every failure.
    expect(ablations.without_minimization).toMatchObject({ caught: failures, missed: 0, lost: 0 });
    expect(ablations.without_policy_version).toMatchObject({ caught: failures, missed: 0, lost: 0 });
  });

  test("cases with the same observation and canonical view share one evidence input, across runs read together", () => {
    const shared = new SharedEvidenceInputs();
    const first = readEvidenceCases(run, undefined, shared);
    const again = readEvidenceCases(run, undefined, shared);
    const distinct = new Set(traces.map((t) => JSON.stringify([t.observation, t.canonical]))).size;
    expect(new Set(first.map((c) => c.input)).size).toBe(distinct);
    for (const [i, c] of again.entries()) expect(c.input).toBe(first[i]!.input);
    // Read on their own, the inputs are new objects with the same content.
    const alone = readEvidenceCases(run);
    expect(alone[0]!.input).not.toBe(first[0]!.input);
    expect(alone.map((c) => c.input?.observation)).toEqual(first.map((c) => c.input?.observation));
  });

  test("sql_snapshot catches fewer than all", () => {
    expect(baselines.sql_snapshot!.caught).toBeGreaterThan(0);
    expect(baselines.sql_snapshot!.caught).toBeLessThan(baselines.sql_snapshot!.total_failures);
  });

  test("a disabled detector component shows up as exactly its lost kills", () => {
    const onlyAt = (surfaces: string[]) =>
      traces.filter((t) => t.witness_class !== "clean" && t.violations.length > 0 && t.violations.every((v) => surfaces.includes(v.surface))).length;
    const databaseOnly = onlyAt(["database"]);
    expect(databaseOnly).toBeGreaterThan(0);
    expect(traces.filter((t) => t.localized_surface === "database" && t.violations.every((v) => v.surface === "database")).length).toBe(databaseOnly);
    expect(ablations.without_database_containment!.lost).toBe(databaseOnly);
    expect(ablations.without_transition_obligations!.lost).toBe(onlyAt(["manifest", "grammar", "validator"]));
    expect(ablations.without_release_policy!.lost).toBe(onlyAt(["release"]));
    for (const row of Object.values(ablations)) expect(row.caught + row.lost!).toBe(row.total_failures);
  });

  test("output is byte-identical across invocations, json sorted and markdown tabular", () => {
    const first = runCli(["baselines", run]).stdout;
    expect(runCli(["baselines", run]).stdout).toBe(first);
    expect(runCli(["ablations", run]).stdout).toBe(runCli(["ablations", run]).stdout);
    expect(first).toBe(`${JSON.stringify(JSON.parse(first), Object.keys(baselines.sql_snapshot!).sort().concat(Object.keys(baselines).sort()), 2)}\n`);
    const out = join(tempDir(), "baselines.md");
    expect(runCli(["baselines", run, "--format", "markdown", "--out", out]).code).toBe(0);
    const md = readFileSync(out, "utf8").split("\n");
    expect(md[0]).toBe("| Baseline | Failures caught | Catch rate |");
    expect(md[2]).toMatch(/^\| grammar_only \| \d+\/\d+ \| \d\.\d\d \|$/);
  });

  test("baselines and ablations cannot read labels: no mutation registry, trace model or suite in reach", () => {
    for (const file of ["core/evidence/baselines.ts", "core/evidence/ablations.ts"]) {
      const imports = [...readFileSync(join(REPO, file), "utf8").matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]!);
      expect(imports.filter((i) => /mutants|trace\.ts|suites|suite\.ts/.test(i))).toEqual([]);
    }
  });

  test("usage errors exit 2", () => {
    expect(runCli(["baselines"]).code).toBe(2);
    expect(runCli(["baselines", join(REPO, "nope"), "--format", "yaml"]).code).toBe(2);
  });
});
