#!/usr/bin/env bash
# Usage: tests/pg/with-postgres.sh CMD [ARGS...]
#
# Runs CMD with a throw-away PostgreSQL 15 and returns CMD's exit status:
#   - a fresh cluster in a new temporary directory (initdb), listening on a free port of
#     127.0.0.1 only, its unix socket inside that directory;
#   - password authentication (scram-sha-256) with a random password, so other local
#     users cannot connect during the run;
#   - one database, carepost_test, whose URL is exported as CAREPOST_TEST_POSTGRES_URL;
#   - the server is stopped and the directory removed on every exit (trap), even when
#     CMD fails or the script is interrupted (SIGINT/SIGTERM are passed on to CMD).
# initdb refuses to run as root, so as root the server runs as the system user
# carepost-test (created once, without a home or a login shell); as anyone else it runs
# as that user. CMD itself runs as the caller.
#
# Environment: CAREPOST_PG_BIN (default /usr/lib/postgresql/15/bin),
#              CAREPOST_PG_USER (default carepost-test; used only as root).
set -euo pipefail

if (($# == 0)); then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

PG_BIN=${CAREPOST_PG_BIN:-/usr/lib/postgresql/15/bin}
PG_USER=${CAREPOST_PG_USER:-carepost-test}
for tool in initdb pg_ctl psql; do
  if [[ ! -x $PG_BIN/$tool ]]; then
    echo "with-postgres: $PG_BIN/$tool not found; install postgresql-15 (make deps)" >&2
    exit 2
  fi
done

# As root, run the server as an unprivileged system user (created idempotently).
as_server=()
if [[ $(id -u) -eq 0 ]]; then
  if ! id -u "$PG_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
      "$PG_USER" 2>/dev/null || id -u "$PG_USER" >/dev/null  # a concurrent run may win
  fi
  as_server=(runuser -u "$PG_USER" --)
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/carepost-pg.XXXXXX")
chmod 700 "$tmp"
if ((${#as_server[@]})); then chown "$PG_USER" "$tmp"; fi

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -f $tmp/data/postmaster.pid ]]; then
    (cd "$tmp" && "${as_server[@]}" "$PG_BIN/pg_ctl" -D "$tmp/data" -m immediate -w stop \
      >/dev/null 2>&1) || true
  fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
child=""

# A free loopback port: bind port 0, read the port, release it.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

password=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
printf '%s\n' "$password" >"$tmp/pwfile"
chmod 600 "$tmp/pwfile"
if ((${#as_server[@]})); then chown "$PG_USER" "$tmp/pwfile"; fi

# The server's commands run from inside $tmp, which the server user can read.
cd "$tmp"
"${as_server[@]}" "$PG_BIN/initdb" -D "$tmp/data" -U postgres --pwfile="$tmp/pwfile" \
  --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$tmp/initdb.log" 2>&1 || {
  cat "$tmp/initdb.log" >&2
  echo "with-postgres: initdb failed" >&2
  exit 2
}
rm -f "$tmp/pwfile"

started=0
for attempt in 1 2 3; do
  port=$(free_port)
  # fsync off and friends: the data is thrown away, so durability buys nothing here.
  if "${as_server[@]}" "$PG_BIN/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$tmp' \
        -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
        -c max_connections=100" start >/dev/null; then
    started=1
    break
  fi
  echo "with-postgres: start on port $port failed (attempt $attempt)" >&2
done
if ((!started)); then
  cat "$tmp/server.log" >&2 || true
  exit 2
fi
cd - >/dev/null

export PGPASSWORD=$password
"$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
  -c "CREATE DATABASE carepost_test" >/dev/null
unset PGPASSWORD

export CAREPOST_TEST_POSTGRES_URL="postgresql://postgres:${password}@127.0.0.1:${port}/carepost_test?sslmode=disable"
echo "with-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $tmp)" >&2

# CMD runs in the background so that a signal to this script is handled at once (bash
# defers traps while a foreground child runs): CMD gets the signal too, then the server
# is stopped. CMD's standard input is /dev/null.
trap '[[ -n $child ]] && kill -INT "$child" 2>/dev/null; exit 130' INT
trap '[[ -n $child ]] && kill -TERM "$child" 2>/dev/null; exit 143' TERM
set +e
"$@" </dev/null &
child=$!
wait "$child"
rc=$?
child=""
set -e
exit "$rc"
