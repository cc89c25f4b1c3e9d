import { expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openLanes } from "./executors.ts";
import { RunStore } from "./run-store.ts";
import type { RunEvent } from "../core/model/events.ts";
import { prepareRun } from "./run-spec.ts";
import { lanesFor, runSuite } from "./run-suite.ts";

test("a run uses as many lanes as its distinct work fills, never more than workers or groups", () => {
  const lanes = (spec: Parameters<typeof prepareRun>[0], workers = 2) => {
    const prepared = prepareRun(spec);
    const all = Array.from({ length: prepared.suite.tasks.length }, (_, i) => i);
    return lanesFor(
      prepared,
      all,
      all.map((i) => prepared.suite.tasks.groupOf(i)),
      workers,
    );
  };
  const generated = { suite: "generated", minimize: true, reuse: true };
  // 500 cases but few distinct ones on PGlite: one thread.
  expect(lanes({ ...generated, domain: "support_saas", count: 500, seed: 1729 })).toBe(1);
  // Distinct cases on DuckDB weigh three times as much: two lanes.
  expect(lanes({ ...generated, domain: "analytics_clickhouse", count: 300, seed: 260626 })).toBe(2);
  // Without reuse every case is work.
  expect(lanes({ ...generated, domain: "support_saas", count: 500, seed: 1729, reuse: false })).toBe(2);
  expect(lanes({ ...generated, domain: "support_saas", count: 500, seed: 1729, reuse: false }, 1)).toBe(1);
  process.env.STRATA_MIN_WORK_PER_LANE = "0";
  try {
    expect(lanes({ ...generated, domain: "support_saas", count: 40, seed: 3 })).toBe(2);
  } finally {
    delete process.env.STRATA_MIN_WORK_PER_LANE;
  }
});

test("a pool whose workers cannot open their engine stops the run with the reason, recording no case", async () => {
  const prepared = prepareRun({ domain: "support_saas", suite: "generated", count: 200, seed: 3, minimize: false, reuse: true, backend: "postgres://strata@127.0.0.1:1/none" });
  const finished: RunEvent[] = [];
  const started = performance.now();
  // Small as it is, the run goes to the pool: that is what this test is about.
  process.env.STRATA_MIN_WORK_PER_LANE = "0";
  await expect(
    runSuite({
      prepared,
      workers: 2,
      onEvent: (event) => {
        if (event.type === "case_finished") finished.push(event);
      },
    }),
  ).rejects.toThrow(/127\.0\.0\.1|ECONNREFUSED|connect/i);
  delete process.env.STRATA_MIN_WORK_PER_LANE;
  expect(finished).toHaveLength(0);
  // Not retried case by case (200 cases x 3 attempts would take far longer).
  expect(performance.now() - started).toBeLessThan(60_000);
}, 90_000);

test("lanes shared by runs that close while runs are in flight leave no invalid case in any run's store", async () => {
  const lanes = openLanes(2, true);
  const specs = [
    { domain: "support_saas", suite: "generated", count: 400, seed: 11, minimize: true, reuse: false },
    { domain: "support_saas", suite: "generated", count: 400, seed: 12, minimize: true, reuse: false },
  ];
  const stores = specs.map((spec) => RunStore.open(mkdtempSync(join(tmpdir(), "strata-lanes-")), JSON.stringify(spec), false));
  const recorded = [0, 0];
  const runs = specs.map((spec, r) =>
    runSuite({
      prepared: prepareRun(spec),
      lanes,
      store: stores[r],
      onEvent: async (event) => {
        if (event.type !== "case_finished") return;
        recorded[r]!++;
        // The first results in: the lanes close under both runs.
        if (recorded[0]! + recorded[1]! === 1) await lanes.close();
      },
    }),
  );
  const outcomes = await Promise.allSettled(runs);
  expect(outcomes.some((o) => o.status === "rejected")).toBe(true);
  for (const store of stores) {
    for (const index of store.doneIndices()) expect(store.get(index)!.trace.accounting_status).not.toBe("invalid");
    store.close();
  }
}, 120_000);
