import { describe, expect, test } from "bun:test";
import { cpSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LocatedYaml } from "../core/input/located-yaml.ts";
import { Policy } from "../core/model/policy.ts";
import { SuiteFile } from "../core/model/suite.ts";
import { SurfaceConfig } from "../core/model/surfaces.ts";
import { REPO, runCli, tempDir } from "./helpers.ts";

// The Python tool's data files, beside the repository; read, never copied into it.
const ANCHOR = join(REPO, "..", "shared", "anchor-data");
const present = existsSync(ANCHOR);
if (!present) console.warn(`skipping Python compatibility tests: ${ANCHOR} not found`);

const parse = (file: string) => LocatedYaml.parse(file, readFileSync(file, "utf8"));

describe.skipIf(!present)("compatibility with the Python PolicyStrata's files", () => {
  test.each(["support_saas", "finance_saas", "analytics_clickhouse"])("%s: policy, surfaces and seeded suite parse with our schemas", (domain) => {
    const dir = join(ANCHOR, "domains", domain);
    expect(Object.keys(parse(join(dir, "policy.yaml")).validate(Policy).principals).length).toBe(3);
    expect(parse(join(dir, "surfaces.yaml")).validate(SurfaceConfig).contracts.compiler.mode).toBe("sql_lowering");
    expect(parse(join(dir, "tasks", "seeded.yaml")).validate(SuiteFile).matrix.length).toBeGreaterThan(0);
  });

  /** Our support_saas domain, with one of the Python tool's suites dropped into its tasks/. */
  function withSuite(source: string, name: string): string {
    const dir = join(tempDir(), "support_saas");
    cpSync(join(REPO, "domains", "support_saas"), dir, { recursive: true });
    cpSync(source, join(dir, "tasks", `${name}.yaml`));
    return dir;
  }

  test("its support seeded suite, executed on our engine: every case killed", () => {
    const dir = withSuite(join(ANCHOR, "domains", "support_saas", "tasks", "seeded.yaml"), "python_seeded");
    const out = tempDir();
    expect(runCli(["run", "--domain-path", dir, "--suite", "python_seeded", "--out", out, "--quiet", "--no-minimize"]).code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(summary.total).toBe(50);
    expect(summary.killed).toBe(50);
  }, 60_000);

  test("its blinded spec_blind suite: 39 killed, and the 3 survivors are the cost-estimate cases on allowed plans", () => {
    const dir = withSuite(join(ANCHOR, "benchmarks", "spec_blind", "tasks", "spec_blind.yaml"), "spec_blind");
    const out = tempDir();
    expect(runCli(["run", "--domain-path", dir, "--suite", "spec_blind", "--out", out, "--quiet", "--no-minimize"]).code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect([summary.total, summary.killed, summary.survived]).toEqual([42, 39, 3]);
    expect(summary.survivors.map((s: { task_id: string }) => s.task_id)).toEqual(["sb-compiler-costexpand-01", "sb-compiler-costexpand-02", "sb-compiler-costexpand-03"]);
    // Its suite_metadata passes through to metadata.json.
    const metadata = JSON.parse(readFileSync(join(out, "metadata.json"), "utf8"));
    expect(metadata.evidence_level).toBe("blinded_suite");
  }, 60_000);
});
