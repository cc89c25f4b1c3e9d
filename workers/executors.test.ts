import { expect, test } from "bun:test";
import { isMainThread } from "node:worker_threads";
import type { RunEvent } from "../core/model/events.ts";
import { type Lanes, openLanes } from "./executors.ts";
import { threadMemory } from "./memory-governor.ts";
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
  const counted = threadMemory.counted;
  const together = await runAll(mixed, (index) => index % 2);
  expect(together).toEqual(alone);
  // The memory governor counts each case once, whichever lane ran it.
  expect(threadMemory.counted - counted).toBe(together.flat().length);
  expect(alone.flat().filter((c) => !c.endsWith("\nnull")).length).toBeGreaterThan(20);
}, 120_000);

test("this thread's lane lets the event loop turn between cases, so worker lanes are served during its batches", async () => {
  const prepared = prepareRun({ domain: "support_saas", suite: "seeded", minimize: true, reuse: true });
  const lanes = openLanes(1, true);
  try {
    const executor = lanes.executor(prepared);
    // Warm: the engine opens (with I/O) before the counted batch.
    await executor.run(0, [0]);
    let turns = 0;
    let counting = true;
    const count = () => {
      turns++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const indices = Array.from({ length: 12 }, (_, i) => i + 1);
    const results = await executor.run(0, indices);
    counting = false;
    expect(results.map((r) => r.index)).toEqual(indices);
    // PGlite settles its queries as microtasks: without a turn per case the loop would wait for the batch.
    expect(turns).toBeGreaterThanOrEqual(indices.length - 1);
  } finally {
    await lanes.close();
  }
}, 60_000);
