#!/usr/bin/env bash
# Regenerates only the evidence files (baselines.json, ablations.json, evidence.md, artifact-report.md)
# from the runs already under ${POLICYSTRATA_RUN_ROOT:-runs/final}, written by scripts/reproduce-final.sh.
# Runs nothing; works from any directory. Runs that are missing are left out, in the same order.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -n "${POLICYSTRATA_RUN_ROOT:-}" ]]; then
  ROOT="$POLICYSTRATA_RUN_ROOT"
  [[ "$ROOT" = /* ]] || ROOT="$PWD/$ROOT"
else
  ROOT="$REPO/runs/final"
fi
BUN="$REPO/node_modules/.bin/bun"
strata() { (cd "$REPO" && "$BUN" cmd/main.ts "$@"); }

# run name | evidence name, in reproduce-final.sh's order
RUNS=(
  "support-seeded|support_seeded"
  "support-generated|support_generated"
  "support-heldout-v1|support_heldout_v1"
  "finance-seeded|finance_seeded"
  "finance-heldout-v1|finance_heldout_v1"
  "analytics-clickhouse-seeded|analytics_clickhouse_seeded"
  "analytics-clickhouse-generated|analytics_clickhouse_generated"
  "clean-controls|clean_controls"
)
RUN_DIRS=()
EVIDENCE_ARGS=()
for entry in "${RUNS[@]}"; do
  IFS='|' read -r name label <<<"$entry"
  [[ -f "$ROOT/$name/traces.jsonl" ]] || continue
  RUN_DIRS+=("$ROOT/$name")
  EVIDENCE_ARGS+=("$label=$ROOT/$name")
done
if [[ ${#RUN_DIRS[@]} -eq 0 ]]; then
  echo "reproduce-evidence: no runs under $ROOT; run scripts/reproduce-final.sh first" >&2
  exit 2
fi

strata baselines "${RUN_DIRS[@]}" --format json --out "$ROOT/baselines.json" >/dev/null
strata ablations "${RUN_DIRS[@]}" --out "$ROOT/ablations.json" >/dev/null
strata evidence "${EVIDENCE_ARGS[@]}" --out "$ROOT/evidence.md" >/dev/null
report_run="${RUN_DIRS[0]}"
[[ -f "$ROOT/support-heldout-v1/traces.jsonl" ]] && report_run="$ROOT/support-heldout-v1"
strata artifact-report "$report_run" --out "$ROOT/artifact-report.md" >/dev/null
echo "$ROOT" >&2
