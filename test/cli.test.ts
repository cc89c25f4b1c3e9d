import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir } from "./helpers.ts";

function copyDomain(): string {
  const out = tempDir();
  const r = runCli(["init-domain", "support_saas", "--out", out]);
  expect(r.code).toBe(0);
  return join(out, "support_saas");
}

describe("strata CLI", () => {
  test("--version and --help", () => {
    const version = runCli(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toContain(JSON.parse(readFileSync("package.json", "utf8")).version);
    for (const command of ["demo", "run", "summarize", "init-domain"]) {
      const help = runCli([command, "--help"]);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`strata ${command}`);
    }
  });

  test("demo explains a drift found on real rows", () => {
    const out = tempDir();
    const r = runCli(["demo", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Drift classes found:");
    expect(r.stdout).toMatch(/Killed \d+, survived \d+, equivalent \d+, invalid \d+/);
    expect(r.stdout).toContain("First violated layer: compiler (lowering_violation), obligation tenant_scope");
    const canonical = r.stdout.match(/canonical: (.*)/)?.[1];
    const lowered = r.stdout.match(/lowered: {3}(.*)/)?.[1];
    expect(canonical).toBeTruthy();
    expect(lowered).toBeTruthy();
    expect(lowered).not.toBe(canonical);
    expect(r.stdout).toContain("Containment: database");
    for (const file of ["traces.jsonl", "summary.json", "metadata.json", "timings.jsonl"]) expect(existsSync(join(out, file))).toBe(true);
  }, 60_000);

  test("summarize recomputes summary.json from the traces", () => {
    const out = tempDir();
    expect(runCli(["run", "--domain", "finance_saas", "--suite", "seeded", "--out", out, "--quiet"]).code).toBe(0);
    const r = runCli(["summarize", out]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")));
    expect(runCli(["summarize", tempDir()]).code).toBe(2);
  }, 60_000);

  test("an unsafe suite name exits 2 and writes nothing", () => {
    const out = join(tempDir(), "never");
    const r = runCli(["run", "--suite", "../secret", "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unsafe suite name");
    expect(existsSync(out)).toBe(false);
  });

  test("an unknown suite names the file it looked for", () => {
    const r = runCli(["run", "--suite", "nightly", "--out", tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/support_saas\/tasks\/nightly\.yaml:1:1: unknown suite: nightly/);
  });

  test("bad numbers and unknown flags exit 2", () => {
    expect(runCli(["run", "--suite", "generated", "--count", "-1", "--out", tempDir()]).code).toBe(2);
    expect(runCli(["run", "--suite", "generated", "--count", "many", "--out", tempDir()]).code).toBe(2);
    expect(runCli(["run", "--backend", "oracle", "--out", tempDir()]).code).toBe(2);
    expect(runCli(["run", "--no-such-flag", "--out", tempDir()]).code).toBe(2);
    expect(runCli(["frobnicate"]).code).toBe(2);
  });

  test("malformed domain YAML exits 2 with file:line:col and a fix", () => {
    const dir = copyDomain();
    const policy = join(dir, "policy.yaml");
    writeFileSync(policy, readFileSync(policy, "utf8").replace("    max_rows: 1000", "    max_rows: 1000\n    max_rowz: 5"));
    const r = runCli(["run", "--domain-path", dir, "--out", tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/policy\.yaml:\d+:5: roles\.analyst: unknown key "max_rowz"/);
    expect(r.stderr).toContain("fix:");
    writeFileSync(policy, "version: v7\nprincipals: [unclosed\n");
    const broken = runCli(["run", "--domain-path", dir, "--out", tempDir()]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/policy\.yaml:\d+:\d+: invalid YAML/);
  });

  test("an unknown principal or metric in a suite exits 2 at its line and column", () => {
    const dir = copyDomain();
    const suite = join(dir, "tasks", "seeded.yaml");
    const text = readFileSync(suite, "utf8");
    writeFileSync(suite, text.replace("principal: acme_analyst", "principal: mallory"));
    const principal = runCli(["run", "--domain-path", dir, "--out", tempDir()]);
    expect(principal.code).toBe(2);
    const line = text.split("\n").findIndex((l) => l.includes("principal: acme_analyst")) + 1;
    expect(principal.stderr).toContain(`seeded.yaml:${line}:16: unknown principal: mallory`);
    writeFileSync(suite, text.replace(/metric: (\w+)/, "metric: unicorns"));
    const metric = runCli(["run", "--domain-path", dir, "--out", tempDir()]);
    expect(metric.code).toBe(2);
    expect(metric.stderr).toMatch(/seeded\.yaml:\d+:\d+: unknown metric: unicorns/);
  });

  test("init-domain refuses to overwrite", () => {
    const out = tempDir();
    expect(runCli(["init-domain", "finance_saas", "--out", out]).code).toBe(0);
    const again = runCli(["init-domain", "finance_saas", "--out", out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("domain already exists");
  });

  test("--gate exits 1 when a mutant survives", () => {
    const dir = copyDomain();
    // A cost-estimate drift on a plan well within budget changes the compiler's estimate but no outcome.
    writeFileSync(
      join(dir, "tasks", "survivor.yaml"),
      `tasks:
  - id: cheap_plan
    principal: acme_analyst
    request: ticket count
    mutation: cost_estimate_ignores_expansion
    semantic_query: { metric: ticket_count, dimensions: [region], time_range: last_month, limit: 10 }
`,
    );
    const out = tempDir();
    const r = runCli(["run", "--domain-path", dir, "--suite", "survivor", "--out", out, "--gate", "--quiet"]);
    expect(r.code).toBe(1);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(summary.survived).toBe(1);
    expect(summary.survivors[0].reason).toContain("compiler");
    expect(runCli(["run", "--domain-path", dir, "--suite", "survivor", "--out", tempDir(), "--quiet"]).code).toBe(0);
  });
});
