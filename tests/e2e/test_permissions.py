"""Who may change what (issue 12, build 2): every attack of the issue's "Why" is refused with
a message naming the rule and the actor, nothing changes, and no audit row is written."""

import pytest

from tests.e2e._meeting import E1_FACTS, IMPL, approve, new_project
from tests.e2e._refusals import refused

PROJECT = "P2026-003"  # the demo's project in implementation: contract ¥1,200,000, sales qianli
PAYMENTS = (("payment", "list", PROJECT),)


@pytest.fixture(autouse=True)
def demo(td):
    td("init", "--demo")


def test_roles_table_in_both_languages(td, monkeypatch):
    doc = td("roles", "--json").json()
    by_rule = {r["rule"]: r for r in doc}
    assert by_rule["payment.record"]["roles"] == ["finance"]
    assert by_rule["bonus.award"]["roles"] == ["gm"]
    assert by_rule["db.restore"]["roles"] == ["admin"]
    assert by_rule["project.terms"]["roles"] == ["sales", "director"]
    assert "finance representative" in td("roles").stdout
    monkeypatch.setenv("TECHDEPT_LANG", "zh")
    out = td("roles").stdout
    assert "财务代表" in out and "在 SQLite 上" in out


@pytest.mark.parametrize("actor", ["lijun", "wangjg", "liuzm", None])
def test_only_finance_records_a_payment(td, actor):
    who = ["--as", actor] if actor else []
    refused(td, *who, "payment", PROJECT, "--kind", "progress", "--amount", "1000",
            "--date", "2026-11-01", stderr="only finance may record a payment",
            reads=PAYMENTS)  # fmt: skip
    td("--as", "huangqin", "payment", PROJECT, "--kind", "progress", "--amount", "1000",
       "--date", "2026-11-01")  # fmt: skip


def test_engineer_cannot_void_the_final_payment(td, monkeypatch):
    paid = td("--as", "huangqin", "payment", PROJECT, "--kind", "final", "--amount", "1000",
              "--date", "2026-11-01", "--json").json()  # fmt: skip
    monkeypatch.setenv("TECHDEPT_LANG", "zh")
    got = refused(td, "--as", "lijun", "payment", "void", str(paid["id"]), "--reason", "x",
                  stderr="只有财务可以作废付款", reads=PAYMENTS)  # fmt: skip
    assert "（你是 技术工程师 李军）" in got.stderr


def test_contract_terms_by_the_sales_rep_or_director(td):
    reads = (("project", "show", PROJECT),)
    for actor in ("lijun", "fengtao", "liuzm"):  # an engineer, another project's sales, the GM
        refused(td, "--as", actor, "project", "set", PROJECT, "--contract", "2,000,000",
                stderr="only the project's sales representative (钱丽)", reads=reads)  # fmt: skip
    refused(td, "project", "set", PROJECT, "--risk", "low", stderr="sales representative",
            reads=reads)  # fmt: skip
    td("--as", "qianli", "project", "set", PROJECT, "--risk", "low")
    td("--as", "wangjg", "project", "set", PROJECT, "--difficulty", "high")
    td("--as", "lijun", "project", "set", PROJECT, "--name", "改名")  # other fields: anyone
    # once a payment refers to the terms: only with --amend --reason
    td("--as", "huangqin", "payment", PROJECT, "--kind", "progress", "--amount", "1000",
       "--date", "2026-11-01")  # fmt: skip
    refused(td, "--as", "qianli", "project", "set", PROJECT, "--contract", "2,000,000",
            stderr="has payments (1) made under these contract terms", reads=reads)  # fmt: skip
    td("--as", "qianli", "project", "set", PROJECT, "--contract", "2,000,000", "--amend",
       expect=1, stderr="--amend needs --reason")  # fmt: skip
    td("--as", "qianli", "project", "set", PROJECT, "--contract", "2,000,000", "--amend",
       "--reason", "补充协议")  # fmt: skip
    assert td("project", "show", PROJECT, "--json").json()["contract"] == "2000000.00"
    last = td("audit", "log", "--json").json()[-1]
    assert (last["actor"], last["after"]["amend_reason"]) == ("qianli", "补充协议")
    # the sales rep may not hand the project's terms to someone else either
    refused(td, "--as", "lijun", "project", "set", PROJECT, "--sales", "fengtao",
            stderr="sales representative", reads=reads)  # fmt: skip


def test_teams_by_the_track_manager_or_director(td):
    code = new_project(td, "团队项目")
    team = ("team", code, *IMPL, "--lead", "zhaolei", "--engineer", "lijun")
    for actor in ("lijun", "chenxq", "liuzm"):
        refused(td, "--as", actor, *team, stderr="only the implementation manager or the "
                "technical director may set an implementation team")  # fmt: skip
    td("--as", "zhaolei", *team)
    td("--as", "wangjg", *team)
    refused(td, "--as", "zhaolei", "team", code, "--track", "presales", "--lead", "hemin",
            stderr="only the pre-sales manager")  # fmt: skip
    td("--as", "chenxq", "team", code, "--track", "presales", "--lead", "hemin")


def _approved(td, monkeypatch):
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-11-27")
    code = new_project(td, "奖励项目")
    td("--as", "zhaolei", "team", code, *IMPL, "--lead", "zhaolei", "--engineer", "lijun")
    td("assess", "open", code, *IMPL, *E1_FACTS)
    for scorer in ("self", "sales", "superior"):
        td("score", code, *IMPL, "--scorer", scorer, "quality=27")
    approve(td, code)
    return code


def test_awards_by_the_gm_never_to_himself_at_most_award_max(td, monkeypatch):
    code = _approved(td, monkeypatch)
    award = ("bonus", "award", code, "--reason", "客户表扬信")
    reads = (("bonus", "--quarter", "2026Q4"),)
    refused(td, "--as", "wangjg", *award, "--staff", "lijun", "--amount", "500",
            stderr="only the general manager may give an extra award", reads=reads)  # fmt: skip
    refused(td, "--as", "liuzm", *award, "--staff", "liuzm", "--amount", "500",
            stderr="never gives an extra award to themself", reads=reads)  # fmt: skip
    refused(td, "--as", "liuzm", *award, "--staff", "lijun", "--amount", "20,000.01",
            stderr="at most ¥20,000.00 (duties.award_max of policy v2.0-2014)",
            reads=reads)  # fmt: skip
    td("--as", "liuzm", *award, "--staff", "lijun", "--amount", "20,000")


def test_award_max_is_a_policy_key(td, tmp_path, monkeypatch):
    from techdept.rules import load_policy

    shipped = load_policy(None)
    assert shipped.award_max_fen == 2_000_000
    text = shipped.path.read_text("utf-8").replace("award_max = 20000", "award_max = 100")
    relaxed = tmp_path / "p.toml"
    relaxed.write_text(text.replace('id = "v2.0-2014"', 'id = "ours"'), "utf-8")
    assert load_policy(str(relaxed)).award_max_fen == 10_000
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("award_max = 100", "award_max = -1"), "utf-8")
    got = td("policy", "lint", str(bad), expect=1)
    assert "duties.award_max" in got.stdout + got.stderr


@pytest.mark.sqlite_only  # a PostgreSQL ledger is backed up and restored with pg_dump/pg_restore
def test_restore_by_an_administrator(td, tmp_path):
    backup = tmp_path / "b.db"
    td("db", "backup", str(backup))
    refused(td, "--as", "lijun", "db", "restore", str(backup),
            stderr="only an administrator may restore a backup")  # fmt: skip
    refused(td, "db", "restore", str(backup), stderr="only an administrator")
    td("--as", "zhangli", "db", "restore", str(backup))


def test_readme_has_the_same_table(td):
    """The README's table lists every rule of ``techdept roles`` with the same roles."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    rows = {line.split(" | ")[0].strip("| `").replace("\\|", "|"): line
            for line in readme.splitlines() if line.startswith("| `")}  # fmt: skip
    for rule in td("roles", "--json").json():
        assert rule["command"] in rows, rule["command"]
        assert all(f"(`{r}`)" in rows[rule["command"]] for r in rule["roles"]), rule
