import { describe, expect, test } from "bun:test";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { exportTraces } from "../core/evidence/export-fixture.ts";
import type { RunMetadata } from "../core/model/metadata.ts";
import type { Summary } from "../core/model/summary.ts";
import type { Witness } from "../core/model/witness.ts";
import { ArtifactWriter } from "./reporters/artifacts.ts";
import { KEPT_WITNESS_BYTES, readTraces, rememberWitness, writtenWitness } from "./run-directory.ts";
import { traceJson } from "./trace-json.ts";

function writeRun(rememberTraces: boolean, rememberUpToBytes?: number): string {
  const dir = mkdtempSync(join(tmpdir(), "strata-run-dir-"));
  const writer = new ArtifactWriter(dir, { rememberTraces, rememberUpToBytes });
  writer.handle({ type: "run_started", metadata: {} as RunMetadata });
  for (const trace of exportTraces()) writer.handle({ type: "case_finished", index: 0, trace, witness: null, elapsed_ms: 1 });
  writer.handle({ type: "run_finished", summary: {} as Summary });
  return dir;
}

describe("traces a run has just written", () => {
  test("read back as written, without parsing the file again, and equal to what the schema reads from it", () => {
    const dir = writeRun(true);
    const file = join(dir, "traces.jsonl");
    const text = readFileSync(file, "utf8");
    // Same size and time, other bytes: a read that parsed the file would fail.
    const { mtimeMs, atimeMs } = statSync(file);
    writeFileSync(file, "x".repeat(text.length));
    utimesSync(file, atimeMs / 1000, mtimeMs / 1000);
    expect(statSync(file).mtimeMs).toBe(mtimeMs);
    const first = readTraces(dir);
    expect(first.map(traceJson).join("\n")).toBe(text.trimEnd());
    writeFileSync(file, text);
    // Touched: read again through the schema, with the same content.
    utimesSync(join(dir, "traces.jsonl"), new Date(0), new Date(0));
    const validated = readTraces(dir);
    expect(validated[0]).not.toBe(first[0]!);
    expect(validated).toEqual(first);
  });

  test("a changed file is read again, and a writer that does not remember leaves the reads to the file", () => {
    // Not remembered: by such a writer, or past the bytes the memo keeps (the writer stops holding them).
    for (const unremembered of [writeRun(false), writeRun(true, 1000)]) {
      const file = join(unremembered, "traces.jsonl");
      const { mtimeMs, atimeMs, size } = statSync(file);
      expect(size).toBeGreaterThan(1000);
      writeFileSync(file, "x".repeat(size));
      utimesSync(file, atimeMs / 1000, mtimeMs / 1000);
      expect(() => readTraces(unremembered)).toThrow("not JSON");
    }
    const dir = writeRun(true);
    const before = readTraces(dir);
    appendFileSync(join(dir, "traces.jsonl"), `${traceJson(before[0]!)}\n`);
    expect(readTraces(dir)).toHaveLength(before.length + 1);
    const plain = writeRun(false);
    const read = readTraces(plain);
    expect(read).toEqual(before);
    expect(read[0]).not.toBe(before[0]!);
  });
});

describe("witnesses a run has just written", () => {
  const witness = (id: string) => ({ task_id: id, state: { rows: [{ table: "t", key: id }], original_row_count: 3 } }) as unknown as Witness;

  function writeWitnesses(remember: boolean, ids: string[]): string {
    const dir = mkdtempSync(join(tmpdir(), "strata-run-dir-"));
    const writer = new ArtifactWriter(dir, { rememberTraces: remember });
    writer.handle({ type: "run_started", metadata: {} as RunMetadata });
    const [trace] = exportTraces();
    for (const id of ids) writer.handle({ type: "case_finished", index: 0, trace: trace!, witness: witness(id), elapsed_ms: 1 });
    writer.handle({ type: "run_finished", summary: {} as Summary });
    return dir;
  }

  test("read back as written while the file is unchanged, and from the file once it changed or was not remembered", () => {
    const dir = writeWitnesses(true, ["w1", "w2"]);
    const file = join(dir, "witnesses", "w1.json");
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(witness("w1"));
    // Same size and time, other bytes: still the witness written (a read of the file would not be).
    const { mtimeMs, atimeMs, size } = statSync(file);
    writeFileSync(file, " ".repeat(size));
    utimesSync(file, atimeMs / 1000, mtimeMs / 1000);
    expect(writtenWitness(file)).toEqual(witness("w1"));
    // A relative path names the same file.
    expect(writtenWitness(relative(process.cwd(), file))).toEqual(witness("w1"));
    utimesSync(file, new Date(0), new Date(0));
    expect(writtenWitness(file)).toBeUndefined();
    rmSync(join(dir, "witnesses", "w2.json"));
    expect(writtenWitness(join(dir, "witnesses", "w2.json"))).toBeUndefined();
    const plain = writeWitnesses(false, ["w3"]);
    expect(writtenWitness(join(plain, "witnesses", "w3.json"))).toBeUndefined();
  });

  test("the memo keeps the most recently written files up to its bytes", () => {
    const ids = Array.from({ length: 40 }, (_, i) => `bulk${i}`);
    const dir = writeWitnesses(true, ids);
    const size = statSync(join(dir, "witnesses", "bulk0.json")).size;
    // Filling the memo past its bound with one big file drops the oldest first.
    const big = join(dir, "big.json");
    writeFileSync(big, "x".repeat(KEPT_WITNESS_BYTES - 10 * size));
    rememberWitness(big, witness("big"));
    const kept = ids.filter((id) => writtenWitness(join(dir, "witnesses", `${id}.json`)) !== undefined);
    expect(kept).toEqual(ids.slice(ids.length - kept.length));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThanOrEqual(10);
    expect(writtenWitness(big)).toEqual(witness("big"));
    rmSync(big);
  });
});
