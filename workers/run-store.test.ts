import { Database } from "bun:sqlite";
import { expect, test } from "bun:test";
import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportTrace } from "../core/evidence/export-fixture.ts";
import { RunStore } from "./run-store.ts";

const trace = (id: string) => exportTrace({ task_id: id });

test("a resumed run still knows which cases came from the cache", () => {
  const dir = mkdtempSync(join(tmpdir(), "strata-store-"));
  const store = RunStore.open(dir, "k", false);
  store.record([
    { index: 0, trace: trace("a"), witness: null, elapsed_ms: 0, cached: true },
    { index: 1, trace: trace("b"), witness: null, elapsed_ms: 3.5 },
  ]);
  store.close();
  const resumed = RunStore.open(dir, "k", true);
  expect(resumed.get(0)?.cached).toBe(true);
  expect(resumed.get(1)?.cached).toBeUndefined();
  expect(resumed.get(1)?.elapsed_ms).toBe(3.5);
  resumed.close();
});

test("a store written before the cached column resumes with it added", () => {
  const dir = mkdtempSync(join(tmpdir(), "strata-store-"));
  const old = new Database(join(dir, RunStore.FILE), { create: true, strict: true });
  old.run("create table run (key text not null)");
  old.run("insert into run (key) values ('k')");
  old.run("create table cases (idx integer primary key, trace text not null, witness text, elapsed_ms real not null)");
  old.query("insert into cases values (0, $trace, null, 2)").run({ trace: JSON.stringify(trace("a")) });
  old.close();
  const store = RunStore.open(dir, "k", true);
  expect([...store.doneIndices()]).toEqual([0]);
  expect(store.get(0)?.cached).toBeUndefined();
  store.record([{ index: 1, trace: trace("b"), witness: null, elapsed_ms: 0, cached: true }]);
  expect(store.get(1)?.cached).toBe(true);
  store.close();
});

test("recorded cases stay in the write-ahead log until close, and a process killed before closing leaves them readable", () => {
  const dir = mkdtempSync(join(tmpdir(), "strata-store-"));
  // About 6 MB of cases: past the 1,000 pages after which SQLite checkpoints by default.
  const script = `
    import { RunStore } from ${JSON.stringify(join(import.meta.dir, "run-store.ts"))};
    import { exportTrace } from ${JSON.stringify(join(import.meta.dir, "../core/evidence/export-fixture.ts"))};
    const store = RunStore.open(${JSON.stringify(dir)}, "k", false);
    for (let b = 0; b < 40; b++) {
      store.record(Array.from({ length: 10 }, (_, i) => ({ index: b * 10 + i, trace: { ...exportTrace({ task_id: "t" + (b * 10 + i) }), request: "x".repeat(15000) }, witness: null, elapsed_ms: 1 })));
    }
    process.kill(process.pid, "SIGKILL");
  `;
  const child = Bun.spawnSync([process.execPath, "-e", script], { stderr: "pipe" });
  expect(child.signalCode).toBe("SIGKILL");
  const db = statSync(join(dir, RunStore.FILE)).size;
  const log = statSync(join(dir, `${RunStore.FILE}-wal`)).size;
  // Nothing was checkpointed into the database file: the cases are all in the log.
  expect(db).toBeLessThan(64 * 1024);
  expect(log).toBeGreaterThan(6_000_000);
  const resumed = RunStore.open(dir, "k", true);
  expect(resumed.doneIndices().size).toBe(400);
  expect(resumed.get(399)?.trace.task_id).toBe("t399");
  resumed.close();
  // Closing checkpoints the log into the database file and removes it.
  expect(statSync(join(dir, RunStore.FILE)).size).toBeGreaterThan(6_000_000);
  expect(existsSync(join(dir, `${RunStore.FILE}-wal`))).toBe(false);
});

test("a long run checkpoints each time the log has taken checkpointBytes of cases, so the log stays small", () => {
  const dir = mkdtempSync(join(tmpdir(), "strata-store-"));
  const store = RunStore.open(dir, "k", false, { checkpointBytes: 1_000_000 });
  const wal = () => (existsSync(join(dir, `${RunStore.FILE}-wal`)) ? statSync(join(dir, `${RunStore.FILE}-wal`)).size : 0);
  let largest = 0;
  for (let b = 0; b < 30; b++) {
    store.record(Array.from({ length: 10 }, (_, i) => ({ index: b * 10 + i, trace: { ...trace(`t${b * 10 + i}`), request: "x".repeat(15000) }, witness: null, elapsed_ms: 1 })));
    largest = Math.max(largest, wal());
  }
  // 4.5 MB of cases went through a log that never held much more than 1 MB of them.
  expect(largest).toBeLessThan(1_600_000);
  expect(statSync(join(dir, RunStore.FILE)).size).toBeGreaterThan(3_000_000);
  expect(store.doneIndices().size).toBe(300);
  store.close();
});
