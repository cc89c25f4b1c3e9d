# Sourced by scripts/reproduce-final.sh and scripts/reproduce-evidence.sh; defines batch_jit.
#
# A reproduction is a batch job of seconds across three JavaScript threads, and two settings suit
# such a job better than Bun's defaults (docs/benchmarks.md, sessions 7 and 8):
# - JIT: JavaScriptCore's top tiers, FTL for JavaScript and OMG for PGlite's WebAssembly, spend more
#   CPU compiling than they save in that time: on 2 cores, paper-final took 10.1 s with them and
#   9.1 s without. The lower tiers still compile every hot function.
# - Memory: mimalloc hands freed pages back to the kernel after a short delay, and the next
#   allocation faults them in again. MIMALLOC_PURGE_DELAY=-1 keeps them for the few seconds the
#   process lives: about 12% fewer page faults, about 7% less wall on a VM where a fault costs
#   about 13 µs, and about 4% more peak memory.
# - C allocations: DuckDB's executor allocates and frees many small objects per query through
#   glibc's malloc, whose per-thread cache holds 7 blocks of a size. Holding 1,000
#   (glibc.malloc.tcache_count, appended to any GLIBC_TUNABLES already set) took 0.2 to 0.3 s of
#   CPU off a paper reproduction in 5 of 6 interleaved pairs (docs/benchmarks.md, session 21).
#   Other C libraries ignore it.
# None changes a result; test/reproduce.test.ts checks the bytes against runs with Bun's
# defaults.
#
#   batch_jit "$BUN"    fills the array JIT_ENV with the env assignments to run bun with
#
# STRATA_JIT=default keeps Bun's and glibc's defaults for all three. The JIT options are JavaScriptCore's (BUN_JSC_*),
# which a Bun release may rename; a Bun that refuses them runs with its default tiers and a note on
# stderr. mimalloc and glibc ignore settings they do not know, so the memory ones need no probe.
batch_jit() {
  JIT_ENV=()
  [[ "${STRATA_JIT:-batch}" == default ]] && return 0
  local settings=(BUN_JSC_useFTLJIT=0 BUN_JSC_useOMGJIT=0)
  if env "${settings[@]}" "$1" -e "" >/dev/null 2>&1; then
    JIT_ENV=("${settings[@]}")
  else
    echo "note: this Bun refuses ${settings[*]}; running with its default JIT tiers" >&2
  fi
  JIT_ENV+=(MIMALLOC_PURGE_DELAY=-1 "GLIBC_TUNABLES=${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}glibc.malloc.tcache_count=1000")
}
