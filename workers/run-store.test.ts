import { Database } from "bun:sqlite";
import { expect, test } from "bun:test";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportTrace } from "../core/evidence/export-fixture.ts";
import { UsageError } from "../core/input/usage-error.ts";
import { RunStore } from "./run-store.ts";

const trace = (id: string) => exportTrace({ task_id: id });
const freshDir = () => mkdtempSync(join(tmpdir(), "strata-store-"));

test("a resumed run gets back each case as recorded, and still knows which came from the cache", () => {
  const dir = freshDir();
  const store = RunStore.open(dir, "k", false);
  const witness = { task_id: "b", note: "kept" } as never;
  store.record([
    { index: 0, trace: trace("a"), witness: null, elapsed_ms: 0, cached: true },
    { index: 1, trace: { ...trace("b"), request: "Zürich — 東京 😀" }, witness, elapsed_ms: 3.25 },
  ]);
  store.close();
  const resumed = RunStore.open(dir, "k", true);
  expect([...resumed.doneIndices()].sort()).toEqual([0, 1]);
  expect(resumed.get(0)?.cached).toBe(true);
  expect(resumed.get(1)?.cached).toBeUndefined();
  expect(resumed.get(1)?.elapsed_ms).toBe(3.25);
  expect(resumed.get(1)?.trace.request).toBe("Zürich — 東京 😀");
  expect(resumed.get(1)?.witness).toEqual(witness);
  expect(resumed.get(2)).toBeNull();
  resumed.close();
  expect(RunStore.recordedCount(dir)).toBe(2);
});

test("a fresh run empties the store; resuming another run is refused", () => {
  const dir = freshDir();
  const store = RunStore.open(dir, "k", false);
  store.record([{ index: 0, trace: trace("a"), witness: null, elapsed_ms: 1 }]);
  store.close();
  expect(() => RunStore.open(dir, "other", true)).toThrow(UsageError);
  RunStore.open(dir, "k", false).close();
  expect(RunStore.recordedCount(dir)).toBe(0);
});

test("a process killed without warning loses nothing it recorded", () => {
  const dir = freshDir();
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
  expect(statSync(join(dir, RunStore.FILE)).size).toBeGreaterThan(6_000_000);
  const resumed = RunStore.open(dir, "k", true);
  expect(resumed.doneIndices().size).toBe(400);
  expect(resumed.get(399)?.trace.task_id).toBe("t399");
  resumed.close();
});

test("a torn or zero-filled tail is dropped and cut off, and the cases after it are appended where it began", () => {
  const dir = freshDir();
  const file = join(dir, RunStore.FILE);
  const store = RunStore.open(dir, "k", false);
  store.record([0, 1, 2].map((index) => ({ index, trace: trace(`t${index}`), witness: null, elapsed_ms: 1 })));
  store.close();
  const whole = readFileSync(file);
  // A power cut: the last line half written, then a block of zeros.
  writeFileSync(file, whole.subarray(0, whole.length - 40));
  appendFileSync(file, Buffer.alloc(4096));
  const resumed = RunStore.open(dir, "k", true);
  expect([...resumed.doneIndices()].sort()).toEqual([0, 1]);
  resumed.record([{ index: 2, trace: trace("t2-again"), witness: null, elapsed_ms: 2 }]);
  resumed.close();
  const again = RunStore.open(dir, "k", true);
  expect([...again.doneIndices()].sort()).toEqual([0, 1, 2]);
  expect(again.get(2)?.trace.task_id).toBe("t2-again");
  again.close();
  // A line whose bytes changed fails its checksum: it and everything after it run again.
  const text = readFileSync(file, "utf8");
  writeFileSync(file, text.replace('"task_id":"t1"', '"task_id":"t7"'));
  const checked = RunStore.open(dir, "k", true);
  expect([...checked.doneIndices()]).toEqual([0]);
  checked.close();
});

test("a store left by an older strata (SQLite) is carried over on resume, and refused for another run", () => {
  const legacyStore = (withCached: boolean, key = "k") => {
    const dir = freshDir();
    const old = new Database(join(dir, RunStore.LEGACY_FILE), { create: true, strict: true });
    old.run("create table run (key text not null)");
    old.query("insert into run (key) values ($key)").run({ key });
    old.run(`create table cases (idx integer primary key, trace text not null, witness text, elapsed_ms real not null${withCached ? ", cached integer not null default 0" : ""})`);
    old.query(`insert into cases values (0, $trace, null, 2${withCached ? ", 1" : ""})`).run({ trace: JSON.stringify(trace("a")) });
    old.query(`insert into cases values (3, $trace, $witness, 4.5${withCached ? ", 0" : ""})`).run({ trace: JSON.stringify(trace("d")), witness: JSON.stringify({ task_id: "d" }) });
    old.close();
    return dir;
  };
  for (const withCached of [false, true]) {
    const dir = legacyStore(withCached);
    const store = RunStore.open(dir, "k", true);
    expect([...store.doneIndices()].sort()).toEqual([0, 3]);
    expect(store.get(0)?.cached).toBe(withCached ? true : undefined);
    expect(store.get(3)?.witness).toEqual({ task_id: "d" } as never);
    store.record([{ index: 1, trace: trace("b"), witness: null, elapsed_ms: 0, cached: true }]);
    store.close();
    expect(existsSync(join(dir, RunStore.LEGACY_FILE))).toBe(false);
    // Carried over into the log: a second resume reads all three from it.
    const again = RunStore.open(dir, "k", true);
    expect([...again.doneIndices()].sort()).toEqual([0, 1, 3]);
    expect(again.get(3)?.elapsed_ms).toBe(4.5);
    again.close();
  }
  const other = legacyStore(true, "another run");
  expect(() => RunStore.open(other, "k", true)).toThrow(UsageError);
  expect(existsSync(join(other, RunStore.LEGACY_FILE))).toBe(true);
});
