"""Separation of duties (issue 12, build 3): each a policy key, on by default. Every attack is
refused with its message, nothing changes, no audit row is written."""

import docx
import pytest

from tests.e2e._meeting import E1_FACTS, IMPL, new_project
from tests.e2e._refusals import nothing_changes, refused


@pytest.fixture(autouse=True)
def demo(td):
    td("init", "--demo")


def _scored(td, *, lead="zhaolei", engineer="lijun", policy=()):
    code = new_project(td, "分离项目", signed="2026-03-02")
    td("--as", "wangjg", "team", code, *IMPL, "--lead", lead, "--engineer", engineer)
    td(*policy, "assess", "open", code, *IMPL, *E1_FACTS)
    td("--as", lead, "score", code, *IMPL, "--scorer", "self", "quality=28")
    td("--as", "qianli", "score", code, *IMPL, "--scorer", "sales", "quality=26")
    td("--as", "zhangli", "score", code, *IMPL, "--scorer", "superior", "quality=27")
    return code


def _show(code):
    return (("assess", "show", code, *IMPL),)


def test_nobody_approves_their_own_team(td):
    td("--as", "zhangli", "staff", "role", "grant", "lijun", "director")
    code = _scored(td)
    got = refused(td, "--as", "lijun", "assess", "approve", code, *IMPL,
                  stderr="nobody approves an assessment of a team they are on",
                  reads=_show(code))  # fmt: skip
    assert "includes lijun" in got.stderr
    td("--as", "wangjg", "assess", "approve", code, *IMPL)
    td("--as", "zhangli", "staff", "role", "grant", "zhaolei", "gm")
    refused(td, "--as", "zhaolei", "assess", "approve", code, *IMPL,
            stderr="nobody approves", reads=_show(code))  # fmt: skip
    td("--as", "liuzm", "assess", "approve", code, *IMPL)


def test_director_and_gm_in_one_person_approves_one_step_only(td, monkeypatch):
    td("--as", "zhangli", "staff", "role", "grant", "wangjg", "gm")
    code = _scored(td)
    td("--as", "wangjg", "assess", "approve", code, *IMPL)  # the step that is next: director's
    monkeypatch.setenv("TECHDEPT_LANG", "zh")
    refused(td, "--as", "wangjg", "assess", "approve", code, *IMPL,
            stderr="同一考核的两步审批须由两个不同的人完成", reads=_show(code))  # fmt: skip
    td("--as", "liuzm", "assess", "approve", code, *IMPL)
    assert td("assess", "show", code, *IMPL, "--json").json()["status"] == "approved"


def test_a_company_may_relax_a_duty(td, tmp_path):
    from techdept.rules import load_policy

    text = load_policy(None).path.read_text("utf-8")
    relaxed = tmp_path / "relaxed.toml"
    relaxed.write_text(
        text.replace('id = "v2.0-2014"', 'id = "relaxed"').replace(
            "two_approvers = true", "two_approvers = false"
        ),
        "utf-8",
    )
    td("--as", "zhangli", "staff", "role", "grant", "wangjg", "gm")
    code = _scored(td, policy=("--policy", str(relaxed)))
    td("--as", "wangjg", "assess", "approve", code, *IMPL)
    td("--as", "wangjg", "assess", "approve", code, *IMPL)
    assert td("assess", "show", code, *IMPL, "--json").json()["status"] == "approved"


def test_a_team_member_enters_only_the_self_sheet(td):
    code = _scored(td)
    reads = _show(code)
    for actor, scorer in (("lijun", "sales"), ("zhaolei", "superior")):
        refused(td, "--as", actor, "score", code, *IMPL, "--scorer", scorer, "quality=30",
                stderr="a member of the assessed team enters only their own self sheet",
                reads=reads)  # fmt: skip
    td("--as", "lijun", "score", code, *IMPL, "--scorer", "self", "quality=29")
    td("score", code, *IMPL, "--scorer", "sales", "quality=25")  # a secretary, not on the team


def test_a_team_member_cannot_import_other_sheets(td, tmp_path):
    code = _scored(td)
    csv = tmp_path / "s.csv"
    csv.write_text(
        "project,track,quarter,scorer,item,points,reason\n"
        f"{code},implementation,,superior,quality,30,\n",
        "utf-8",
    )
    with nothing_changes(td, *_show(code)):
        # the one importer lists each problem by row on stdout; stderr says nothing was imported
        got = td("--as", "zhaolei", "score", "import", str(csv), expect=1,
                 stderr="nothing was imported")  # fmt: skip
    row = next(line for line in got.stdout.splitlines() if line.startswith("2 "))
    assert "a member of the assessed team enters only their own self sheet" in row


def test_the_payer_receives_no_line_in_the_run(td, monkeypatch):
    code = _scored(td)
    td("--as", "wangjg", "assess", "approve", code, *IMPL)
    td("--as", "liuzm", "assess", "approve", code, *IMPL)
    td("--as", "huangqin", "payment", code, "--kind", "final", "--amount", "100000",
       "--date", "2026-11-20")  # fmt: skip
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-12-28")
    reads = (("bonus", "--quarter", "2026Q4"),)
    got = refused(td, "--as", "wangjg", "bonus", "--quarter", "2026Q4", "--pay",
                  stderr="the person who pays receives no line in that run",
                  reads=reads)  # fmt: skip
    assert "wangjg has 1" in got.stderr  # the director's award
    paid = td("--as", "huangqin", "bonus", "--quarter", "2026Q4", "--pay", "--json").json()
    assert all(x["paid"] for x in paid["lines"])


def test_sheet_says_who_entered_it(td, tmp_path):
    code = _scored(td)
    doc = td("assess", "show", code, *IMPL, "--json").json()
    assert doc["entered_by"] == {
        "self": {"staff": "zhaolei", "name": "赵磊"},
        "sales": {"staff": "qianli", "name": "钱丽"},
        "superior": {"staff": "zhangli", "name": "张丽"},
    }
    out = tmp_path / "sheet.docx"
    td("--lang", "zh", "form", "assessment", code, *IMPL, "--out", str(out))
    document = docx.Document(str(out))
    words = [p.text for p in document.paragraphs]
    words += [line for t in document.tables for r in t.rows for c in r.cells
              for line in c.text.splitlines()]  # fmt: skip
    assert "录入：自评 赵磊；销售代表 钱丽；上级考核 张丽" in words
