"""Knowledge-base review: propose (plan and content) → the library owner reviews → filed;
``kb add`` stays the owners'; nobody reviews their own proposal."""

import pytest

from tests.e2e._lifecycle import add_department


@pytest.fixture
def faq(td, tmp_path):
    add_department(td)
    path = tmp_path / "庭审主机常见问题.md"
    path.write_text("# 庭审主机 FAQ\n重启顺序……\n", "utf-8")
    return path


def propose(td, path, actor="lijun", library="technical", **kw):
    return td(
        "--as", actor, "kb", "propose", str(path), "--library", library,
        "--title", "庭审主机常见问题", "--plan", "补充本季度新出现的三个故障",
        "--tags", "FAQ,庭审主机", **kw,
    )  # fmt: skip


def test_proposed_reviewed_filed(td, faq):
    doc = propose(td, faq)
    assert "KP-1" in doc.stdout
    assert td("kb", "list", "--json").json() == []  # not filed before review
    pending = td("kb", "proposals", "--pending", "--json").json()
    assert [(p["id"], p["status"], p["proposed_by"]) for p in pending] == [
        ("KP-1", "pending", "lijun")
    ]
    done = td("--as", "sunhui", "kb", "review", "KP-1", "--approve", "--json").json()
    assert (done["status"], done["document"], done["reviewed_by"]) == ("approved", "KB-1", "sunhui")
    filed = td("kb", "show", "KB-1", "--json").json()
    assert (filed["title"], filed["library"], filed["tags"]) == (
        "庭审主机常见问题",
        "technical",
        ["FAQ", "庭审主机"],
    )
    assert filed["sha256"] == done["sha256"]
    assert td("kb", "proposals", "--pending", "--json").json() == []
    zh = td("--lang", "zh", "kb", "proposals").stdout
    assert "已通过并归档" in zh and "补充本季度新出现的三个故障" in zh
    actions = [e["action"] for e in td("audit", "log", "--json").json()]
    assert actions[-2:] == ["kb.propose", "kb.review"]
    td("--as", "zhaolei", "kb", "review", "KP-1", "--reject", "--note", "晚了",
       expect=1, stderr="KP-1 has been reviewed already")  # fmt: skip


def test_filing_without_review_is_refused(td, faq):
    td(
        "--as", "lijun", "kb", "add", str(faq), "--library", "technical", "--title", "x",
        expect=1, stderr="file into it directly; 'lijun' submits with techdept kb propose",
    )  # fmt: skip
    td("--as", "zhaolei", "kb", "add", str(faq), "--library", "bids", "--title", "x",
       expect=1, stderr="only the pre-sales manager")  # fmt: skip
    assert td("kb", "list", "--json").json() == []
    td("--as", "sunhui", "kb", "add", str(faq), "--library", "technical", "--title", "x")


def test_rejected_with_a_reason_and_never_filed(td, faq):
    propose(td, faq)
    td("--as", "chenxq", "kb", "review", "KP-1", "--reject",
       expect=1, stderr="--reject needs --note")  # fmt: skip
    td("--as", "chenxq", "kb", "review", "KP-1", expect=2, stderr="--approve or --reject")
    td("--as", "chenxq", "kb", "review", "KP-1", "--reject", "--note", "缺少故障现象截图")
    assert td("kb", "list", "--json").json() == []
    shown = td("kb", "proposals", "--json").json()[0]
    assert (shown["status"], shown["note"]) == ("rejected", "缺少故障现象截图")
    propose(td, faq)  # proposed again after the rejection
    assert [p["id"] for p in td("kb", "proposals", "--pending", "--json").json()] == ["KP-2"]


@pytest.mark.parametrize(
    "reviewer, message",
    [
        ("lijun", "'lijun' submits with techdept kb propose"),  # not an owner
        ("qianli", "owners of the technical library"),
    ],
)
def test_only_an_owner_reviews(td, faq, reviewer, message):
    propose(td, faq)
    td("--as", reviewer, "kb", "review", "KP-1", "--approve", expect=1, stderr=message)
    assert td("kb", "list", "--json").json() == []


def test_nobody_reviews_their_own_proposal(td, faq):
    propose(td, faq, actor="chenxq")
    td("--as", "chenxq", "kb", "review", "KP-1", "--approve",
       expect=1, stderr="KP-1 is your own proposal")  # fmt: skip
    td("--as", "zhaolei", "kb", "review", "KP-1", "--approve")
    assert [d["id"] for d in td("kb", "list", "--json").json()] == ["KB-1"]


def test_proposal_refusals(td, faq):
    propose(td, faq)
    propose(td, faq, expect=1, stderr="already proposed: KP-1")
    td("kb", "propose", str(faq), "--library", "technical", "--title", "x", "--plan", "p",
       expect=1, stderr="say who proposes with --as")  # fmt: skip
    td("--as", "lijun", "kb", "review", "KP-9", "--approve", expect=1, stderr="no knowledge-base")
