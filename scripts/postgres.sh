#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the server tests and benchmarks.
#
#   scripts/postgres.sh start        installs Debian's postgresql if missing, starts a cluster in a
#                                    temporary folder on a free loopback port, and prints
#                                      DATABASE_URL=postgres://steward@127.0.0.1:<port>/steward
#                                      STEWARD_PG_DIR=<folder>
#   scripts/postgres.sh stop <dir>   stops that cluster and deletes its folder
#
# Root cannot run postgres, so as root the cluster runs as the `postgres` user (runuser).
# Trust authentication on 127.0.0.1 only: the cluster is for tests and lives minutes.
set -euo pipefail

find_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "${1:-}" in
start)
  bin="$(find_bin)"
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "postgres.sh: installing Debian's postgresql…" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get install -y postgresql >&2 || { apt-get update >&2 && apt-get install -y postgresql >&2; }
      bin="$(find_bin)"
    fi
  fi
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "postgres.sh: PostgreSQL is not installed, and installing it needs root and apt-get." >&2
    exit 2
  fi
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "postgres.sh: there is no postgres user to run the cluster as." >&2
    exit 2
  fi
  dir="$(mktemp -d /tmp/steward-pg.XXXXXX)"
  chmod 700 "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
  port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
  as_pg "$bin/initdb" -D "$dir/data" -U steward --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
  }
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null || {
    cat "$dir/server.log" >&2
    exit 1
  }
  as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U steward steward
  echo "DATABASE_URL=postgres://steward@127.0.0.1:$port/steward"
  echo "STEWARD_PG_DIR=$dir"
  ;;
stop)
  dir="${2:-}"
  if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then
    echo "postgres.sh: give the STEWARD_PG_DIR that start printed." >&2
    exit 2
  fi
  bin="$(find_bin)"
  as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  rm -rf "$dir"
  ;;
*)
  echo "usage: scripts/postgres.sh start | stop <STEWARD_PG_DIR>" >&2
  exit 2
  ;;
esac
