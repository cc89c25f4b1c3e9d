import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ReproducePlan } from "../core/model/reproduce-plan.ts";
import { loadPlan } from "../suites/load-plan.ts";
import { executeRun } from "./execute-run.ts";
import { EvidenceWriter } from "./reproduce-evidence.ts";
import { type ReadyRun, whenThreadFree } from "./reproduce.ts";

describe("evidence started when each run is done", () => {
  let root: string;
  let plan: ReproducePlan;

  beforeAll(async () => {
    const paper = loadPlan("paper-final").plan;
    // Two domains (two engines' SQL dialect is the same here, but two policies and schemas).
    plan = { ...paper, runs: paper.runs.filter((run) => run.name === "support-seeded" || run.name === "finance-seeded"), artifact_run: "finance-seeded" };
    root = mkdtempSync(join(tmpdir(), "strata-evidence-writer-"));
    for (const run of plan.runs) {
      await executeRun({ domain: run.domain, suite: run.suite, minimize: true, reuse: true }, { out: join(root, run.name), workers: 1, resume: false, quiet: true });
    }
  }, 180_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Every evidence file under the root, by path (not the run directories). */
  function evidenceFiles(): Record<string, string> {
    const files: Record<string, string> = {};
    for (const name of readdirSync(root, { recursive: true }) as string[]) {
      if (plan.runs.some((run) => name.startsWith(run.name)) || name === "exports") continue;
      files[name] = readFileSync(join(root, name), "utf8");
    }
    return files;
  }

  function clear(): void {
    for (const name of readdirSync(root)) if (!plan.runs.some((run) => run.name === name)) rmSync(join(root, name), { recursive: true, force: true });
  }

  test("reading runs as they finish writes the same files as reading them all at the end", async () => {
    clear();
    const late = await new EvidenceWriter(root, plan.runs, plan, () => {}).finish();
    const atEnd = evidenceFiles();
    expect(Object.keys(atEnd).sort()).toEqual([...late].sort());

    clear();
    const said: string[] = [];
    const writer = new EvidenceWriter(root, plan.runs, plan, (line) => said.push(line));
    // The artifact run finishes first: its report and exports are written before finish() is called.
    writer.runDone(plan.runs[1]!);
    writer.runDone(plan.runs[0]!);
    await writer.whenIdle();
    const early = readdirSync(root, { recursive: true }) as string[];
    expect(early).toContain("artifact-report.md");
    for (const format of plan.exports) expect(early.some((name) => name.startsWith(`exports/${format}.`))).toBe(true);
    expect(early).not.toContain("evidence.md");
    expect(await writer.finish()).toEqual(late);
    expect(said.some((line) => line.includes("written when it was done"))).toBe(true);
    expect(evidenceFiles()).toEqual(atEnd);
  }, 120_000);
});

describe("whenThreadFree", () => {
  /** Runs of `lanes[i].length` cases, case j on lane lanes[i][j]. */
  function runs(lanes: number[][]): { ready: ReadyRun[]; placed: ((index: number) => number)[] } {
    const ready = lanes.map((cases, i) => ({ planned: { name: `r${i}` }, prepared: { suite: { tasks: { length: cases.length } } } }) as unknown as ReadyRun);
    return { ready, placed: lanes.map((cases) => (index: number) => cases[index]!) };
  }

  test("with a lane in this thread, finished runs wait for the last run with work on that lane", () => {
    const { ready, placed } = runs([[0, 1], [1, 1], [0]]);
    const done: string[] = [];
    const finished = whenThreadFree({ count: 2, workerThreads: 1 }, ready, placed, (run) => done.push(run.name));
    finished(ready[1]!);
    expect(done).toEqual([]);
    finished(ready[0]!);
    expect(done).toEqual([]);
    finished(ready[2]!);
    expect(done).toEqual(["r1", "r0", "r2"]);
  });

  test("at once when every lane is a worker; never when this thread is the only lane", () => {
    const { ready, placed } = runs([[0], [1]]);
    const done: string[] = [];
    const pool = whenThreadFree({ count: 2, workerThreads: 2 }, ready, placed, (run) => done.push(run.name));
    pool(ready[0]!);
    expect(done).toEqual(["r0"]);
    const alone = whenThreadFree({ count: 1, workerThreads: 0 }, ready, placed, (run) => done.push(run.name));
    alone(ready[0]!);
    alone(ready[1]!);
    expect(done).toEqual(["r0"]);
  });
});
