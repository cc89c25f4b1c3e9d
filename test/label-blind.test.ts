import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { detect } from "../core/detect/detect.ts";
import { Observation } from "../core/model/observation.ts";
import { loadDomain } from "../suites/load-domain.ts";
import { memoizedAnalyzer } from "../workers/sql-analyses.ts";
import { REPO, runInProcess } from "./helpers.ts";

/** Every file reachable from `entry` through relative imports. */
function importClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(/(?:import|export)[^"']*?from\s+["'](\.[^"']+)["']|import\(\s*["'](\.[^"']+)["']\s*\)/g)) {
      visit(resolve(dirname(file), (match[1] ?? match[2])!));
    }
  };
  visit(entry);
  return seen;
}

describe("the detector is label-blind", () => {
  test("no module it can reach knows the mutation registry, the suites or the expected labels", () => {
    const reachable = [...importClosure(join(REPO, "core", "detect", "detect.ts"))].map((f) => f.slice(REPO.length + 1));
    expect(reachable).toContain("core/detect/compiler.ts");
    const forbidden = reachable.filter((f) => f.startsWith("core/mutants/") || f.startsWith("core/suites/") || f === "core/model/suite.ts" || f === "core/model/trace.ts");
    expect(forbidden).toEqual([]);
  });

  test("an observation carries no mutation id or expected label, and the verdict is a function of it and the canonical view alone", async () => {
    const { traces } = await runInProcess("support_saas", "seeded", { minimize: false });
    const shape = Object.keys(Observation.shape);
    expect(shape.some((k) => /mutation|expected|label/.test(k))).toBe(false);
    const domain = loadDomain("support_saas");
    const analyze = memoizedAnalyzer("postgres");
    for (const t of traces) {
      const observation = Observation.parse(JSON.parse(JSON.stringify(t.observation)));
      const json = JSON.stringify(observation);
      expect(json).not.toContain(t.mutation);
      const again = detect({
        policy: domain.policy,
        db: domain.database,
        observation,
        canonical: t.canonical!,
        analyze,
      });
      expect(again.witness_class).toBe(t.witness_class);
      expect(again.localized_surface).toBe(t.localized_surface);
    }
  }, 60_000);
});

