import { expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readCosts } from "./execute-run.ts";
import { prepareRun } from "./run-spec.ts";

test("shard costs come from executed cases; a cached case's 0 ms is left unknown", () => {
  const prepared = prepareRun({ domain: "support_saas", suite: "seeded", minimize: false, reuse: true });
  const [a, b, c] = [0, 1, 2].map((i) => prepared.suite.tasks.at(i).id);
  const file = join(mkdtempSync(join(tmpdir(), "strata-costs-")), "timings.jsonl");
  const lines = [
    { task_id: a, elapsed_ms: 12.5 },
    { task_id: b, elapsed_ms: 0, cached: true },
    { task_id: c, elapsed_ms: 3 },
    { task_id: "not_in_this_suite", elapsed_ms: 9 },
  ];
  writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
  expect([...readCosts(file, prepared)]).toEqual([
    [0, 12.5],
    [2, 3],
  ]);
});
