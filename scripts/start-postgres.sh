#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for strata's server backend and its integration test.
#
#   scripts/start-postgres.sh [PORT] [DIR]   start (or find running) a cluster; prints its admin URL
#   scripts/start-postgres.sh --check        only check that the server binaries are installed
#
# PORT defaults to 55432; `auto` takes the first free port from 55432 up. DIR (default
# ${TMPDIR:-/tmp}/strata-postgres-PORT) holds everything: data/, the log, the socket, and `url`.
# The cluster listens on 127.0.0.1 only, with trust authentication for the superuser
# strata_admin; it is for tests and local runs, never for data you care about.
# Idempotent: a cluster already running in DIR is reused. scripts/stop-postgres.sh DIR removes it.
#
# stdout carries only the URL (postgres://strata_admin@127.0.0.1:PORT/postgres); messages go to
# stderr. Exit codes: 0 ready; 3 the server binaries are missing; 1 anything else.
set -euo pipefail

ADMIN=strata_admin
MARKER=.strata-postgres

say() { echo "start-postgres: $*" >&2; }
die() {
  say "error: $*"
  exit 1
}

# The directory holding initdb, pg_ctl and postgres: $STRATA_PG_BIN, PATH, then Debian's
# /usr/lib/postgresql/<version>/bin (newest first).
find_bindir() {
  local dir
  if [[ -n "${STRATA_PG_BIN:-}" ]]; then
    dir="$STRATA_PG_BIN"
  elif command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dir="$(dirname "$(readlink -f "$(command -v pg_ctl)")")"
  else
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -V -r | head -n1 || true)"
  fi
  if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]]; then
    echo "$dir"
    return 0
  fi
  return 1
}

missing_binaries() {
  say "error: PostgreSQL server binaries (initdb, pg_ctl, postgres) not found on PATH or under /usr/lib/postgresql/*/bin"
  say "fix: install Debian's package: apt-get update && apt-get install -y postgresql   (or set STRATA_PG_BIN to their directory)"
  exit 3
}

if [[ "${1:-}" == "--check" ]]; then
  BIN="$(find_bindir)" || missing_binaries
  echo "$BIN"
  exit 0
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

PORT="${1:-55432}"
if [[ "$PORT" == auto && -n "${2:-}" && -f "$2/port" ]]; then
  PORT="$(cat "$2/port")" # a cluster made earlier in DIR keeps its port
elif [[ "$PORT" == auto ]]; then
  PORT=55432
  while port_in_use "$PORT"; do
    PORT=$((PORT + 1))
    ((PORT < 55532)) || die "no free port in 55432..55531"
  done
fi
[[ "$PORT" =~ ^[0-9]+$ ]] && ((PORT > 0 && PORT < 65536)) || die "PORT must be a number in 1..65535 or 'auto', got '$PORT'"
DIR="${2:-${TMPDIR:-/tmp}/strata-postgres-$PORT}"
URL="postgres://$ADMIN@127.0.0.1:$PORT/postgres"

BIN="$(find_bindir)" || missing_binaries

# initdb and postgres refuse to run as root: as root, run them as the `postgres` user that
# Debian's package creates (or a system user of our own when there is none).
if [[ "$(id -u)" == 0 ]]; then
  if id -u postgres >/dev/null 2>&1; then
    PGUSER_OS=postgres
  else
    PGUSER_OS=strata-pg
    id -u "$PGUSER_OS" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PGUSER_OS" ||
      die "cannot create the unprivileged user $PGUSER_OS to run postgres as"
  fi
  command -v runuser >/dev/null 2>&1 || die "runuser (util-linux) is needed to run postgres as $PGUSER_OS"
  as_pg() { (cd "$DIR" && runuser -u "$PGUSER_OS" -- "$@"); }
else
  PGUSER_OS="$(id -un)"
  as_pg() { (cd "$DIR" && "$@"); }
fi

mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd -P)"
if [[ ! -e "$DIR/$MARKER" ]]; then
  [[ -z "$(ls -A "$DIR")" ]] || die "$DIR is not empty and was not made by this script; pass an empty or new directory"
  echo "strata throwaway postgres cluster; remove with scripts/stop-postgres.sh $DIR" >"$DIR/$MARKER"
fi
if [[ "$(id -u)" == 0 ]]; then
  chown "$PGUSER_OS" "$DIR"
  chmod 755 "$DIR"
  runuser -u "$PGUSER_OS" -- test -w "$DIR" ||
    die "user $PGUSER_OS cannot write to $DIR (a parent folder is closed to it); use a directory under /tmp"
fi
echo "$BIN" >"$DIR/bin"

DATA="$DIR/data"
running() { [[ -f "$DATA/PG_VERSION" ]] && as_pg "$BIN/pg_ctl" status -D "$DATA" >/dev/null 2>&1; }

if running; then
  known="$(cat "$DIR/port" 2>/dev/null || true)"
  [[ "$known" == "$PORT" ]] || die "a cluster is already running in $DIR on port ${known:-unknown}, not $PORT; stop it with scripts/stop-postgres.sh $DIR"
  say "already running in $DIR"
else
  port_in_use "$PORT" && die "port $PORT on 127.0.0.1 is already in use; pick another: scripts/start-postgres.sh auto"
  if [[ ! -f "$DATA/PG_VERSION" ]]; then
    rm -rf "$DATA"
    # The locale of PGlite (strata's embedded engine): C collation, UTF-8, so results compare.
    initdb_args=(-D "$DATA" -U "$ADMIN" -A trust -E UTF8 --locale=C --no-sync)
    if ! as_pg "$BIN/initdb" "${initdb_args[@]}" --lc-ctype=C.UTF-8 >"$DIR/initdb.log" 2>&1; then
      rm -rf "$DATA"
      as_pg "$BIN/initdb" "${initdb_args[@]}" >"$DIR/initdb.log" 2>&1 || {
        tail -n 20 "$DIR/initdb.log" >&2
        die "initdb failed (log: $DIR/initdb.log)"
      }
    fi
    mkdir -p "$DIR/run"
    [[ "$(id -u)" != 0 ]] || chown "$PGUSER_OS" "$DIR/run"
    cat >>"$DATA/postgresql.conf" <<EOF

# strata: a throwaway cluster on loopback only
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR/run'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
timezone = 'UTC'
lc_messages = 'C'
EOF
  fi
  grep -q "^port = $PORT\$" "$DATA/postgresql.conf" || die "the cluster in $DIR was made for another port; stop it with scripts/stop-postgres.sh $DIR"
  touch "$DIR/postgres.log"
  [[ "$(id -u)" != 0 ]] || chown "$PGUSER_OS" "$DIR/postgres.log"
  if ! as_pg "$BIN/pg_ctl" start -D "$DATA" -l "$DIR/postgres.log" -w -t 60 >/dev/null 2>&1; then
    tail -n 20 "$DIR/postgres.log" >&2 || true
    die "postgres did not start (log: $DIR/postgres.log)"
  fi
  echo "$PORT" >"$DIR/port"
fi

# pg_ctl -w waits for the postmaster; also wait until it accepts a connection on TCP.
for _ in $(seq 1 100); do
  if [[ -x "$BIN/pg_isready" ]]; then
    "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U "$ADMIN" -d postgres && break
  else
    port_in_use "$PORT" && break
  fi
  sleep 0.2
done
port_in_use "$PORT" || die "postgres started but does not accept connections on 127.0.0.1:$PORT (log: $DIR/postgres.log)"

echo "$URL" >"$DIR/url"
say "ready in $DIR (stop with scripts/stop-postgres.sh $DIR)"
echo "$URL"
