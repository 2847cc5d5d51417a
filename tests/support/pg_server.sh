#!/usr/bin/env bash
# A throwaway PostgreSQL 15 for tests: initdb in a temporary folder as an unprivileged user,
# listening only on 127.0.0.1 at a free port, trust authentication for the test role.
#
#   pg_server.sh start DIR   → starts a server whose files live in DIR (created; must not exist
#                              or be empty) and prints its libpq conninfo on stdout, e.g.
#                              "host=127.0.0.1 port=41234 user=dicometl dbname=postgres"
#   pg_server.sh stop DIR    → stops it and removes DIR
#   pg_server.sh createdb DIR NAME → creates database NAME, prints its conninfo
#   pg_server.sh restart DIR → fast restart (every client connection is terminated), same port
#
# Typical use in a test script:
#   dir=$(mktemp -d -u); conn=$(tests/support/pg_server.sh start "$dir"); trap '... stop "$dir"' EXIT
set -euo pipefail

pg_bin() {
  local d
  for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    [[ -x "$d/initdb" ]] && { echo "$d"; return; }
  done
  echo "pg_server.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 1
}

# Run as an unprivileged user: initdb and postgres refuse to run as root.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u nobody -- "$@"; else "$@"; fi
}

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

conninfo() { echo "host=127.0.0.1 port=$(cat "$1/port") user=dicometl dbname=${2:-postgres}"; }

cmd=${1:-}; dir=${2:-}
[[ -n "$cmd" && -n "$dir" ]] || { sed -n '2,13p' "$0" >&2; exit 2; }
BIN=$(pg_bin)

case "$cmd" in
  start)
    mkdir -p "$dir"
    [[ -z "$(ls -A "$dir")" ]] || { echo "pg_server.sh: $dir is not empty" >&2; exit 2; }
    chmod 755 "$dir"
    [[ $(id -u) -eq 0 ]] && chown nobody "$dir"
    as_owner "$BIN/initdb" -D "$dir/data" -U dicometl --auth=trust -E UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    for attempt in 1 2 3 4 5; do
      port=$(free_port)
      echo "$port" >"$dir/port"
      # Sockets in DIR (not /var/run), TCP on loopback only; fsync off: tests need no durability.
      if as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
           -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40" \
           >/dev/null 2>&1; then
        conninfo "$dir"
        exit 0
      fi
    done
    cat "$dir/server.log" >&2
    exit 1
    ;;
  stop)
    if [[ -d "$dir/data" ]]; then
      as_owner "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  restart)
    as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w -t 60 restart >/dev/null
    ;;
  createdb)
    name=${3:?database name}
    "$BIN/psql" -q -X -v ON_ERROR_STOP=1 "$(conninfo "$dir")" -c "CREATE DATABASE \"$name\"" >/dev/null
    conninfo "$dir" "$name"
    ;;
  *)
    echo "pg_server.sh: unknown command $cmd (start|stop|restart|createdb)" >&2; exit 2 ;;
esac
