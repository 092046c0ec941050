#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for the test suite (initdb + pg_ctl, no Docker).
#   scripts/pg.sh start DIR PORT   -> prints the SQLAlchemy URL
#   scripts/pg.sh stop DIR
set -euo pipefail
cmd="$1"; dir="$2"; port="${3:-54329}"
bin=""
for cand in /usr/lib/postgresql/*/bin; do [ -x "$cand/initdb" ] && bin="$cand"; done
if [ -z "$bin" ]; then
  command -v initdb >/dev/null 2>&1 || { echo "no PostgreSQL server binaries found" >&2; exit 1; }
  bin="$(dirname "$(command -v initdb)")"
fi
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-h 127.0.0.1 -p $port -k $dir -F" start >/dev/null
    echo "postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    rm -rf "$dir"
    ;;
esac
