/**
 * Runner benchmarks, each scenario a separate CLI process (as users run it):
 *   bun bench/runner.bench.ts [--runs N] [--million | --million-only] [--postgres URL] [--clickhouse URL]
 * Prints median wall time, cases/s, peak RSS (from /usr/bin/time when present) and ratios:
 * 1 -> 2 workers scaling, and backends side by side.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1]) || 3;
const postgres = args.includes("--postgres") ? args[args.indexOf("--postgres") + 1] : process.env.STRATA_TEST_POSTGRES_URL;
const clickhouse = args.includes("--clickhouse") ? args[args.indexOf("--clickhouse") + 1] : process.env.STRATA_TEST_CLICKHOUSE_URL;
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;
const main = join(import.meta.dir, "..", "cmd", "main.ts");

interface Measure {
  seconds: number;
  rssMb: number | null;
}

function once(cliArgs: string[], env: Record<string, string> = {}): Measure {
  const out = mkdtempSync(join(tmpdir(), "strata-bench-"));
  const command = [process.execPath, main, "run", ...cliArgs, "--out", out, "--quiet"];
  const started = performance.now();
  const r = Bun.spawnSync(TIME ? [TIME, "-f", "%M", ...command] : command, { stdout: "ignore", stderr: "pipe", env: { ...process.env, ...env } });
  const seconds = (performance.now() - started) / 1000;
  rmSync(out, { recursive: true, force: true });
  if (r.exitCode !== 0) throw new Error(`strata ${cliArgs.join(" ")} failed: ${r.stderr.toString().slice(-500)}`);
  const rss = TIME ? Number(r.stderr.toString().trim().split("\n").pop()) / 1024 : null;
  return { seconds, rssMb: rss };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function measure(name: string, cases: number, cliArgs: string[], times = runs, env: Record<string, string> = {}): number {
  const all = Array.from({ length: times }, () => once(cliArgs, env));
  const seconds = median(all.map((m) => m.seconds));
  const rss = all.map((m) => m.rssMb).filter((x): x is number => x !== null);
  console.log(`${name} | ${cases} | ${seconds.toFixed(2)} | ${(cases / seconds).toFixed(0)} | ${rss.length ? Math.max(...rss).toFixed(0) : "n/a"}`);
  return cases / seconds;
}

console.log(`strata runner bench: ${runs} run(s) each, whole CLI process (boot included), ${navigator.hardwareConcurrency} cores\n`);
const MILLION = ["--domain", "support_saas", "--suite", "generated", "--count", "1000000", "--no-minimize"];
if (args.includes("--million-only")) {
  console.log("scenario | cases | median s | cases/s | peak RSS MB");
  console.log("--- | --- | --- | --- | ---");
  measure("support generated 1,000,000, no minimize, 1 worker", 1_000_000, MILLION, 1);
  process.exit(0);
}
console.log("scenario | cases | median s | cases/s | peak RSS MB");
console.log("--- | --- | --- | --- | ---");
const gen = ["--domain", "support_saas", "--suite", "generated", "--count", "10000"];
const w1 = measure("support generated, defaults, 1 worker", 10000, [...gen, "--workers", "1"]);
const w2 = measure("support generated, defaults, 2 workers", 10000, [...gen, "--workers", "2"]);
// The run above stays in one thread (too little distinct work for a second lane); this one is forced onto the pool.
const w2pool = measure("support generated, defaults, 2 workers forced onto the pool", 10000, [...gen, "--workers", "2"], runs, { STRATA_MIN_WORK_PER_LANE: "0" });
const raw = ["--domain", "support_saas", "--suite", "generated", "--count", "4000", "--no-reuse", "--no-minimize"];
const r1 = measure("support generated, raw execution, 1 worker", 4000, [...raw, "--workers", "1"]);
const r2 = measure("support generated, raw execution, 2 workers", 4000, [...raw, "--workers", "2"]);
const backend = ["--suite", "generated", "--count", "2000", "--no-reuse", "--no-minimize", "--workers", "1"];
measure("backend pglite (support)", 2000, ["--domain", "support_saas", ...backend]);
if (postgres) measure("backend postgres server (support)", 2000, ["--domain", "support_saas", ...backend, "--backend", postgres]);
else console.log("backend postgres server | skipped: pass --postgres URL or set STRATA_TEST_POSTGRES_URL (scripts/start-postgres.sh)");
measure("backend sqlite (support)", 2000, ["--domain", "support_saas", ...backend, "--backend", "sqlite"]);
measure("backend duckdb (analytics)", 2000, ["--domain", "analytics_clickhouse", ...backend]);
if (clickhouse) measure("backend clickhouse server (analytics)", 2000, ["--domain", "analytics_clickhouse", ...backend, "--backend", clickhouse]);
else console.log("backend clickhouse server | skipped: pass --clickhouse URL or set STRATA_TEST_CLICKHOUSE_URL (scripts/start-clickhouse.sh)");
if (args.includes("--million")) {
  measure("support generated 1,000,000, no minimize, 1 worker", 1_000_000, MILLION, 1);
}
console.log(`\nscaling 1 -> 2 workers: defaults ${(w2 / w1).toFixed(2)}x (pool forced: ${(w2pool / w1).toFixed(2)}x), raw execution ${(r2 / r1).toFixed(2)}x (target 1.8x)`);
console.log(`targets: >= 1000 cases/s on 2 cores: defaults ${w2 >= 1000 ? "met" : "not met"} (${w2.toFixed(0)}), raw ${r2 >= 1000 ? "met" : "not met"} (${r2.toFixed(0)})`);
