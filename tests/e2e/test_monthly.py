"""Monthly assessments: the manager of an engineer's group hands in the sheet; who is done,
who is missing and which managers are late; the printed sheets; never part of the bonus."""

import docx
import pytest

from tests.e2e._lifecycle import add_department

FULL = ["tasks=35", "quality=25", "attitude=18", "knowledge=8"]


@pytest.fixture
def department(td, monkeypatch):
    """The department joined in September; a second on-site engineer joins in November."""
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-09-15")
    add_department(td)
    td("staff", "add", "周强", "--code", "zhouq", "--role", "onsite-engineer")
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-11-02")
    td("staff", "add", "吴新", "--code", "wuxin", "--role", "engineer")
    return monkeypatch


def score(td, actor, staff, month="2026-10", items=FULL, **kw):
    return td("--as", actor, "monthly", "score", staff, "--month", month, *items, **kw)


def test_month_with_one_late_manager(td, department):
    # October: pre-sales (chenxq → hemin) on time; technical (sunhui, assisted by zhaolei):
    # lijun and sunhui on time, zhaolei on the 7th (late), zhouq never.
    score(td, "chenxq", "hemin")
    score(td, "sunhui", "lijun")
    score(td, "zhaolei", "sunhui", items=["tasks=40", "quality=30", "attitude=20", "knowledge=10"])
    department.setenv("TECHDEPT_TODAY", "2026-11-07")
    score(td, "sunhui", "zhaolei")

    doc = td("monthly", "list", "--month", "2026-10", "--json").json()
    assert doc["due"] == "2026-11-05"
    assert doc["example_rubric"] is True
    status = {s["staff"]: s["status"] for s in doc["sheets"]}
    # wuxin joined in November: no October sheet is owed for him
    assert status == {
        "hemin": "done",
        "lijun": "done",
        "sunhui": "done",
        "zhaolei": "late",
        "zhouq": "overdue",
    }
    totals = {s["staff"]: s["total"] for s in doc["sheets"]}
    assert totals["sunhui"] == "100.0" and totals["zhouq"] is None
    assert doc["late"] == ["sunhui"]
    assert (doc["done"], doc["missing"]) == (4, 1)

    late = td("monthly", "list", "--month", "2026-10", "--late", "--json").json()
    assert [(m["staff"], m["engineers"]) for m in late["managers"]] == [
        ("sunhui", ["zhaolei", "zhouq"])
    ]
    plain = td("monthly", "list", "--month", "2026-10", "--late").stdout
    assert "sunhui" in plain and "chenxq" not in plain
    csv = td("monthly", "list", "--month", "2026-10", "--late", "--csv").stdout.splitlines()
    assert csv == [
        "\ufeffstaff,name,group,late,engineers",
        "sunhui,孙慧,technical,true,zhaolei zhouq",
    ]


def test_before_the_due_day_nobody_is_late(td, department):
    department.setenv("TECHDEPT_TODAY", "2026-11-05")
    score(td, "chenxq", "hemin")
    doc = td("monthly", "list", "--month", "2026-10", "--json").json()
    assert doc["late"] == []
    assert {s["status"] for s in doc["sheets"] if s["staff"] != "hemin"} == {"missing"}
    zh = td("--lang", "zh", "monthly", "list", "--month", "2026-10", "--late").stdout
    assert "没有迟交的经理" in zh


@pytest.mark.parametrize(
    "actor, staff, items, message",
    [
        ("chenxq", "lijun", FULL, "handed in by the after-sales manager / implementation manager"),
        ("sunhui", "hemin", FULL, "handed in by the pre-sales manager"),
        ("lijun", "zhouq", FULL, "'lijun' is not"),
        ("sunhui", "sunhui", FULL, "nobody fills in their own monthly sheet"),
        ("chenxq", "wangjg", FULL, "wangjg is not an engineer assessed monthly"),
        ("sunhui", "lijun", FULL[:3], "missing: knowledge"),
        ("sunhui", "lijun", [*FULL[:3], "knowledge=10.5"], "knowledge: '10.5' is not allowed"),
        ("sunhui", "lijun", [*FULL[:3], "knowledge=-1"], "points are 0 to 10"),
        ("sunhui", "lijun", [*FULL, "tasks=1"], "item tasks given twice"),
        ("sunhui", "lijun", [*FULL[:3], "fun=3"], "no item 'fun'"),
        ("sunhui", "lijun", [*FULL[:3], "knowledge"], "should be ITEM=POINTS"),
    ],
)
def test_refusals(td, department, actor, staff, items, message):
    score(td, actor, staff, items=items, expect=1, stderr=message)
    assert td("monthly", "list", "--month", "2026-10", "--json").json()["done"] == 0


def test_month_not_started_and_joined_later(td, department):
    score(td, "sunhui", "lijun", month="2026-12", expect=1, stderr="has not started")
    # wuxin was added in November: October's sheet is not owed, but may be typed in
    listed = td("monthly", "list", "--month", "2026-10", "--json").json()
    assert "wuxin" not in [s["staff"] for s in listed["sheets"]]
    score(td, "sunhui", "wuxin")
    listed = td("monthly", "list", "--month", "2026-10", "--json").json()
    assert "wuxin" in [s["staff"] for s in listed["sheets"]]
    score(td, "sunhui", "lijun", month="2026-13", expect=1, stderr="not a month")
    score(td, "sunhui", "lijun", month="2026年10月")  # the way the office writes it


def test_correction_needs_replace_and_keeps_the_old_version(td, department, ledger_env):
    score(td, "sunhui", "lijun")
    score(td, "sunhui", "lijun", expect=1, stderr="already handed in by sunhui")
    fixed = ["tasks=30", "quality=25", "attitude=18", "knowledge=8"]
    doc = score(td, "zhaolei", "lijun", items=[*fixed, "--replace", "--json"]).json()
    assert (doc["version"], doc["total"], doc["scored_by"]) == (2, "81.0", "zhaolei")
    shown = td("staff", "show", "lijun", "--json").json()["monthly"]
    assert [(m["month"], m["total"]) for m in shown] == [("2026-10", "81.0")]
    log = td("audit", "log", "--json").json()
    rows = [e for e in log if e["action"] == "monthly.score"]
    assert len(rows) == 2 and rows[-1]["before"]["version"] == 1


def test_staff_show_in_chinese(td, department):
    score(td, "sunhui", "lijun", items=[*FULL, "--note", "按时完成"])
    text = td("--lang", "zh", "staff", "show", "lijun").stdout
    assert "月度考核" in text and "2026-10：86 分（sunhui）" in text


def test_monthly_never_feeds_the_bonus(td, department):
    before = td("bonus", "--quarter", "2026Q4", "--json").json()
    score(td, "sunhui", "lijun")
    assert td("bonus", "--quarter", "2026Q4", "--json").json() == before


def test_form_monthly(td, department, tmp_path):
    score(td, "chenxq", "hemin", items=[*FULL, "--note", "方案按时"])
    department.setenv("TECHDEPT_TODAY", "2026-11-20")
    out = tmp_path / "monthly.docx"
    td("--lang", "zh", "form", "monthly", "--month", "2026-10", "--out", str(out))
    document = docx.Document(str(out))
    words = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert "月度考核表" in words and "公司示例" in words
    assert "售前工程师" in words and "技术工程师" in words
    assert "何敏 (hemin)" in cells and "方案按时" in cells and "86" in cells
    assert "逾期未交" in cells  # the technical engineers' sheets never came
    assert any("孙慧 (sunhui)" in c for c in cells)  # late manager named in the summary
    assert "售后运维经理" in words and "技术总监" in words
    assert "工作任务完成（40）" in cells
    english = tmp_path / "monthly-en.docx"
    td("form", "monthly", "--month", "2026-10", "--out", str(english))
    document = docx.Document(str(english))
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert "Tasks completed (40)" in cells and "overdue" in cells


def test_policy_show_marks_the_example(td):
    zh = td("--lang", "zh", "policy", "show").stdout
    assert "月度考核" in zh and "公司示例" in zh and "非原文所载" in zh
    doc = td("policy", "show", "--json").json()
    assert doc["monthly"]["example"] is True and doc["monthly"]["due_day"] == 5
    assert doc["min_crew_quotes"] == 2
    td("policy", "lint")
