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

const MEMORY = "MIMALLOC_PURGE_DELAY=-1 GLIBC_TUNABLES=glibc.malloc.tcache_count=1000";

test("batch_jit turns off the top JIT tiers for this Bun and keeps freed memory, keeps the defaults on request, and falls back when Bun refuses", () => {
  expect(chosen(BUN, { STRATA_JIT: "", GLIBC_TUNABLES: "" })).toEqual({ code: 0, stdout: `[BUN_JSC_useFTLJIT=0 BUN_JSC_useOMGJIT=0 ${MEMORY}]`, stderr: "" });
  // Tunables the caller set are kept, ours after them.
  expect(chosen(BUN, { STRATA_JIT: "", GLIBC_TUNABLES: "glibc.malloc.arena_max=2" }).stdout).toBe(
    "[BUN_JSC_useFTLJIT=0 BUN_JSC_useOMGJIT=0 MIMALLOC_PURGE_DELAY=-1 GLIBC_TUNABLES=glibc.malloc.arena_max=2:glibc.malloc.tcache_count=1000]",
  );
  expect(chosen(BUN, { STRATA_JIT: "default" })).toEqual({ code: 0, stdout: "[]", stderr: "" });
  // A Bun that exits non-zero when given the options (as one that no longer knows them does).
  const refusing = join(tempDir("strata-jit-"), "bun");
  writeFileSync(refusing, `#!/usr/bin/env bash\n[[ -n "\${BUN_JSC_useOMGJIT:-}" ]] && { echo "invalid JSC environment variable" >&2; exit 1; }\nexit 0\n`);
  chmodSync(refusing, 0o755);
  const fallback = chosen(refusing, { GLIBC_TUNABLES: "" });
  expect(fallback.code).toBe(0);
  // The memory settings do not depend on the JIT options.
  expect(fallback.stdout).toBe(`[${MEMORY}]`);
  expect(fallback.stderr).toContain("default JIT tiers");
});
