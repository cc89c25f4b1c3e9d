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
# Neither changes a result; test/reproduce.test.ts checks the bytes against runs with Bun's
# defaults.
#
#   batch_jit "$BUN"    fills the array JIT_ENV with the env assignments to run bun with
#
# STRATA_JIT=default keeps Bun's defaults for both. The JIT options are JavaScriptCore's (BUN_JSC_*),
# which a Bun release may rename; a Bun that refuses them runs with its default tiers and a note on
# stderr. mimalloc ignores settings it does not know, so the memory one needs no probe.
batch_jit() {
  JIT_ENV=()
  [[ "${STRATA_JIT:-batch}" == default ]] && return 0
  local settings=(BUN_JSC_useFTLJIT=0 BUN_JSC_useOMGJIT=0)
  if env "${settings[@]}" "$1" -e "" >/dev/null 2>&1; then
    JIT_ENV=("${settings[@]}")
  else
    echo "note: this Bun refuses ${settings[*]}; running with its default JIT tiers" >&2
  fi
  JIT_ENV+=(MIMALLOC_PURGE_DELAY=-1)
}
