#!/usr/bin/env bash
# Stops a cluster started by scripts/start-postgres.sh and removes its directory.
#
#   scripts/stop-postgres.sh [DIR]   DIR defaults to ${TMPDIR:-/tmp}/strata-postgres-55432
#
# Idempotent: a directory that is already gone is not an error. Refuses to remove a directory
# that start-postgres.sh did not make.
set -euo pipefail

MARKER=.strata-postgres
say() { echo "stop-postgres: $*" >&2; }
die() {
  say "error: $*"
  exit 1
}

DIR="${1:-${TMPDIR:-/tmp}/strata-postgres-55432}"
if [[ ! -d "$DIR" ]]; then
  say "nothing to stop: $DIR does not exist"
  exit 0
fi
DIR="$(cd "$DIR" && pwd -P)"
[[ -e "$DIR/$MARKER" ]] || die "$DIR was not made by scripts/start-postgres.sh; not touching it"

DATA="$DIR/data"
if [[ -f "$DATA/postmaster.pid" ]]; then
  BIN="$(cat "$DIR/bin" 2>/dev/null || true)"
  stopped=false
  if [[ -n "$BIN" && -x "$BIN/pg_ctl" ]]; then
    owner="$(stat -c %U "$DATA")"
    if [[ "$(id -u)" == 0 && "$owner" != root ]]; then
      (cd "$DIR" && runuser -u "$owner" -- "$BIN/pg_ctl" stop -D "$DATA" -m fast -w -t 30 >/dev/null 2>&1) && stopped=true
    else
      (cd "$DIR" && "$BIN/pg_ctl" stop -D "$DATA" -m fast -w -t 30 >/dev/null 2>&1) && stopped=true
    fi
  fi
  if ! $stopped; then
    # No pg_ctl (or it failed): signal the postmaster this directory recorded, if it is one.
    pid="$(head -n1 "$DATA/postmaster.pid" 2>/dev/null || true)"
    if [[ "$pid" =~ ^[0-9]+$ ]] && [[ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" == postgres* ]]; then
      kill -INT "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
      done
      kill -0 "$pid" 2>/dev/null && die "postgres (pid $pid) did not stop; its data is left in $DIR"
    fi
  fi
fi

rm -rf "$DIR"
say "stopped and removed $DIR"
