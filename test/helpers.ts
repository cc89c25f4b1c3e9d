import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunEvent } from "../core/model/events.ts";
import type { Summary } from "../core/model/summary.ts";
import type { Trace } from "../core/model/trace.ts";
import type { Witness } from "../core/model/witness.ts";
import { prepareRun } from "../workers/run-spec.ts";
import { runSuite } from "../workers/run-suite.ts";

export const REPO = join(import.meta.dir, "..");
export const BUN = process.execPath;

export function tempDir(prefix = "strata-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface CollectedRun {
  traces: Trace[];
  witnesses: Witness[];
  summary: Summary;
}

/** Runs a suite in-process and keeps every event, for assertions on traces and witnesses. */
export async function runInProcess(domain: string, suite: string, options: { count?: number; seed?: number; minimize?: boolean } = {}): Promise<CollectedRun> {
  const prepared = prepareRun({ domain, suite, count: options.count, seed: options.seed, minimize: options.minimize ?? true, reuse: true });
  const traces: Trace[] = [];
  const witnesses: Witness[] = [];
  const summary = await runSuite({
    prepared,
    onEvent: (event: RunEvent) => {
      if (event.type !== "case_finished") return;
      traces.push(event.trace);
      if (event.witness) witnesses.push(event.witness);
    },
  });
  return { traces, witnesses, summary };
}

export function runCli(args: string[], cwd = REPO, env: Record<string, string> = {}) {
  const result = Bun.spawnSync([BUN, join(REPO, "cmd", "main.ts"), ...args], { cwd, stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1", ...env } });
  return { code: result.exitCode, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}
