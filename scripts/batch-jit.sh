# Sourced by scripts/reproduce-final.sh and scripts/reproduce-evidence.sh; defines batch_jit.
#
# A reproduction is a batch job of seconds across three JavaScript threads. JavaScriptCore's top
# tiers, FTL for JavaScript and OMG for PGlite's WebAssembly, spend more CPU compiling than they save
# in that time: on 2 cores, paper-final took 10.1 s with them and 9.1 s without (docs/benchmarks.md).
# The lower tiers still compile every hot function. No tier changes a result, and
# test/reproduce.test.ts checks the bytes against runs with Bun's defaults.
#
#   batch_jit "$BUN"    fills the array JIT_ENV with the env assignments to run bun with
#
# STRATA_JIT=default keeps Bun's default tiers. The options are JavaScriptCore's (BUN_JSC_*), which a
# Bun release may rename; a Bun that refuses them runs with its defaults and a note on stderr.
batch_jit() {
  JIT_ENV=()
  [[ "${STRATA_JIT:-batch}" == default ]] && return 0
  local settings=(BUN_JSC_useFTLJIT=0 BUN_JSC_useOMGJIT=0)
  if env "${settings[@]}" "$1" -e "" >/dev/null 2>&1; then
    JIT_ENV=("${settings[@]}")
  else
    echo "note: this Bun refuses ${settings[*]}; running with its default JIT tiers" >&2
  fi
}
