"""Demo systems: add, test, back up, list with the last test and backup; a case demo or bid
demo names the tested demo system it used."""

import pytest

from tests.e2e._lifecycle import add_department

NAME = "数字法庭标准演示"


@pytest.fixture
def demo(td):
    add_department(td)
    td("--as", "hemin", "demo-system", "add", NAME, "--scenario", "科技法庭庭审全流程",
       "--vm-image", "vm://demo/court-2026.ova")  # fmt: skip
    return NAME


def ds(td, *args, actor="hemin", **kw):
    return td("--as", actor, "demo-system", *args, **kw)


def test_tested_backed_up_listed(td, demo, monkeypatch):
    listed = td("demo-system", "list", "--json").json()
    assert (listed[0]["last_test"], listed[0]["last_backup"]) == (None, None)
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-11-20")
    ds(td, "test", NAME, "--result", "fail", "--note", "音视频不同步")
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-11-26")
    ds(td, "test", NAME, "--result", "pass", actor="sunhui")  # after-sales helps build it
    ds(td, "backup", NAME, "--location", "NAS:/backup/demo/court-2026-11-26.ova")
    doc = td("demo-system", "list", "--json").json()[0]
    assert doc["last_test"]["result"] == "pass" and doc["last_test"]["by"] == "sunhui"
    assert doc["last_test"]["at"].startswith("2026-11-26")
    assert doc["last_backup"]["location"] == "NAS:/backup/demo/court-2026-11-26.ova"
    zh = td("--lang", "zh", "demo-system", "list").stdout
    assert "通过 · 2026-11-26" in zh and "NAS:/backup/demo" in zh
    csv = td("demo-system", "list", "--csv").stdout.splitlines()
    assert csv[0] == "\ufeffname,scenario,vm_image,last_test,last_backup,used"
    assert csv[1].endswith(",pass,NAS:/backup/demo/court-2026-11-26.ova,0")


def test_case_demo_names_the_demo_system(td, demo):
    code = "P2026-080"
    td("project", "new", "某院", "--customer", "某院", "--code", code, "--sales", "qianli",
       "--stage", "presales.tracking")  # fmt: skip
    deliver = ["--as", "hemin", "project", "deliver", code, "case-demo"]
    td(*deliver, expect=1, stderr="case-demo needs --demo-system")
    td(*deliver, "--demo-system", NAME, expect=1, stderr="was never tested")
    td(*deliver, "--demo-system", "没有的系统", expect=1, stderr="no demo system '没有的系统'")
    ds(td, "test", NAME, "--result", "pass")
    doc = td(*deliver, "--demo-system", NAME, "--json").json()
    assert (doc["doc"], doc["demo_system"]) == ("case-demo", NAME)
    assert td("demo-system", "list", "--json").json()[0]["used"] == 1
    td("--as", "hemin", "project", "deliver", code, "product-list", "--demo-system", NAME,
       expect=1, stderr="--demo-system is only for case-demo, bid-demo")  # fmt: skip
    ds(td, "test", NAME, "--result", "fail", "--note", "授权过期")
    td(*deliver, "--demo-system", NAME, expect=1, stderr="failed its latest test")
    log = [e for e in td("audit", "log", "--json").json() if e["action"] == "deliverable.file"]
    assert log[-1]["after"]["demo_system"] == NAME


@pytest.mark.parametrize(
    "args, actor, message",
    [
        (["add", NAME, "--scenario", "x", "--vm-image", "y"], "hemin", "already recorded"),
        (["test", NAME, "--result", "ok"], "hemin", "--result: 'ok' is not allowed"),
        (["test", NAME, "--result", "fail"], "hemin", "a failed test needs --note"),
        (["test", "别的", "--result", "pass"], "hemin", "no demo system '别的'"),
        (["backup", NAME, "--location", "x"], "qianli", "'qianli' does not have it"),
        (["add", "新系统", "--scenario", "x", "--vm-image", "y"], "xuyan", "does not have it"),
    ],
)
def test_refusals(td, demo, args, actor, message):
    ds(td, *args, actor=actor, expect=1, stderr=message)
    doc = td("demo-system", "list", "--json").json()
    assert [d["name"] for d in doc] == [NAME] and doc[0]["last_test"] is None
