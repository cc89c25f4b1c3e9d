import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RunStore } from "../workers/run-store.ts";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BASELINES } from "../core/evidence/baselines.ts";
import { BUN, REPO, runCli, tempDir } from "./helpers.ts";

/**
 * Runs scripts/reproduce-final.sh twice, into two fresh roots, and compares the evidence files.
 *
 * By default both runs are the whole script: all eight suites, about 1,800 cases (about 25 seconds
 * each on a 2-core machine; docs/evidence.md). STRATA_REPRODUCE_TEST_SUITES=reduced runs a shorter list
 * that still covers every domain, both engines, a plain run and a frozen `bench`, and a finance run
 * long enough (250 cases) to be killed midway (finance-seeded alone, 20 cases, sometimes finished
 * before the kill); any other value is a comma list of run names of the script:
 *   STRATA_REPRODUCE_TEST_SUITES=reduced bun test test/reproduce.test.ts
 */
const REDUCED = "support-seeded,finance-seeded,finance-heldout-v1,analytics-clickhouse-seeded,clean-controls";
const requested = process.env.STRATA_REPRODUCE_TEST_SUITES ?? "all";
const SUITES = requested === "all" ? "" : requested === "reduced" ? REDUCED : requested;
const TIMEOUT_MS = 20 * 60_000;

/** Run names of reproduce-final.sh, with their evidence names. */
const EVIDENCE_NAMES: Record<string, string> = {
  "support-seeded": "support_seeded",
  "support-generated": "support_generated",
  "support-heldout-v1": "support_heldout_v1",
  "finance-seeded": "finance_seeded",
  "finance-heldout-v1": "finance_heldout_v1",
  "analytics-clickhouse-seeded": "analytics_clickhouse_seeded",
  "analytics-clickhouse-generated": "analytics_clickhouse_generated",
  "clean-controls": "clean_controls",
};

const roots: string[] = [];

function reproduce(root: string): void {
  const result = Bun.spawnSync(["bash", join(REPO, "scripts", "reproduce-final.sh")], {
    cwd: root, // any cwd works
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, POLICYSTRATA_RUN_ROOT: root, STRATA_REPRODUCE_SUITES: SUITES, NO_COLOR: "1" },
  });
  if (result.exitCode !== 0) throw new Error(`reproduce-final.sh failed (${result.exitCode}):\n${result.stderr.toString()}`);
}

beforeAll(() => {
  for (let i = 0; i < 2; i++) {
    const root = tempDir("strata-reproduce-");
    roots.push(root);
    reproduce(root);
  }
}, TIMEOUT_MS);

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const read = (root: string, file: string) => readFileSync(join(root, file), "utf8");

/** The rows of one `## Title` markdown table, as cells. */
function section(markdown: string, title: string): string[][] {
  const start = markdown.indexOf(`## ${title}\n\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const lines = markdown.slice(start).split("\n").slice(2);
  const rows: string[][] = [];
  for (const line of lines) {
    if (!line.startsWith("|")) break;
    rows.push(line.slice(2, -2).split(" | "));
  }
  return rows.slice(2); // header and separator
}

describe("scripts/reproduce-final.sh", () => {
  test("two runs into two roots give byte-identical evidence.md, baselines.json and ablations.json", () => {
    for (const file of ["evidence.md", "baselines.json", "ablations.json"]) {
      expect(read(roots[1]!, file)).toBe(read(roots[0]!, file));
    }
    expect(existsSync(join(roots[0]!, "artifact-report.md"))).toBe(true);
  });

  test("the freeze ids docs/evidence.md quotes are the ones the frozen runs have", () => {
    const quoted = new Map([...read(REPO, "docs/evidence.md").matchAll(/([a-z0-9-]+)\s+`(psf-[0-9a-f]+)`/g)].map((m) => [m[1]!, m[2]!]));
    expect(quoted.size).toBeGreaterThan(0);
    const runs = (SUITES === "" ? Object.keys(EVIDENCE_NAMES) : SUITES.split(",")).filter((run) => existsSync(join(roots[0]!, run, "benchmark_manifest.json")));
    for (const run of runs) {
      const id = JSON.parse(read(roots[0]!, join(run, "benchmark_manifest.json"))).benchmark_manifest_id;
      expect({ run, id: quoted.get(run) }).toEqual({ run, id });
    }
    // In the full plan every quoted run is frozen and was checked.
    if (SUITES === "") expect(runs.sort()).toEqual([...quoted.keys()].sort());
  });

  test("every number in Suite Results is the run's summary.json count", () => {
    const runs = SUITES === "" ? Object.keys(EVIDENCE_NAMES) : SUITES.split(",");
    const rows = section(read(roots[0]!, "evidence.md"), "Suite Results");
    expect(rows.map((r) => r[0])).toEqual(runs.map((r) => EVIDENCE_NAMES[r]!));
    runs.forEach((run, i) => {
      const summary = JSON.parse(read(roots[0]!, join(run, "summary.json")));
      const expected = [summary.total, summary.killed, summary.survived, summary.equivalent, summary.invalid, summary.clean_controls, summary.false_positives];
      expect(rows[i]!.slice(1, 8).map(Number)).toEqual(expected);
    });
  });

  test("the Baselines section is baselines.json (sorted by name there), in the baselines' own order", () => {
    const baselines = JSON.parse(read(roots[0]!, "baselines.json")) as Record<string, { caught: number; total_failures: number }>;
    const rows = section(read(roots[0]!, "evidence.md"), "Baselines");
    expect(rows.map((r) => r[0])).toEqual(BASELINES.map((b) => b.name));
    expect(Object.keys(baselines).sort()).toEqual(BASELINES.map((b) => b.name).sort());
    for (const [name, caught, rate] of rows) {
      const row = baselines[name!]!;
      expect(caught).toBe(`${row.caught}/${row.total_failures}`);
      expect(rate).toMatch(/^\d\.\d\d$/);
      expect(Math.abs(Number(rate) - (row.total_failures === 0 ? 0 : row.caught / row.total_failures))).toBeLessThanOrEqual(0.005);
    }
  });

  test("runs that shared engines and lanes equal the same suites run alone", () => {
    // Alone, one worker and the default lanes; in the script, every run of a domain shared its
    // engines, memo and witness reductions with the others on two lanes.
    const alone: Record<string, string[]> = {
      "finance-seeded": ["run", "--domain", "finance_saas", "--suite", "seeded", "--workers", "1"],
      "finance-heldout-v1": ["bench", "--freeze", "--domain", "finance_saas", "--suite", "heldout_v1", "--count", "250", "--seed", "260626"],
      "clean-controls": ["bench", "--freeze", "--domain", "support_saas", "--suite", "clean_controls", "--count", "80", "--seed", "260627", "--workers", "1"],
    };
    const runs = SUITES === "" ? Object.keys(alone) : SUITES.split(",").filter((run) => run in alone);
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) {
      const out = tempDir("strata-alone-");
      roots.push(out);
      const result = runCli([...alone[run]!, "--out", out, "--quiet"]);
      expect(result.code).toBe(0);
      for (const file of ["traces.jsonl", "summary.json", "metadata.json"]) expect(read(out, file)).toBe(read(join(roots[0]!, run), file));
      const witnesses = (dir: string) => (existsSync(join(dir, "witnesses")) ? readdirSync(join(dir, "witnesses")).sort() : []);
      expect(witnesses(out)).toEqual(witnesses(join(roots[0]!, run)));
      for (const name of witnesses(out)) expect(read(out, `witnesses/${name}`)).toBe(read(join(roots[0]!, run), `witnesses/${name}`));
    }
  }, 300_000);

  test("a reproduction killed with SIGKILL midway, then resumed, writes the same runs", async () => {
    const runs = (SUITES === "" ? Object.keys(EVIDENCE_NAMES) : SUITES.split(",")).filter((run) => run.startsWith("finance-"));
    if (runs.length === 0) return;
    const root = tempDir("strata-reproduce-resume-");
    roots.push(root);
    const args = [BUN, join(REPO, "cmd", "main.ts"), "reproduce", "--only", runs.join(","), "--out", root, "--quiet"];
    const child = Bun.spawn(args, { cwd: REPO, stdout: "ignore", stderr: "ignore" });
    // Wait until some cases are committed in some run store, then kill without warning.
    const committed = () =>
      runs.reduce((n, run) => n + RunStore.recordedCount(join(root, run)), 0);
    for (let i = 0; i < 600 && committed() < 5 && child.exitCode === null; i++) await Bun.sleep(50);
    child.kill("SIGKILL");
    await child.exited;
    expect(committed()).toBeGreaterThanOrEqual(5);
    expect(runs.some((run) => !existsSync(join(root, run, "summary.json")))).toBe(true);
    const resumed = runCli(["reproduce", "--only", runs.join(","), "--out", root, "--resume", "--quiet"]);
    expect(resumed.code).toBe(0);
    for (const run of runs) {
      for (const file of ["traces.jsonl", "summary.json", "metadata.json"]) expect(read(join(root, run), file)).toBe(read(join(roots[0]!, run), file));
    }
  }, 300_000);

  test("a bad plan file exits 2 naming its line and column; an unknown --only name exits 2", () => {
    const dir = tempDir("strata-plan-");
    roots.push(dir);
    writeFileSync(join(dir, "plan.yaml"), "runs:\n  - { name: a, label: x, domain: support_saas, suite: seeded, freeze: maybe }\n");
    const bad = runCli(["reproduce", "--plan", join(dir, "plan.yaml"), "--out", join(dir, "out")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${join(dir, "plan.yaml")}:2:`);
    const only = runCli(["reproduce", "--only", "support-seeded,nope", "--out", join(dir, "out")]);
    expect(only.code).toBe(2);
    expect(only.stderr).toContain("no run named nope");
  });

  test("a domain heavier than a lane's share is spread over both lanes by group, with the same results as alone", () => {
    // support outweighs finance many times over, so its cases go to both lanes, group by group.
    const dir = tempDir("strata-split-");
    roots.push(dir);
    writeFileSync(
      join(dir, "plan.yaml"),
      [
        "runs:",
        "  - { name: support, label: support, domain: support_saas, suite: generated, count: 150, seed: 5 }",
        "  - { name: finance, label: finance, domain: finance_saas, suite: seeded }",
        "exports: []",
        "html_report: false",
        "",
      ].join("\n"),
    );
    const r = runCli(["reproduce", "--plan", join(dir, "plan.yaml"), "--out", join(dir, "shared"), "--workers", "2", "--quiet"]);
    expect(r.code).toBe(0);
    const alone = runCli(["run", "--domain", "support_saas", "--suite", "generated", "--count", "150", "--seed", "5", "--workers", "1", "--quiet", "--out", join(dir, "alone")]);
    expect(alone.code).toBe(0);
    for (const file of ["traces.jsonl", "summary.json"]) expect(read(join(dir, "shared", "support"), file)).toBe(read(join(dir, "alone"), file));
    const witnesses = readdirSync(join(dir, "alone", "witnesses")).sort();
    expect(readdirSync(join(dir, "shared", "support", "witnesses")).sort()).toEqual(witnesses);
    for (const w of witnesses) expect(read(join(dir, "shared", "support", "witnesses"), w)).toBe(read(join(dir, "alone", "witnesses"), w));
  }, 300_000);

  test("with --cache, a second reproduction takes every case from the cache and writes the same runs and evidence", () => {
    const runs = ["finance-seeded", "clean-controls"];
    const dir = tempDir("strata-reproduce-cache-");
    roots.push(dir);
    const cache = join(dir, "cases.sqlite");
    const once = (root: string) => {
      const r = runCli(["reproduce", "--only", runs.join(","), "--out", join(dir, root), "--cache", cache, "--quiet"]);
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout).runs.map((run: { name: string; cache: unknown }) => [run.name, run.cache]);
    };
    expect(once("first")).toEqual([
      ["finance-seeded", { hits: 0, misses: 20 }],
      ["clean-controls", { hits: 0, misses: 80 }],
    ]);
    expect(once("second")).toEqual([
      ["finance-seeded", { hits: 20, misses: 0 }],
      ["clean-controls", { hits: 80, misses: 0 }],
    ]);
    for (const file of ["evidence.md", "baselines.json", "ablations.json"]) expect(read(join(dir, "second"), file)).toBe(read(join(dir, "first"), file));
    for (const run of runs) {
      for (const file of ["traces.jsonl", "summary.json"]) expect(read(join(dir, "second", run), file)).toBe(read(join(dir, "first", run), file));
      const witnesses = readdirSync(join(dir, "first", run, "witnesses")).sort();
      expect(readdirSync(join(dir, "second", run, "witnesses")).sort()).toEqual(witnesses);
      for (const w of witnesses) expect(read(join(dir, "second", run, "witnesses"), w)).toBe(read(join(dir, "first", run, "witnesses"), w));
    }
  }, 300_000);

  test("reproduce-evidence.sh regenerates the same evidence files from the runs", () => {
    // A new process reads every run from its files, through the schemas; the reproduction read the
    // traces and witnesses it had just written from memory (rememberTraces, rememberWitness).
    const root = roots[0]!;
    const files = ["evidence.md", "baselines.json", "ablations.json", "artifact-report.md", "report.html", ...readdirSync(join(root, "exports")).map((f) => `exports/${f}`)];
    expect(files).toContain("exports/junit.xml");
    const before = files.map((f) => readFileSync(join(root, f)));
    for (const f of files) rmSync(join(root, f));
    const result = Bun.spawnSync(["bash", join(REPO, "scripts", "reproduce-evidence.sh")], { cwd: root, stdout: "pipe", stderr: "pipe", env: { ...process.env, POLICYSTRATA_RUN_ROOT: root } });
    expect(result.exitCode).toBe(0);
    for (const [i, f] of files.entries()) expect({ file: f, same: readFileSync(join(root, f)).equals(before[i]!) }).toEqual({ file: f, same: true });
  }, 120_000);
});
