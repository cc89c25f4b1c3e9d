import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../core/input/input-error.ts";
import { BUILTIN_DOMAINS } from "./load-domain.ts";
import { LocatedYaml } from "../core/input/located-yaml.ts";
import { BUILTIN_PLANS, loadPlan, parsePlan } from "./load-plan.ts";

const located = (text: string): InputError => {
  try {
    parsePlan("plan.yaml", text);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("the plan was accepted");
};

describe("reproduce plans", () => {
  test("the built-in paper-final plan lists the paper's eight runs on the built-in domains", () => {
    const { plan } = loadPlan();
    expect(plan.runs.map((r) => r.name)).toEqual([
      "support-seeded",
      "support-generated",
      "support-heldout-v1",
      "finance-seeded",
      "finance-heldout-v1",
      "analytics-clickhouse-seeded",
      "analytics-clickhouse-generated",
      "clean-controls",
    ]);
    for (const run of plan.runs) expect(BUILTIN_DOMAINS as readonly string[]).toContain(run.domain);
    expect(plan.runs.filter((r) => r.freeze).map((r) => [r.suite, r.count, r.seed])).toEqual([
      ["generated", 500, 1729],
      ["heldout_v1", 500, 260626],
      ["heldout_v1", 250, 260626],
      ["generated", 300, 260626],
      ["clean_controls", 80, 260627],
    ]);
    expect(plan.artifact_run).toBe("support-heldout-v1");
  });

  test("a duplicate run name is located at its line and column", () => {
    const error = located("runs:\n  - { name: a, label: x, domain: support_saas, suite: seeded }\n  - { name: a, label: y, domain: support_saas, suite: seeded }\n");
    expect(error.message).toContain("plan.yaml:3:");
    expect(error.message).toContain("two runs have the name a");
  });

  test("an unknown key, an unknown export and a missing artifact run are errors with a fix", () => {
    expect(located("runs:\n  - { name: a, label: x, domain: d, suite: s, cuont: 3 }\n").message).toMatch(/plan\.yaml:2:\d+.*unknown key "cuont"/s);
    expect(located("runs:\n  - { name: a, label: x, domain: d, suite: s }\nexports: [csv]\n").message).toMatch(/plan\.yaml:3:\d+.*exports\.0/s);
    expect(located("runs:\n  - { name: a, label: x, domain: d, suite: s }\nartifact_run: b\n").message).toContain("no run is named b");
  });

  test("a plan file's domain_path is taken from the plan's folder; an unknown plan is a usage error", () => {
    const dir = mkdtempSync(join(tmpdir(), "strata-plan-"));
    const file = join(dir, "plan.yaml");
    writeFileSync(file, "runs:\n  - { name: a, label: x, domain: mine, domain_path: domains/mine, suite: seeded }\n");
    expect(loadPlan(file).plan.runs[0]!.domain_path).toBe(join(dir, "domains", "mine"));
    expect(() => loadPlan(join(dir, "nope.yaml"))).toThrow("no plan named");
  });
});

test("built-in plans: Bun's YAML parser gives the located parser's values", () => {
  for (const [name, text] of Object.entries(BUILTIN_PLANS)) {
    expect(Bun.deepEquals(Bun.YAML.parse(text), LocatedYaml.parse(name, text).value(), true), name).toBe(true);
    expect(loadPlan(name).plan).toEqual(parsePlan(name, text));
  }
});
