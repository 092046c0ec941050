"""Staff administration (issue 12, build 1): an administrator, codes unique whatever their
case, same names told apart, people who leave."""

import pytest

from tests.e2e._refusals import refused

ATTACK = ["staff", "add", "坏人", "--code", "evil", "--role", "director", "--role", "gm",
          "--role", "finance"]  # fmt: skip


def test_init_without_admin_says_how_to_name_one(td):
    out = td("init").stdout
    assert "no administrator yet" in out and "init --admin CODE --name NAME" in out
    check = td("db", "check")
    assert "there is no administrator" in check.stdout
    assert td("db", "check", "--json").json()["notes"] != []
    td("staff", "add", "某人", "--code", "x", "--role", "engineer")  # still open


def test_init_without_admin_in_chinese(td, monkeypatch):
    monkeypatch.setenv("TECHDEPT_LANG", "zh")
    assert "还没有系统管理员" in td("init").stdout


def test_init_admin_then_staff_needs_the_admin(td):
    out = td("init", "--admin", "zhangli", "--name", "张丽").stdout
    assert "administrator: 张丽 (zhangli)" in out
    assert td("db", "check", "--json").json()["notes"] == []
    assert td("staff", "show", "zhangli", "--json").json()["roles"] == ["admin"]
    refused(td, *ATTACK, stderr="only an administrator may administer staff")
    td("--as", "zhangli", "staff", "add", "王建国", "--code", "wangjg", "--role", "director")
    got = refused(td, "--as", "wangjg", *ATTACK, stderr="only an administrator")
    assert "you are technical director 王建国" in got.stderr
    td("--as", "zhangli", *ATTACK)
    # a second init --admin naming someone else is refused; naming the admin again is fine
    refused(td, "init", "--admin", "evil", "--name", "坏人", stderr="there is an administrator")
    assert (
        "is an administrator already" in td("init", "--admin", "zhangli", "--name", "张丽").stdout
    )


def test_attack_refused_in_chinese(td, monkeypatch):
    td("init", "--demo")
    monkeypatch.setenv("TECHDEPT_LANG", "zh")
    got = refused(td, "--as", "lijun", *ATTACK, stderr="只有系统管理员可以管理人员")
    assert "（你是 技术工程师 李军）" in got.stderr


def test_demo_ledger_has_an_admin_and_says_who(td):
    assert "administrators: 张丽（zhangli）" in td("init", "--demo").stdout
    refused(td, *ATTACK, stderr="only an administrator")


def test_init_admin_gives_the_role_to_someone_already_here(td):
    td("staff", "add", "张丽", "--code", "zhangli", "--role", "engineer")
    td("init", "--admin", "ZHANGLI", "--name", "张丽")
    assert td("staff", "show", "zhangli", "--json").json()["roles"] == ["engineer", "admin"]
    td("init", "--admin", "x", expect=2, stderr="--admin and --name go together")


@pytest.fixture
def admin(td):
    td("init", "--admin", "zhangli", "--name", "张丽")
    td("--as", "zhangli", "staff", "add", "王建国", "--code", "wangjg", "--role", "director")
    return ["--as", "zhangli"]


def test_codes_unique_without_regard_to_case(td, admin):
    refused(td, *admin, "staff", "add", "另一人", "--code", "WANGJG", "--role", "director",
            stderr="codes ignore case; existing: wangjg")  # fmt: skip
    # --as and every staff argument find the person whatever the case
    assert td("staff", "show", "WangJG", "--json").json()["code"] == "wangjg"
    td("--as", "WANGJG", "staff", "away", "--help")


def test_same_name_refused_unless_said(td, admin):
    refused(td, *admin, "staff", "add", "王建国", "--code", "wangjg2", "--role", "director",
            stderr="someone still here is called '王建国' (code wangjg)")  # fmt: skip
    td(*admin, "staff", "add", "王建国", "--code", "wangjg2", "--role", "engineer",
       "--same-name-ok")  # fmt: skip
    # from now on messages show the code beside the name
    got = refused(td, "--as", "wangjg2", "staff", "add", "某", "--code", "y", "--role", "gm",
                  stderr="you are technical engineer 王建国（wangjg2）")  # fmt: skip
    assert got.exit_code == 1
    td(*admin, "staff", "rename", "wangjg2", "王建民")
    refused(td, *admin, "staff", "rename", "wangjg", "王建民", stderr="someone still here")


def test_grant_revoke_rename(td, admin):
    td(*admin, "staff", "role", "grant", "wangjg", "gm")
    assert td("staff", "show", "wangjg", "--json").json()["roles"] == ["director", "gm"]
    td(*admin, "staff", "role", "revoke", "wangjg", "gm")
    refused(td, "--as", "wangjg", "staff", "role", "grant", "wangjg", "gm",
            stderr="only an administrator")  # fmt: skip
    refused(td, *admin, "staff", "role", "revoke", "zhangli", "admin",
            stderr="the only administrator")  # fmt: skip
    td(*admin, "staff", "rename", "wangjg", "王建军")
    assert td("staff", "show", "wangjg", "--json").json()["name"] == "王建军"
    log = td("audit", "log", "--json").json()
    assert [e["action"] for e in log][-3:] == [
        "staff.role.grant",
        "staff.role.revoke",
        "staff.rename",
    ]
    assert log[-1]["actor"] == "zhangli" and log[-1]["before"] == {"name": "王建国"}


def test_leave(td, admin, monkeypatch):
    td(*admin, "staff", "add", "李军", "--code", "lijun", "--role", "engineer")
    td(*admin, "staff", "add", "赵磊", "--code", "zhaolei", "--role", "impl-manager")
    td("project", "new", "甲", "--customer", "乙", "--contract", "100", "--stage",
       "implementation.preparation")  # fmt: skip
    td(*admin, "staff", "leave", "lijun", "--date", "2026-12-01")
    shown = td("staff", "show", "lijun", "--json").json()
    assert shown["left_on"] == "2026-12-01"
    assert "(left 2026-12-01)" in td("staff", "list").stdout
    # refused for new teams
    refused(td, "--as", "zhaolei", "team", "P2026-001", "--track", "implementation",
            "--lead", "zhaolei", "--engineer", "lijun", stderr="lijun left on 2026-12-01",
            reads=(("staff", "list"), ("project", "list")))  # fmt: skip
    # acts until the day before, no more from that day
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-12-01")
    refused(td, "--as", "lijun", "project", "set", "P2026-001", "--name", "丙",
            stderr="left on 2026-12-01", reads=(("project", "list"),))  # fmt: skip
    refused(td, *admin, "staff", "leave", "lijun", "--date", "2026-12-02", stderr="left on")
    refused(td, *admin, "staff", "leave", "zhangli", "--date", "2026-12-02",
            stderr="the only administrator")  # fmt: skip


def test_twins_show_their_codes_on_the_sheet(td, tmp_path):
    td("init", "--demo")
    td("--as", "zhangli", "staff", "add", "李军", "--code", "lijun2", "--role", "engineer",
       "--same-name-ok")  # fmt: skip
    code = td("project", "new", "甲", "--customer", "乙", "--contract", "100000", "--stage",
              "aftersales.handover", "--complexity", "technical", "--risk", "medium",
              "--json").json()["code"]  # fmt: skip
    track = ("--track", "implementation")
    td("--as", "zhaolei", "team", code, *track, "--lead", "zhaolei", "--engineer", "lijun2")
    td("assess", "open", code, *track, "--planned-days", "60", "--actual-days", "60",
       "--budget", "100", "--actual-cost", "100", "--ia-deducted", "0",
       "--ia-late-days", "0")  # fmt: skip
    td("--as", "lijun2", "score", code, *track, "--scorer", "self", "quality=27")
    doc = td("assess", "show", code, *track, "--json").json()
    assert doc["entered_by"]["self"] == {"staff": "lijun2", "name": "李军（lijun2）"}
