import { expect, test } from "bun:test";
import { isMainThread } from "node:worker_threads";
import type { RunEvent } from "../core/model/events.ts";
import { type Lanes, openLanes } from "./executors.ts";
import { type PreparedRun, prepareRun } from "./run-spec.ts";
import { runSuite } from "./run-suite.ts";
import { traceJson } from "./trace-json.ts";

const SPECS = [
  { domain: "analytics_clickhouse", suite: "generated", count: 40, seed: 5, minimize: true, reuse: true },
  { domain: "support_saas", suite: "generated", count: 40, seed: 5, minimize: true, reuse: true },
];

/** Every run of SPECS at once on `lanes`, case i on lane laneOf(i); their traces and witnesses, in case order. */
async function runAll(lanes: Lanes, laneOf: (index: number) => number): Promise<string[][]> {
  try {
    return await Promise.all(
      SPECS.map(async (spec) => {
        const prepared: PreparedRun = prepareRun(spec);
        const out: string[] = [];
        await runSuite({
          prepared,
          lanes,
          laneOf,
          onEvent: (event: RunEvent) => {
            if (event.type === "case_finished") out[event.index] = `${traceJson(event.trace)}\n${JSON.stringify(event.witness)}`;
          },
        });
        return out;
      }),
    );
  } finally {
    await lanes.close();
  }
}

test("a thread lane beside pool lanes: the same traces and witnesses as one thread, with lane 0 in this thread", async () => {
  expect(isMainThread).toBe(true);
  const alone = await runAll(openLanes(1, true), () => 0);
  const mixed = openLanes(2, true, { threadLane: true });
  expect([mixed.count, mixed.workerThreads]).toEqual([2, 1]);
  // Cases alternate between this thread and the worker, so both lanes compute witnesses of both domains.
  const together = await runAll(mixed, (index) => index % 2);
  expect(together).toEqual(alone);
  expect(alone.flat().filter((c) => !c.endsWith("\nnull")).length).toBeGreaterThan(20);
}, 120_000);
