#!/usr/bin/env bash
# `make demo`: walk the whole path a user walks, on a fresh demo ledger inside the checkout
# (never the user's real one). It grows with every capability.
set -euo pipefail
db="$1"
rm -rf "$(dirname "$db")"
mkdir -p "$(dirname "$db")"
export TECHDEPT_DB="$db"
export TECHDEPT_TODAY="${TECHDEPT_TODAY:-2026-12-28}"
export TECHDEPT_LANG="${TECHDEPT_LANG:-zh}"
bin="${TECHDEPT_BIN:-.venv/bin/techdept}"
td() { echo; echo "\$ techdept $*"; "$bin" "$@"; }

echo "== techdept demo: ledger $db, today $TECHDEPT_TODAY =="
td init --demo
td init --demo
td staff list
# Staff administration: the demo's administrator 张丽 (zhangli) adds people; nobody else may.
echo; echo "\$ techdept staff add 坏人 --code evil --role director --role gm --role finance   # refused, exit 1"
"$bin" staff add 坏人 --code evil --role director --role gm --role finance \
   || echo "(exit $? — only an administrator administers staff)"
td --as zhangli staff add 林涛 --code lintao --role engineer
td --as zhangli staff add 王建国 --code WANGJG --role engineer || echo "(exit $? — codes ignore case)"
td --as zhangli staff role grant lintao onsite-engineer
td staff show lintao
td roles
td project list
td project new 西港区人民法院科技法庭 --customer 西港区人民法院 --sales qianli \
   --complexity simple-extended --difficulty low
td project new 北岸市中级人民法院数字法庭 --customer 北岸市中级人民法院 \
   --contract 1,200,000.00 --complexity technical --risk medium --sales fengtao \
   --signed 2026-04-20 --stage aftersales.handover
td project set P2026-006 --service-start 2026-10-01 --service-months 36
td project show P2026-006
td --lang en project list --phase presales
td policy show
td policy lint
td policy lint data/policies/v2.0-2014-literal.toml || echo "(exit $? — the seed read literally divides pre-sales by 4)"
td policy explain --track implementation --contract 1200000 --complexity technical --risk medium \
   --planned-days 60 --actual-days 51 --budget 80000 --actual-cost 86000 \
   --ia-deducted 0 --ia-late-days 2 \
   --scores self:quality=28 --scores sales:quality=26 --scores superior:quality=27 \
   --lead 赵磊 --lead-share 40 --engineer 李军:1 --engineer 周鹏:2
echo; echo "\$ techdept project new 坏金额 --customer X --contract 1e6   # refused, exit 1"
"$bin" project new 坏金额 --customer X --contract 1e6 || echo "(exit $?)"
# Project lifecycle: the demo pre-sales project P2026-001 (at presales.tracking) files its
# deliverables, walks their review chains and moves on; the weekly tracking sheet; a knowledge base.
td project checklist P2026-001
td project advance P2026-001 || echo "(exit $? — the tracking documents are not filed yet)"
td --as hemin project deliver P2026-001 technical-solution --file data/kb/标准方案-数字法庭-简版.md --archive
td --as qianli project review P2026-001 technical-solution --approve \
   || echo "(exit $? — the technical director reviews first)"
for doc in technical-solution product-list; do
  [ "$doc" = technical-solution ] || td --as hemin project deliver P2026-001 $doc
  td --as wangjg project review P2026-001 $doc --approve
  td --as qianli project review P2026-001 $doc --approve
  td --as liuzm project review P2026-001 $doc --approve
done
td --as hemin project deliver P2026-001 case-demo
td --as xuyan project deliver P2026-001 final-solution
td --as wangjg project review P2026-001 final-solution --approve
td --as liuzm project review P2026-001 final-solution --approve
td --as xuyan project deliver P2026-001 tender-checklist
td --as wangjg project review P2026-001 tender-checklist --approve
td --as qianli project review P2026-001 tender-checklist --approve
td --as liuzm project review P2026-001 tender-checklist --approve
td project checklist P2026-001
td --as chenxq project advance P2026-001
td project history P2026-001
td report tracking
td form tracking --out "$(dirname "$db")/tracking.docx"
td --as chenxq kb add data/kb/标准方案-数字法庭-简版.md --library solutions --business 数字法庭 \
   --level simple --title 数字法庭标准方案（简版） --tags 数字法庭,标准方案,简版
td kb search 数字法庭
td kb gaps
# Review meeting: policy.md's E1 on a project the department enters after its acceptance
# (a department adopting techdept), scored, shown, approved by the director and the GM.
td project new 南湖区人民法院数字法庭 --code NH-2026-01 --customer 南湖区人民法院 \
   --contract 1,200,000.00 --complexity technical --risk medium --sales qianli \
   --signed 2026-03-02 --stage aftersales.handover
td --as zhaolei team NH-2026-01 --track implementation --lead zhaolei \
   --engineer lijun:1 --engineer zhoupeng:2 --lead-share 40
td assess open NH-2026-01 --track implementation --planned-days 60 --actual-days 51 \
   --budget 80,000.00 --actual-cost 86,000.00 --ia-deducted 0 --ia-late-days 2
td score NH-2026-01 --track implementation --scorer self quality=28
td score NH-2026-01 --track implementation --scorer sales quality=26
td score NH-2026-01 --track implementation --scorer superior quality=31 \
   || echo "(exit $? — quality is out of 30)"
td score NH-2026-01 --track implementation --scorer superior quality=27
td score import data/imports/scores-example.csv
td assess show NH-2026-01 --track implementation
td --as liuzm assess approve NH-2026-01 --track implementation \
   || echo "(exit $? — the technical director approves first)"
td --as wangjg assess approve NH-2026-01 --track implementation
td --as liuzm assess approve NH-2026-01 --track implementation
td assess show NH-2026-01 --track implementation --explain
td assess list
td staff sanctions
# Payments and the quarterly payout (today is in December's payout window).
td bonus --quarter 2026Q4 --pending
td --as lijun payment NH-2026-01 --kind progress --amount 600,000 --date 2026-06-30 \
   || echo "(exit $? — finance records payments)"
td --as huangqin payment NH-2026-01 --kind progress --amount 600,000 --date 2026-06-30
td --as huangqin payment NH-2026-01 --kind final --amount 480,000 --date 2026-12-10
td payment list NH-2026-01
td bonus --quarter 2026Q4
td --as zhaolei bonus --quarter 2026Q4 --pay || echo "(exit $? — finance or the director pays)"
td --as huangqin bonus --quarter 2026Q4 --pay
td --as huangqin bonus --quarter 2026Q4 --pay
td bonus statement zhaolei --year 2026
td bonus pool
# The signed sheets (.docx): E1's implementation sheet, the quarter's sheets, the payout statement.
td form assessment NH-2026-01 --track implementation --out "$(dirname "$db")/E1-implementation.docx"
td form assessment --all --quarter 2026Q4 --out "$(dirname "$db")/sheets-2026Q4"
td form payout --quarter 2026Q4 --out "$(dirname "$db")/payout-2026Q4.docx"
# The ledger keeps itself honest: the audit chain, a consistent backup, a full check.
td audit verify
td audit log --limit 5
td db backup "$(dirname "$db")/backup.db"
td db check
echo
echo "== demo finished =="
