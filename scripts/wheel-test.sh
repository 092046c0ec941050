#!/usr/bin/env bash
# The install a colleague gets, without the checkout: build the wheel from a copy of the
# tracked files, install it into a fresh virtual environment outside the source tree, and
# walk init --demo, a review meeting, a payout and the .xlsx exports there.
#   scripts/wheel-test.sh [PYTHON]     (default: python3; run by tests/test_wheel.py)
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
python="${1:-python3}"
work="$(mktemp -d /tmp/techdept-wheel.XXXXXX)"
trap 'rm -rf "$work"' EXIT

echo "== copy the tracked files to $work/src and build the wheel =="
mkdir -p "$work/src"
(cd "$src" && git ls-files -z --cached --others --exclude-standard \
   | xargs -0 -I{} sh -c '[ -e "{}" ] && printf "%s\0" "{}"' \
   | tar --null -T - -cf -) | tar -xf - -C "$work/src"
"$python" -m venv "$work/venv"
venv="$work/venv/bin"
"$venv/python" -m pip wheel --quiet --no-deps --wheel-dir "$work/dist" "$work/src"
wheel="$(ls "$work"/dist/techdept-*.whl)"
echo "built $(basename "$wheel")"
rm -rf "$work/src"  # nothing from the checkout is left to lean on

echo "== what the wheel carries =="
"$venv/python" - "$wheel" <<'EOF'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
need = {
    "policy": "techdept/rules/policies/v2.0-2014.toml",
    "domain": "techdept/rules/domain.toml",
    "migrations": "techdept/ledger/migrations/env.py",
    "first migration": "techdept/ledger/migrations/versions/0001_initial.py",
    "zh catalogue": "techdept/i18n/zh/office.toml",
    "en catalogue": "techdept/i18n/en/office.toml",
}
missing = [f"{what} ({path})" for what, path in need.items() if path not in names]
if missing:
    sys.exit("missing from the wheel: " + ", ".join(missing))
print(len(names), "files; policy, domain, migrations and catalogues present")
EOF

echo "== install it into a fresh environment =="
"$venv/python" -m pip install --quiet "$wheel"
cd "$work"  # outside the source tree
export TECHDEPT_DB="$work/ledger.db" TECHDEPT_LANG=zh TECHDEPT_TODAY=2026-11-27
td() { echo "\$ techdept $*"; "$venv/techdept" "$@"; }
"$venv/python" -c "import techdept, sys; p = techdept.__file__; \
  sys.exit(0 if p.startswith('$work/venv/') else f'techdept imported from {p}')"
td --version
td init --demo
td project new 南湖区人民法院数字法庭 --code NH-2026-01 --customer 南湖区人民法院 \
   --contract 1,200,000.00 --complexity technical --risk medium --sales qianli \
   --signed 2026-03-02 --stage aftersales.handover
td --as wangjg team NH-2026-01 --track implementation --lead zhaolei \
   --engineer lijun:1 --engineer zhoupeng:2 --lead-share 40
td assess open NH-2026-01 --track implementation --planned-days 60 --actual-days 51 \
   --budget 80,000.00 --actual-cost 86,000.00 --ia-deducted 0 --ia-late-days 2
for s in self:28 sales:26 superior:27; do
  td score NH-2026-01 --track implementation --scorer "${s%%:*}" "quality=${s##*:}"
done
td --as wangjg assess approve NH-2026-01 --track implementation
td --as liuzm assess approve NH-2026-01 --track implementation
td --as huangqin payment NH-2026-01 --kind final --amount 480,000 --date 2026-11-20
export TECHDEPT_TODAY=2026-12-28
td --as huangqin bonus --quarter 2026Q4 --pay
td bonus --quarter 2026Q4 --xlsx payout.xlsx
td report quarter 2026Q4 --xlsx quarter.xlsx
td import template staff --xlsx staff-template.xlsx
td --as zhangli import staff staff-template.xlsx
"$venv/techdept" bonus --quarter 2026Q4 --json > payout.json
"$venv/python" - <<'EOF'
import json
from decimal import Decimal

import openpyxl

doc = json.load(open("payout.json", encoding="utf-8"))
ws = openpyxl.load_workbook("payout.xlsx")["奖金发放"]
total = next(r for r in ws.iter_rows(values_only=True) if r[0] == "合计")
got = Decimal(str(next(v for v in total[1:] if v is not None))).quantize(Decimal("0.01"))
assert got == Decimal(doc["total"]) == Decimal("7550.40"), (got, doc["total"])
charts = openpyxl.load_workbook("quarter.xlsx")["概览"]._charts
assert charts, "the quarter workbook has no chart"
print(f"payout.xlsx total ¥{got} = bonus --json total; quarter.xlsx has its charts")
EOF
echo "== the wheel works without the checkout =="
