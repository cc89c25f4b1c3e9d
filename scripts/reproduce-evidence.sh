#!/usr/bin/env bash
# Regenerates only the evidence files (baselines.json, ablations.json, evidence.md, artifact-report.md,
# exports/ and report.html) from the runs already under ${POLICYSTRATA_RUN_ROOT:-runs/final}, written by
# scripts/reproduce-final.sh. Runs nothing; works from any directory. Runs that are missing are left
# out, in the same order.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -n "${POLICYSTRATA_RUN_ROOT:-}" ]]; then
  ROOT="$POLICYSTRATA_RUN_ROOT"
  [[ "$ROOT" = /* ]] || ROOT="$PWD/$ROOT"
else
  ROOT="$REPO/runs/final"
fi
BUN="$REPO/node_modules/.bin/bun"
[[ -x "$BUN" ]] || { echo "reproduce-evidence: $BUN not found; run npm install in $REPO" >&2; exit 2; }
source "$REPO/scripts/batch-jit.sh"
batch_jit "$BUN"
(cd "$REPO" && env "${JIT_ENV[@]}" "$BUN" cmd/main.ts reproduce --plan paper-final --out "$ROOT" --evidence-only >/dev/null)
echo "$ROOT" >&2
