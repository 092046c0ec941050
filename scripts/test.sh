#!/usr/bin/env bash
# `make test`: lint, then the whole suite on SQLite, then again on a throwaway PostgreSQL
# cluster when the server binaries are on this machine (.ci/run installs them).
set -euo pipefail
bin=.venv/bin
$bin/ruff check techdept tests bench
$bin/ruff format --check techdept tests bench
echo "== test suite on SQLite =="
$bin/python -m pytest "$@"
if [ -z "${TECHDEPT_SKIP_WHEEL:-}" ]; then
  echo "== the wheel, installed without the checkout (TECHDEPT_SKIP_WHEEL=1 skips) =="
  log="$(mktemp /tmp/techdept-wheel-test.XXXXXX.log)"
  bash scripts/wheel-test.sh "$($bin/python -c 'import sys; print(sys._base_executable)')" \
    > "$log" 2>&1 || { cat "$log"; exit 1; }
  tail -2 "$log"; rm -f "$log"
fi
if [ -n "${TECHDEPT_SKIP_PG:-}" ]; then
  echo "== PostgreSQL pass skipped (TECHDEPT_SKIP_PG) =="; exit 0
fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  if [ -n "${CI:-}" ]; then echo "PostgreSQL is missing in CI" >&2; exit 1; fi
  echo "== PostgreSQL pass skipped: no server binaries (apt-get install postgresql) =="; exit 0
fi
pgdir="$(mktemp -d /tmp/techdept-pg.XXXXXX)"
url="$(scripts/pg.sh start "$pgdir" "${TECHDEPT_PG_PORT:-54329}")"
trap 'scripts/pg.sh stop "$pgdir"' EXIT
echo "== test suite on PostgreSQL ($url) =="
TECHDEPT_TEST_PG_URL="$url" $bin/python -m pytest "$@"
