import { expect, test } from "bun:test";
import type { RunEvent } from "../core/model/events.ts";
import { prepareRun } from "./run-spec.ts";
import { runSuite } from "./run-suite.ts";

test("a pool whose workers cannot open their engine stops the run with the reason, recording no case", async () => {
  const prepared = prepareRun({ domain: "support_saas", suite: "generated", count: 200, seed: 3, minimize: false, reuse: true, backend: "postgres://strata@127.0.0.1:1/none" });
  const finished: RunEvent[] = [];
  const started = performance.now();
  await expect(
    runSuite({
      prepared,
      workers: 2,
      onEvent: (event) => {
        if (event.type === "case_finished") finished.push(event);
      },
    }),
  ).rejects.toThrow(/127\.0\.0\.1|ECONNREFUSED|connect/i);
  expect(finished).toHaveLength(0);
  // Not retried case by case (200 cases x 3 attempts would take far longer).
  expect(performance.now() - started).toBeLessThan(60_000);
}, 90_000);
