import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir } from "./helpers.ts";

function snapshot(dir: string) {
  const witnesses = readdirSync(join(dir, "witnesses")).sort();
  return {
    traces: readFileSync(join(dir, "traces.jsonl"), "utf8"),
    summary: readFileSync(join(dir, "summary.json"), "utf8"),
    metadata: readFileSync(join(dir, "metadata.json"), "utf8"),
    witnesses: witnesses.map((w) => [w, readFileSync(join(dir, "witnesses", w), "utf8")]),
  };
}

describe("determinism", () => {
  test(
    "two runs with the same seed write byte-identical traces, summary, metadata and witnesses",
    () => {
      const [a, b] = [tempDir(), tempDir()];
      const args = ["run", "--domain", "support_saas", "--suite", "generated", "--count", "60", "--seed", "4242", "--quiet"];
      // Different time zones and locales must not matter either.
      const first = Bun.spawnSync([process.execPath, "cmd/main.ts", ...args, "--out", a], { env: { ...process.env, TZ: "Pacific/Auckland", LANG: "de_DE.UTF-8" } });
      const second = runCli([...args, "--out", b]);
      expect(first.exitCode).toBe(0);
      expect(second.code).toBe(0);
      const [x, y] = [snapshot(a), snapshot(b)];
      expect(x.traces.split("\n").length).toBe(61);
      expect(x.witnesses.length).toBeGreaterThan(0);
      expect(x).toEqual(y);
      // Timings are the one thing allowed to differ, and they live in their own file.
      expect(x.traces).not.toContain("elapsed");
    },
    60_000,
  );

  test("a different seed gives different cases", () => {
    const [a, b] = [tempDir(), tempDir()];
    const base = ["run", "--domain", "finance_saas", "--suite", "generated", "--count", "30", "--no-minimize", "--quiet"];
    expect(runCli([...base, "--seed", "1", "--out", a]).code).toBe(0);
    expect(runCli([...base, "--seed", "2", "--out", b]).code).toBe(0);
    expect(readFileSync(join(a, "traces.jsonl"), "utf8")).not.toBe(readFileSync(join(b, "traces.jsonl"), "utf8"));
  }, 60_000);
});
