#!/usr/bin/env bash
# Reproduces the paper's final evidence from scratch, into ${POLICYSTRATA_RUN_ROOT:-runs/final}.
#
#   scripts/reproduce-final.sh                      # all eight suites of the built-in plan paper-final
#   POLICYSTRATA_RUN_ROOT=/tmp/final scripts/reproduce-final.sh
#   STRATA_REPRODUCE_SUITES=support-seeded,clean-controls scripts/reproduce-final.sh   # a subset, by run name
#   STRATA_WORKERS=1 scripts/reproduce-final.sh     # worker threads (default: the machine's cores)
#   STRATA_REPRODUCE_CACHE=~/.cache/strata/cases.sqlite scripts/reproduce-final.sh
#                                                   # take unchanged cases from an earlier run's cache
#   STRATA_JIT=default scripts/reproduce-final.sh   # Bun's default JIT tiers and allocator settings
#                                                   # (see scripts/batch-jit.sh)
#
# One `strata reproduce` process does every step (suites/plans/paper-final.yaml lists the runs):
#   1. every run into ROOT/<run>: the seeded suites as they are (hand-authored, not frozen, as in the
#      paper), every generated suite frozen first (ROOT/<run>/benchmark_manifest.json) and run from
#      exactly that manifest, as `strata bench --freeze` does; runs of one domain share engines;
#   2. ROOT/baselines.json, ROOT/ablations.json, ROOT/evidence.md, and ROOT/artifact-report.md of the
#      support heldout_v1 run (or the first run of a subset);
#   3. ROOT/exports/* of that run and ROOT/report.html.
# Each file is byte-identical to what the single commands (`strata run`, `bench --freeze`, `baselines`,
# `ablations`, `evidence`, `artifact-report`, `export`, `report`) write.
#
# Re-running repeats every step (nothing is skipped unless STRATA_REPRODUCE_CACHE names a cache): each
# run directory is deleted and run again, and the evidence files are rewritten; the outputs are
# byte-identical from run to run. With a cache, a case whose inputs, stack, detector, pipeline sources,
# tool version and backend are all unchanged is taken from it; any change misses.
# A relative POLICYSTRATA_RUN_ROOT is taken from the directory you call the script from; the default
# runs/final is inside the repository. Works from any directory.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -n "${POLICYSTRATA_RUN_ROOT:-}" ]]; then
  ROOT="$POLICYSTRATA_RUN_ROOT"
  [[ "$ROOT" = /* ]] || ROOT="$PWD/$ROOT"
else
  ROOT="$REPO/runs/final"
fi

BUN="$REPO/node_modules/.bin/bun"
[[ -x "$BUN" ]] || { echo "reproduce-final: $BUN not found; run npm install in $REPO" >&2; exit 2; }

args=(reproduce --plan paper-final --out "$ROOT")
[[ -n "${STRATA_REPRODUCE_SUITES:-}" ]] && args+=(--only "$STRATA_REPRODUCE_SUITES")
[[ -n "${STRATA_WORKERS:-}" ]] && args+=(--workers "$STRATA_WORKERS")
[[ -n "${STRATA_REPRODUCE_CACHE:-}" ]] && args+=(--cache "$STRATA_REPRODUCE_CACHE")
source "$REPO/scripts/batch-jit.sh"
batch_jit "$BUN"
start=$(date +%s)
(cd "$REPO" && env "${JIT_ENV[@]}" "$BUN" cmd/main.ts "${args[@]}" >/dev/null)
echo "[$(($(date +%s) - start))s] done: $ROOT" >&2
