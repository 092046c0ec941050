"""Repairs and replacements (free in warranty, a commerce quote outside it) and consultations
(a new requirement passed to pre-sales, opening a linked pre-sales project)."""

from _lifecycle import ticket
from _tickets import after_sales_project, new_ticket

project = after_sales_project  # the fixture


def reported(td, project, at, *extra):
    tid = new_ticket(td, project, at, *extra, symptom="摄像机故障", phone="1")["id"]
    ticket(td, "sunhui", "assign", tid, "--engineer", "lijun")
    return tid


def repair(td, who, tid, *extra, **kw):
    return ticket(
        td, who, "repair", tid, "--part", "球形摄像机", "--action", "replace", *extra, **kw
    )


def test_in_warranty_repairs_are_free(td, project):
    tid = reported(td, project, "2026-11-20 09:00")
    repair(td, "lijun", tid, "--quote", "800", expect=1, stderr="repairs and replacements are free")
    repair(td, "zhaolei", tid, expect=1, stderr="only the assigned engineer")
    doc = repair(td, "lijun", tid, "--in-warranty", "--json").json()
    assert doc["repairs"] == [
        {
            "part": "球形摄像机",
            "action": "replace",
            "in_warranty": True,
            "quote": None,
            "recorded_on": "2026-11-27",
            "recorded_by": "lijun",
        }
    ]


def test_out_of_warranty_needs_a_commerce_quote(td, project):
    tid = reported(td, project, "2026-09-28 09:00", "--out-of-warranty")
    repair(td, "lijun", tid, expect=1, stderr="needs a commerce quote first")
    repair(td, "lijun", tid, "--quote", "1,800.00", expect=1, stderr="commerce")
    doc = repair(td, "xuyan", tid, "--quote", "1,800.00", "--json").json()
    assert doc["repairs"][0]["quote"] == "1800.00"
    assert doc["repairs"][0]["in_warranty"] is False
    repair(td, "xuyan", tid, "--quote", "5", "--in-warranty", expect=2, stderr="not both")


def test_consultation_opens_a_linked_presales_project(td, project):
    ticket(
        td,
        "lijun",
        "consult",
        project,
        "--question",
        "q",
        "--answer",
        "a",
        expect=1,
        stderr="after-sales manager",
    )
    plain = ticket(
        td,
        "sunhui",
        "consult",
        project,
        "--question",
        "庭审录像如何导出？",
        "--answer",
        "在管理端按案号导出",
        "--json",
    ).json()
    assert plain["new_requirement"] is False and plain["presales_project"] is None
    ticket(
        td,
        "sunhui",
        "consult",
        project,
        "--question",
        "x",
        "--answer",
        "y",
        "--open-project",
        expect=1,
        stderr="give --new-requirement too",
    )
    doc = ticket(
        td,
        "sunhui",
        "consult",
        project,
        "--question",
        "新增两个远程提讯室",
        "--answer",
        "需要新方案，转售前",
        "--new-requirement",
        "--open-project",
        "--name",
        "东湖中院远程提讯室扩容",
        "--json",
    ).json()
    assert doc["id"] == "C2026-0002"
    assert doc["passed_to"] == ["chenxq"]
    new = td("project", "show", doc["presales_project"], "--json").json()
    assert new["stage"] == "presales.contact"
    assert new["customer"] == "东湖中院" and new["sales"] == "fengtao"
    assert new["name"] == "东湖中院远程提讯室扩容"
    listed = td("ticket", "consultations", "--new-requirement", "--json").json()
    assert [(c["id"], c["presales_project"]) for c in listed] == [
        ("C2026-0002", doc["presales_project"])
    ]
    zh = td("--lang", "zh", "ticket", "consultations")
    assert "新增两个远程提讯室" in zh.stdout
