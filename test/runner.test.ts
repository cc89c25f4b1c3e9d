import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RunStore } from "../workers/run-store.ts";
import { BUN, REPO, runCli, tempDir } from "./helpers.ts";

const SUITE = ["--domain", "support_saas", "--suite", "generated", "--count", "120", "--seed", "99", "--quiet"];

function artifacts(dir: string) {
  const read = (f: string) => readFileSync(join(dir, f), "utf8");
  return {
    traces: read("traces.jsonl"),
    summary: read("summary.json"),
    metadata: read("metadata.json"),
    witnesses: readdirSync(join(dir, "witnesses"))
      .sort()
      .map((w) => [w, read(join("witnesses", w))]),
  };
}

describe("runner: the same artifacts however the work is spread", () => {
  const single = tempDir();

  test("--workers 1 and --workers 2", () => {
    expect(runCli(["run", ...SUITE, "--workers", "1", "--out", single]).code).toBe(0);
    const pooled = tempDir();
    // Forced onto both workers: on its own, a suite this small stays in one thread.
    expect(runCli(["run", ...SUITE, "--workers", "2", "--out", pooled], REPO, { STRATA_MIN_WORK_PER_LANE: "0" }).code).toBe(0);
    const [a, b] = [artifacts(single), artifacts(pooled)];
    expect(a.traces.split("\n").length).toBe(121);
    expect(a.witnesses.length).toBeGreaterThan(50);
    expect(b).toEqual(a);
  }, 120_000);

  test("one run, and three shards merged", () => {
    const blobs: string[] = [];
    for (const i of [1, 2, 3]) {
      const dir = tempDir();
      expect(runCli(["run", ...SUITE, "--workers", "1", "--shard", `${i}/3`, "--out", dir]).code).toBe(0);
      blobs.push(join(dir, `shard-${i}-of-3.blob.jsonl`));
      // Each shard holds about a third of the cases.
      const lines = readFileSync(join(dir, "traces.jsonl"), "utf8").trim().split("\n").length;
      expect(lines).toBe(40);
    }
    const merged = tempDir();
    // Blob order on the command line does not matter.
    const r = runCli(["merge", blobs[2]!, blobs[0]!, blobs[1]!, "--out", merged]);
    expect(r.code).toBe(0);
    expect(artifacts(merged)).toEqual(artifacts(single));
    const missing = runCli(["merge", blobs[0]!, blobs[1]!, "--out", tempDir()]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing shard(s) 3/3");
  }, 120_000);

  test("an uninterrupted run, and one killed with SIGKILL midway then resumed", async () => {
    const dir = tempDir();
    const child = Bun.spawn([BUN, join(REPO, "cmd", "main.ts"), "run", ...SUITE, "--workers", "1", "--out", dir], { cwd: REPO, stdout: "ignore", stderr: "ignore" });
    // Wait until some, but not all, cases are committed, then kill without warning.
    let done = 0;
    for (let i = 0; i < 600 && (done < 10 || child.exitCode !== null); i++) {
      await Bun.sleep(50);
      done = RunStore.recordedCount(dir);
      if (child.exitCode !== null) break;
    }
    child.kill("SIGKILL");
    await child.exited;
    expect(done).toBeGreaterThanOrEqual(10);
    expect(done).toBeLessThan(120);
    const resumed = runCli(["run", ...SUITE, "--workers", "1", "--out", dir, "--resume"]);
    expect(resumed.code).toBe(0);
    expect(artifacts(dir)).toEqual(artifacts(single));
    // Resuming into a directory that holds another run is refused.
    const other = runCli(["run", "--domain", "support_saas", "--suite", "generated", "--count", "30", "--quiet", "--out", dir, "--resume"]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("holds a different run");
  }, 120_000);
});

describe("case-result cache", () => {
  test("a re-run takes unchanged cases from the cache, with identical artifacts; a policy change misses", () => {
    const cache = join(tempDir(), "cases.sqlite");
    const args = ["run", "--domain-path", "", "--suite", "generated", "--count", "40", "--workers", "1", "--quiet", "--cache", cache];
    const domain = join(tempDir(), "support_saas");
    expect(runCli(["init-domain", "support_saas", "--out", join(domain, "..")]).code).toBe(0);
    args[2] = domain;
    const [first, second, third] = [tempDir(), tempDir(), tempDir()];
    const a = runCli([...args, "--out", first]);
    expect(JSON.parse(a.stdout).cache).toEqual({ hits: 0, misses: 40 });
    const b = runCli([...args, "--out", second]);
    expect(JSON.parse(b.stdout).cache).toEqual({ hits: 40, misses: 0 });
    expect(artifacts(second)).toEqual(artifacts(first));
    // Cached cases are marked in timings.jsonl, counted by the artifact report and left out of its latencies.
    const cachedLines = (dir: string) => readFileSync(join(dir, "timings.jsonl"), "utf8").trim().split("\n").filter((l) => JSON.parse(l).cached === true).length;
    expect([cachedLines(first), cachedLines(second)]).toEqual([0, 40]);
    const report = runCli(["artifact-report", second]).stdout;
    expect(report).toContain("| Cases from the case-result cache | 40 |");
    expect(report).toContain("| Median case latency ms | n/a |");
    expect(runCli(["artifact-report", first]).stdout).toContain("| Cases from the case-result cache | 0 |");
    // Shards that take cases from the cache say so in their blobs, and the merged run does too.
    const blobs = [1, 2].map((i) => {
      const dir = tempDir();
      expect(runCli([...args, "--shard", `${i}/2`, "--out", dir]).code).toBe(0);
      return join(dir, `shard-${i}-of-2.blob.jsonl`);
    });
    const merged = tempDir();
    expect(runCli(["merge", ...blobs, "--out", merged]).code).toBe(0);
    expect(cachedLines(merged)).toBe(40);
    expect(artifacts(merged)).toEqual(artifacts(first));
    // Any change to what a result depends on is a different key.
    const policy = join(domain, "policy.yaml");
    writeFileSync(policy, readFileSync(policy, "utf8").replace("max_rows: 1000", "max_rows: 999"));
    const c = runCli([...args, "--out", third]);
    expect(JSON.parse(c.stdout).cache).toEqual({ hits: 0, misses: 40 });
  }, 120_000);
});
