#!/usr/bin/env bash
# `make test`: lint; the suite on SQLite in two tiers — the tests that start no process or
# server, then the slow tier (the CLI in a subprocess, LibreOffice, concurrency, kills, the
# READMEs, the demo; those marked `serial` alone after the others), each slow test's time
# printed; the wheel; then the ledger tests (marker
# `ledger`) again on a throwaway PostgreSQL cluster when the server binaries are on this
# machine (.ci/run installs them). Each step says how long it took.
#   scripts/test.sh [fast] [PYTEST ARGS…]   fast: lint and the first tier only (make test-fast)
#   TECHDEPT_TEST_WORKERS=N   pytest-xdist workers (default auto: one per core; 0: none)
set -euo pipefail
bin=.venv/bin
mode=all
if [ "${1:-}" = fast ]; then mode=fast; shift; fi
workers=(-n "${TECHDEPT_TEST_WORKERS:-auto}")
t0=$SECONDS
step() { echo "== $1 =="; t1=$SECONDS; }
took() { echo "   ($1: $((SECONDS - t1)) s; make test so far: $((SECONDS - t0)) s)"; }
# pytest, where "no test selected" (exit 5, e.g. a file given with no slow test) is no failure
tests() { local rc=0; $bin/python -m pytest "$@" || rc=$?; [ "$rc" = 0 ] || [ "$rc" = 5 ] || exit "$rc"; }

step "ruff"
$bin/ruff check techdept tests bench
$bin/ruff format --check techdept tests bench
took ruff
step "SQLite: the tests that start no process or server"
tests "${workers[@]}" -m "not slow" "$@"
took "no-process tier"
[ "$mode" = fast ] && exit 0
step "SQLite: the slow tier (processes and servers; each test's time below)"
# on the workers, but those that time real waits (marker `serial`: busy timeouts, 20 writers at
# once) alone afterwards: two workers on two cores starve them (measured: a writer waited past
# the 60 s busy timeout)
tests "${workers[@]}" -m "slow and not serial" "$@"
tests -m "slow and serial" "$@"
took "slow tier"
if [ -z "${TECHDEPT_SKIP_WHEEL:-}" ]; then
  step "the wheel, installed without the checkout (TECHDEPT_SKIP_WHEEL=1 skips)"
  log="$(mktemp /tmp/techdept-wheel-test.XXXXXX.log)"
  bash scripts/wheel-test.sh "$($bin/python -c 'import sys; print(sys._base_executable)')" \
    > "$log" 2>&1 || { cat "$log"; exit 1; }
  tail -2 "$log"; rm -f "$log"
  took wheel
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
step "PostgreSQL ($url): the tests that open a ledger, no-process tier"
TECHDEPT_TEST_PG_URL="$url" tests "${workers[@]}" -m "not slow" "$@"
took "PostgreSQL no-process tier"
step "PostgreSQL: the tests that open a ledger, slow tier"
TECHDEPT_TEST_PG_URL="$url" tests "${workers[@]}" -m "slow and not serial" "$@"
TECHDEPT_TEST_PG_URL="$url" tests -m "slow and serial" "$@"
took "PostgreSQL slow tier"
