/**
 * Engine throughput: executed cases per second in one process, and peak memory.
 * Usage: bun bench/engine.bench.ts [--runs N] [--quick]
 * Prints the median of N runs per scenario and the ratio to the 500 cases/s/core aim.
 */
import { prepareRun } from "../workers/run-spec.ts";
import { runSuite } from "../workers/run-suite.ts";

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1]) || 3;
const quick = args.includes("--quick");
const AIM = 500;

interface Scenario {
  name: string;
  domain: string;
  suite: string;
  count?: number;
  minimize: boolean;
  reuse: boolean;
}

const scenarios: Scenario[] = [
  { name: "support seeded (defaults)", domain: "support_saas", suite: "seeded", minimize: true, reuse: true },
  { name: "finance seeded (defaults)", domain: "finance_saas", suite: "seeded", minimize: true, reuse: true },
  { name: "analytics seeded (defaults, DuckDB)", domain: "analytics_clickhouse", suite: "seeded", minimize: true, reuse: true },
  { name: "support generated 10,000 (defaults)", domain: "support_saas", suite: "generated", count: quick ? 2000 : 10_000, minimize: true, reuse: true },
  { name: "support generated 10,000 (no reuse, no minimize)", domain: "support_saas", suite: "generated", count: quick ? 1000 : 10_000, minimize: false, reuse: false },
  { name: "support generated 2,000 (no reuse, minimize)", domain: "support_saas", suite: "generated", count: quick ? 200 : 2000, minimize: true, reuse: false },
];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

let peakRss = 0;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};

console.log(`strata engine bench: ${runs} run(s) per scenario, Bun ${Bun.version}, ${navigator.hardwareConcurrency} cores\n`);
console.log("scenario | cases | median run s (excl. engine boot) | median boot s | cases/s | vs 500/s aim | peak RSS MB");
console.log("--- | --- | --- | --- | --- | --- | ---");
for (const s of scenarios) {
  const times: number[] = [];
  const boots: number[] = [];
  let cases = 0;
  peakRss = 0;
  for (let r = 0; r < runs; r++) {
    const prepared = prepareRun({ domain: s.domain, suite: s.suite, count: s.count, minimize: s.minimize, reuse: s.reuse });
    const suite = prepared.suite;
    const t0 = performance.now();
    let started = 0;
    await runSuite({
      prepared,
      onEvent: (e) => {
        if (e.type === "run_started") started = performance.now();
        if (e.type === "case_finished" && e.index % 64 === 0) sample();
      },
    });
    sample();
    times.push((performance.now() - started) / 1000);
    boots.push((started - t0) / 1000);
    cases = suite.tasks.length;
    Bun.gc(true);
  }
  const t = median(times);
  const rate = cases / t;
  console.log(
    `${s.name} | ${cases} | ${t.toFixed(2)} | ${median(boots).toFixed(2)} | ${rate.toFixed(0)} | ${(rate / AIM).toFixed(2)}x | ${(peakRss / 1e6).toFixed(0)}`,
  );
}
