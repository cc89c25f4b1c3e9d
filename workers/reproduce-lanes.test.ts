import { expect, test } from "bun:test";
import type { PlannedRun } from "../core/model/reproduce-plan.ts";
import { placeUnits, type ReadyRun } from "./reproduce.ts";
import { prepareRun, type RunSpec } from "./run-spec.ts";

function readyRun(name: string, domain: string, suite: string, count?: number): ReadyRun {
  const spec: RunSpec = { domain, suite, count, seed: 260626, minimize: true, reuse: true };
  const planned: PlannedRun = { name, label: name, domain, suite, count, seed: 260626, freeze: false };
  return { planned, out: `/nonexistent/${name}`, spec, prepared: prepareRun(spec), manifestText: null };
}

/** The lanes each run's cases go to. */
function lanesOf(runs: ReadyRun[], lanes: number, threadLane: boolean): Set<number>[] {
  const placed = placeUnits(runs, lanes, threadLane);
  return runs.map((run, r) => new Set(Array.from({ length: run.prepared.suite.tasks.length }, (_, i) => placed[r]!(i))));
}

// Finance runs on PGlite, analytics on DuckDB. The analytics cases outweigh a lane's share, so
// their groups are spread over both lanes, one of which also holds every finance case.
const runs = () => [readyRun("finance", "finance_saas", "seeded"), readyRun("analytics", "analytics_clickhouse", "generated", 60)];

test("with a lane in this thread, all the PGlite work is this thread's (lane 0), wherever DuckDB's goes", () => {
  const [finance, analytics] = lanesOf(runs(), 2, true);
  expect([...finance!]).toEqual([0]);
  // DuckDB's work is on both lanes, so the choice of lane 0 is not forced by the placement itself.
  expect([...analytics!].sort()).toEqual([0, 1]);
});

test("the placement only renumbers lanes: the same cases share a lane with or without a thread lane", () => {
  const ready = runs();
  const pool = placeUnits(ready, 2, false);
  const mixed = placeUnits(ready, 2, true);
  const together = (placed: typeof pool) => ready.map((run, r) => Array.from({ length: run.prepared.suite.tasks.length }, (_, i) => placed[r]!(i)));
  const a = together(pool).flat();
  const b = together(mixed).flat();
  // A bijection between the two numberings maps one placement onto the other.
  const map = new Map<number, number>();
  a.forEach((lane, i) => {
    expect(map.get(lane) ?? b[i]).toBe(b[i]!);
    map.set(lane, b[i]!);
  });
  expect(new Set(map.values()).size).toBe(map.size);
});
