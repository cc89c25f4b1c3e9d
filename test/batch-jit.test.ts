import { expect, test } from "bun:test";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUN, REPO, tempDir } from "./helpers.ts";

/** Sources scripts/batch-jit.sh with `bun` as its Bun, and prints what batch_jit chose. */
function chosen(bun: string, env: Record<string, string> = {}) {
  const script = `source ${JSON.stringify(join(REPO, "scripts", "batch-jit.sh"))}; batch_jit ${JSON.stringify(bun)}; echo "[\${JIT_ENV[*]}]"`;
  const result = Bun.spawnSync(["bash", "-euo", "pipefail", "-c", script], { stdout: "pipe", stderr: "pipe", env: { ...process.env, ...env } });
  return { code: result.exitCode, stdout: result.stdout.toString().trim(), stderr: result.stderr.toString() };
}

test("batch_jit turns off the top JIT tiers for this Bun and keeps freed memory, keeps the defaults on request, and falls back when Bun refuses", () => {
  expect(chosen(BUN, { STRATA_JIT: "" })).toEqual({ code: 0, stdout: "[BUN_JSC_useFTLJIT=0 BUN_JSC_useOMGJIT=0 MIMALLOC_PURGE_DELAY=-1]", stderr: "" });
  expect(chosen(BUN, { STRATA_JIT: "default" })).toEqual({ code: 0, stdout: "[]", stderr: "" });
  // A Bun that exits non-zero when given the options (as one that no longer knows them does).
  const refusing = join(tempDir("strata-jit-"), "bun");
  writeFileSync(refusing, `#!/usr/bin/env bash\n[[ -n "\${BUN_JSC_useOMGJIT:-}" ]] && { echo "invalid JSC environment variable" >&2; exit 1; }\nexit 0\n`);
  chmodSync(refusing, 0o755);
  const fallback = chosen(refusing);
  expect(fallback.code).toBe(0);
  // The memory setting does not depend on the JIT options.
  expect(fallback.stdout).toBe("[MIMALLOC_PURGE_DELAY=-1]");
  expect(fallback.stderr).toContain("default JIT tiers");
});
