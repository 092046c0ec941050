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
# The company's name, printed on every sheet's title line: the administrator sets it (audited).
echo; echo "\$ techdept config set 公司名称 某某科技有限公司   # refused, exit 1"
"$bin" config set 公司名称 某某科技有限公司 || echo "(exit $? — only an administrator changes the settings)"
td --as zhangli config set 公司名称 某某数字法庭科技有限公司
td config show
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
# Demo systems (virtual machines): tested and backed up; the case demo names the one it used.
td --as hemin demo-system add 数字法庭标准演示 --scenario 科技法庭庭审全流程 \
   --vm-image vm://demo/court-2026.ova
td --as hemin project deliver P2026-001 case-demo --demo-system 数字法庭标准演示 \
   || echo "(exit $? — the demo system has not been tested yet)"
td --as sunhui demo-system test 数字法庭标准演示 --result pass --note 音视频同步正常
td --as hemin demo-system backup 数字法庭标准演示 --location NAS:/backup/demo/court-2026-12.ova
td demo-system list
td --as hemin project deliver P2026-001 case-demo --demo-system 数字法庭标准演示
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
# A knowledge-base update from an engineer: proposed with its plan, reviewed by an owner of the
# library, then filed (filing it directly is the owners' alone).
td --as lijun kb add data/kb/庭审主机常见问题.md --library technical --title 庭审主机常见问题 \
   || echo "(exit $? — only the library's owners file directly; others propose)"
td --as lijun kb propose data/kb/庭审主机常见问题.md --library technical --title 庭审主机常见问题 \
   --plan 补充本季度运维中新出现的三个故障 --tags FAQ,庭审主机
td kb proposals --pending
td --as sunhui kb review KP-1 --approve
td kb list --library technical
# Implementation work on P2026-003 (in construction): two crews quote, one is chosen;
# the customer's staff are trained, sign in and give feedback (the training records).
td --as zhaolei crew quote P2026-003 --crew 宏达弱电施工队 --amount 86,000
td --as zhaolei crew choose P2026-003 --crew 宏达弱电施工队 \
   || echo "(exit $? — at least two crews must quote)"
td --as zhaolei crew quote P2026-003 --crew 安信智能工程 --amount 79,500
td --as zhaolei crew choose P2026-003 --crew 安信智能工程 --note 报价低，工期可控
td project show P2026-003
td --as zhaolei training plan P2026-003 --date 2026-12-18 --topic 科技法庭系统操作 \
   --trainer lijun --place 临江县人民法院三楼
td --as zhaolei training sign T-1 --name 张书记员 --name 王法官 --name 刘庭长
td --as zhaolei training feedback T-1 --rating 5 --note 讲解清楚，操作手册实用
td --as zhaolei training feedback T-1 --rating 4
td training list P2026-003
# Monthly assessments of December, due 5 January: the pre-sales manager hands in on time; the
# after-sales manager (with the implementation manager's help) misses one engineer.
for who in hemin gaofei; do
  TECHDEPT_TODAY=2027-01-04 td --as chenxq monthly score $who --month 2026-12 \
     tasks=36 quality=26 attitude=18 knowledge=8
done
for who in lijun zhoupeng wuhao zhengyu; do
  TECHDEPT_TODAY=2027-01-04 td --as sunhui monthly score $who --month 2026-12 \
     tasks=34 quality=25 attitude=18 knowledge=7
done
TECHDEPT_TODAY=2027-01-04 td --as zhaolei monthly score sunhui --month 2026-12 \
   tasks=38 quality=27 attitude=19 knowledge=9 --note 带队完成年底巡检
TECHDEPT_TODAY=2027-01-04 td --as sunhui monthly score zhaolei --month 2026-12 \
   tasks=37 quality=27 attitude=18 knowledge=8
TECHDEPT_TODAY=2027-01-04 td --as chenxq monthly score lintao --month 2026-12 \
   tasks=30 quality=25 attitude=18 knowledge=7 \
   || echo "(exit $? — a technical engineer's sheet is the after-sales manager's)"
TECHDEPT_TODAY=2027-01-08 td monthly list --month 2026-12
TECHDEPT_TODAY=2027-01-08 td monthly list --month 2026-12 --late
TECHDEPT_TODAY=2027-01-08 td form monthly --month 2026-12 --out "$(dirname "$db")/monthly-2026-12.docx"
td staff show lijun
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
# the sheet's words: the cost reason typed (the schedule line keeps the sheet's own "9 days early")
td assess set NH-2026-01 --track implementation --cost-reason "客户追加两台庭审主机"
# at the meeting itself the secretary types the sheets into the live console (a terminal is
# needed, so the walk only shows its help): techdept meeting NH-2026-01 --track implementation
td meeting --help
td meeting NH-2026-01 --track implementation </dev/null || echo "(exit $? — not a terminal here: the walk uses score)"
td score NH-2026-01 --track implementation --scorer self quality=28
td score NH-2026-01 --track implementation --scorer sales quality=26
td score NH-2026-01 --track implementation --scorer superior quality=31 \
   || echo "(exit $? — quality is out of 30)"
td score NH-2026-01 --track implementation --scorer superior quality=27
td score import data/imports/scores-example.csv
td assess show NH-2026-01 --track implementation
td --as liuzm assess approve NH-2026-01 --track implementation \
   || echo "(exit $? — the technical director approves first)"
td --as wangjg assess approve NH-2026-01 --track implementation --opinion "同意，按考核结果发放"
td --as liuzm assess approve NH-2026-01 --track implementation
td assess show NH-2026-01 --track implementation --explain
td assess list
td staff sanctions
# After-sales operations on P2026-004 (in service since 2026-01-01): one fault solved by phone,
# one on site (a trip approved by sales and the after-sales manager, the visit, a replacement,
# both signatures, the expense, an archive 11 days late); a consultation that becomes a
# pre-sales project; the quarter's figures, budget and actual on the after-sales assessment.
td --as fengtao ticket new P2026-004 --symptom 第三法庭庭审录音无声音 --contact 王法官 \
   --phone 0571-88880001 --channel sales --reported-at "2026-12-14 08:40"
td --as sunhui ticket assign T2026-0001 --engineer lijun --at "2026-12-14 09:10"
td --as lijun ticket call T2026-0001 --solved --note 指导书记员重启录音服务后恢复 \
   --at "2026-12-14 09:40"
td --as sunhui ticket archive T2026-0001 --date 2026-12-15
td --as huangqin ticket new P2026-004 --symptom 第一法庭球形摄像机无图像 --contact 李庭长 \
   --phone 0571-88880002 --channel hotline --reported-at "2026-12-16 10:05"
td --as sunhui ticket assign T2026-0002 --engineer lijun --at "2026-12-16 10:30"
td --as lijun ticket call T2026-0002 --not-solved --note 远程无法恢复，需上门检查 \
   --at "2026-12-16 11:00"
td --as lijun ticket trip T2026-0002 --from 2026-12-17 --to 2026-12-17 --purpose 上门检修摄像机
td --as fengtao ticket approve-trip T2026-0002
td --as lijun ticket visit T2026-0002 --date 2026-12-17 --work-done x \
   || echo "(exit $? — the after-sales manager has not approved the trip yet)"
td --as sunhui ticket approve-trip T2026-0002
td --as lijun ticket visit T2026-0002 --date 2026-12-17 --work-done 更换第一法庭球形摄像机一台，图像恢复
td --as lijun ticket repair T2026-0002 --part 球形摄像机 --action replace
td --as lijun ticket expense T2026-0002 --amount 260 --note 往返车费 \
   || echo "(exit $? — expenses are reimbursed against the report the manager signed)"
td --as lijun ticket customer-sign T2026-0002 --name 李庭长 --date 2026-12-17
td --as sunhui ticket manager-sign T2026-0002 --at "2026-12-17 17:30"
td --as lijun ticket expense T2026-0002 --amount 260 --note 往返车费
td --as sunhui ticket archive T2026-0002
td ticket show T2026-0002
td ticket list --quarter 2026Q4
td form service-report T2026-0002 --out "$(dirname "$db")/T2026-0002-service-report.docx"
td form trip T2026-0002 --out "$(dirname "$db")/T2026-0002-trip.docx"
td form ticket T2026-0001 --out "$(dirname "$db")/T2026-0001-ticket.docx"
td --as sunhui ticket consult P2026-004 --question 能否在两个法庭增加远程提讯 \
   --answer 需要新方案，已转售前 --new-requirement --open-project --name 东湖中院远程提讯扩容
td --as sunhui ticket budget P2026-004 --quarter 2026Q4 --amount 20,000
td --as huangqin ticket actual P2026-004 --quarter 2026Q4 --amount 18,500
td report tickets --quarter 2026Q4
td --as sunhui team P2026-004 --track aftersales --lead sunhui --engineer lijun
td assess open P2026-004 --track aftersales --quarter 2026Q4
td assess show P2026-004 --track aftersales --quarter 2026Q4
# Payments and the quarterly payout (today is in December's payout window).
td bonus --quarter 2026Q4 --pending
td --as lijun payment NH-2026-01 --kind progress --amount 600,000 --date 2026-06-30 \
   || echo "(exit $? — finance records payments)"
td --as huangqin payment NH-2026-01 --kind progress --amount 600,000 --date 2026-06-30
td --as huangqin payment NH-2026-01 --kind final --amount 480,000 --date 2026-12-10
td payment list NH-2026-01
td bonus --quarter 2026Q4
td db backup "$(dirname "$db")/before-pay.db"
td --as zhaolei bonus --quarter 2026Q4 --pay || echo "(exit $? — finance or the director pays)"
td --as huangqin bonus --quarter 2026Q4 --pay
td --as huangqin bonus --quarter 2026Q4 --pay
td bonus statement zhaolei --year 2026
td bonus pool
# The signed sheets (.docx): E1's implementation sheet, the quarter's sheets, the payout statement.
td form assessment NH-2026-01 --track implementation --out "$(dirname "$db")/E1-implementation.docx"
td form assessment --all --quarter 2026Q4 --out "$(dirname "$db")/sheets-2026Q4"
td form payout --quarter 2026Q4 --out "$(dirname "$db")/payout-2026Q4.docx"
# Excel in and out: a template, a GB18030 CSV from Excel checked (one bad row) and imported
# once fixed, the workbooks finance files, and the quarter at a glance.
td import template staff --xlsx "$(dirname "$db")/人员导入模板.xlsx"
td --as zhangli import staff data/imports/staff-gb18030.csv --dry-run || echo "(exit $? — 厨师 is not a role)"
grep -av '^zhangchu,' data/imports/staff-gb18030.csv > "$(dirname "$db")/staff-fixed.csv"
td --as zhangli import staff "$(dirname "$db")/staff-fixed.csv"
td bonus --quarter 2026Q4 --xlsx "$(dirname "$db")/2026Q4奖金发放.xlsx"
td bonus --quarter 2026Q4 --xlsx "$(dirname "$db")/2026Q4奖金发放.xlsx" \
   || echo "(exit $? — an existing workbook is replaced only with --force)"
td assess show NH-2026-01 --track implementation --explain --xlsx "$(dirname "$db")/E1.xlsx"
td report quarter 2026Q4
td report quarter 2026Q4 --xlsx "$(dirname "$db")/2026Q4概览.xlsx"
td --version
# The ledger keeps itself honest: the audit chain, a consistent backup, a full check.
td audit verify
td audit log --limit 5
td db backup "$(dirname "$db")/backup.db"
td db check
# What the ledger guarantees: a restore that would lose the payout is refused; the anchor a
# signed sheet carries ("audit row N · HASH") still holds.
td --as zhangli db restore "$(dirname "$db")/before-pay.db" \
   || echo "(exit $? — that backup lacks the payout run recorded since)"
td audit head
anchor=$("$bin" audit head --json | sed -E 's/.*"anchor": "([^"]+)".*/\1/')
td audit verify --expect "$anchor"
echo
echo "== demo finished =="
