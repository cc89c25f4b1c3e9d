#!/usr/bin/env bash
# Reproduces the paper's final evidence from scratch, into ${POLICYSTRATA_RUN_ROOT:-runs/final}.
#
#   scripts/reproduce-final.sh                      # all eight suites (see docs/evidence.md for the wall time)
#   POLICYSTRATA_RUN_ROOT=/tmp/final scripts/reproduce-final.sh
#   STRATA_REPRODUCE_SUITES=support-seeded,clean-controls scripts/reproduce-final.sh   # a subset, by run name
#
# Steps:
#   1. every suite below into ROOT/<run>: the seeded suites with `strata run` (hand-authored, not frozen,
#      as in the paper), every generated suite with `strata bench --freeze` (manifest in
#      ROOT/<run>/benchmark_manifest.json, then the run of exactly that manifest);
#   2. ROOT/baselines.json and ROOT/ablations.json over all runs;
#   3. ROOT/evidence.md (`strata evidence NAME=RUN ...`);
#   4. ROOT/artifact-report.md of the support heldout_v1 run (or the first run of a subset);
#   5. only when this strata has them (`strata --help`): ROOT/exports/* and ROOT/report.html.
#
# Re-running repeats every step (nothing is skipped): each run directory is deleted and run again, and
# the evidence files are rewritten; the outputs are byte-identical from run to run.
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
strata() { (cd "$REPO" && "$BUN" cmd/main.ts "$@"); }

# run name | evidence name | how | domain | suite | count | seed
SUITES=(
  "support-seeded|support_seeded|run|support_saas|seeded||"
  "support-generated|support_generated|bench|support_saas|generated|500|1729"
  "support-heldout-v1|support_heldout_v1|bench|support_saas|heldout_v1|500|260626"
  "finance-seeded|finance_seeded|run|finance_saas|seeded||"
  "finance-heldout-v1|finance_heldout_v1|bench|finance_saas|heldout_v1|250|260626"
  "analytics-clickhouse-seeded|analytics_clickhouse_seeded|run|analytics_clickhouse|seeded||"
  "analytics-clickhouse-generated|analytics_clickhouse_generated|bench|analytics_clickhouse|generated|300|260626"
  "clean-controls|clean_controls|bench|support_saas|clean_controls|80|260627"
)

SELECTED=",${STRATA_REPRODUCE_SUITES:-},"
RUN_DIRS=()
EVIDENCE_ARGS=()
mkdir -p "$ROOT"
start=$(date +%s)

for entry in "${SUITES[@]}"; do
  IFS='|' read -r name label how domain suite count seed <<<"$entry"
  if [[ "$SELECTED" != ",," && "$SELECTED" != *",$name,"* ]]; then continue; fi
  dir="$ROOT/$name"
  rm -rf "$dir"
  args=(--domain "$domain" --suite "$suite" --out "$dir" --quiet)
  [[ -n "$count" ]] && args+=(--count "$count")
  [[ -n "$seed" ]] && args+=(--seed "$seed")
  echo "[$(($(date +%s) - start))s] $name: $how $domain $suite${count:+ $count/$seed}" >&2
  if [[ "$how" == bench ]]; then
    strata bench --freeze "${args[@]}" >/dev/null
    strata verify-freeze "$dir/benchmark_manifest.json" >/dev/null
  else
    strata run "${args[@]}" >/dev/null
  fi
  RUN_DIRS+=("$dir")
  EVIDENCE_ARGS+=("$label=$dir")
done

if [[ ${#RUN_DIRS[@]} -eq 0 ]]; then
  echo "reproduce-final: STRATA_REPRODUCE_SUITES=${STRATA_REPRODUCE_SUITES:-} names no suite" >&2
  exit 2
fi

echo "[$(($(date +%s) - start))s] evidence files" >&2
strata baselines "${RUN_DIRS[@]}" --format json --out "$ROOT/baselines.json" >/dev/null
strata ablations "${RUN_DIRS[@]}" --out "$ROOT/ablations.json" >/dev/null
strata evidence "${EVIDENCE_ARGS[@]}" --out "$ROOT/evidence.md" >/dev/null

report_run="${RUN_DIRS[0]}"
[[ -d "$ROOT/support-heldout-v1" && " ${RUN_DIRS[*]} " == *" $ROOT/support-heldout-v1 "* ]] && report_run="$ROOT/support-heldout-v1"
strata artifact-report "$report_run" --out "$ROOT/artifact-report.md" >/dev/null

# Exports and the HTML report are part of the evidence: a failure fails the script.
mkdir -p "$ROOT/exports"
for spec in inspect:json inspect-jsonl:jsonl benchflow:json junit:xml parquet:parquet; do
  format="${spec%%:*}"
  strata export "$report_run" --format "$format" --out "$ROOT/exports/$format.${spec#*:}" >/dev/null
done
strata report "${EVIDENCE_ARGS[@]}" --out "$ROOT/report.html" >/dev/null

echo "[$(($(date +%s) - start))s] done: $ROOT" >&2
