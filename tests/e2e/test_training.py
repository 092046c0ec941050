"""Trainings: plan, sign-in, feedback; the implementation's training-records deliverable is
satisfied by a training with sign-in and feedback, not by a file alone."""

import pytest

from tests.e2e._lifecycle import add_department

P = "P2026-070"


@pytest.fixture
def project(td):
    add_department(td)
    td(
        "project", "new", "临江县人民法院科技法庭", "--customer", "临江县人民法院", "--code", P,
        "--contract", "1200000", "--sales", "qianli", "--stage", "implementation.acceptance",
    )  # fmt: skip
    return P


def training(td, *args, actor="zhaolei", **kw):
    return td("--as", actor, "training", *args, **kw)


def records(td):
    doc = td("project", "checklist", P, "--json").json()
    return next(i for i in doc["stages"][0]["deliverables"] if i["doc"] == "training-records")


def test_plan_sign_feedback_satisfies_training_records(td, project, tmp_path):
    assert records(td)["status"] == "missing"
    sheet = tmp_path / "培训签到表.pdf"
    sheet.write_bytes(b"%PDF sign-in")
    td("--as", "lijun", "project", "deliver", P, "training-records", "--file", str(sheet),
       expect=1, stderr="need a training with sign-in and feedback")  # fmt: skip

    doc = training(
        td, "plan", P, "--date", "2026-11-20", "--topic", "科技法庭系统操作", "--trainer", "lijun",
        "--place", "临江县法院三楼", "--json",
    ).json()  # fmt: skip
    assert (doc["id"], doc["complete"]) == ("T-1", False)
    training(td, "sign", "T-1", "--name", "张书记员", "--name", "王法官")
    assert records(td)["status"] == "missing"  # signed in, no feedback yet
    training(td, "feedback", "T-1", "--rating", "5", "--note", "讲解清楚")
    out = training(td, "feedback", "T-1", "--rating", "4").stdout
    assert "training records of P2026-070 are complete" in out
    assert records(td)["status"] == "filed"

    listed = td("training", "list", P, "--json").json()
    assert listed == [
        {
            "id": "T-1",
            "project": P,
            "date": "2026-11-20",
            "topic": "科技法庭系统操作",
            "trainer": "lijun",
            "place": "临江县法院三楼",
            "attendees": ["张书记员", "王法官"],
            "feedback": 2,
            "mean_rating": "4.5",
            "notes": ["讲解清楚"],
            "complete": True,
        }
    ]
    zh = td("--lang", "zh", "training", "list").stdout
    assert "科技法庭系统操作" in zh and "4.5 (2)" in zh and "李军 (lijun)" in zh
    # the scanned sheets may be filed now, beside the training
    td("--as", "lijun", "project", "deliver", P, "training-records", "--file", str(sheet))


@pytest.mark.parametrize(
    "args, message",
    [
        (["sign", "T-1", "--name", "张书记员"], "has not been held"),
        (["feedback", "T-1", "--rating", "5"], "has not been held"),
    ],
)
def test_not_before_the_day(td, project, args, message):
    training(td, "plan", P, "--date", "2026-12-03", "--topic", "运维培训", "--trainer", "lijun")
    training(td, *args, expect=1, stderr=message)


def test_refusals(td, project):
    training(td, "plan", P, "--date", "2026-11-20", "--topic", "操作培训", "--trainer", "lijun")
    training(td, "feedback", "T-1", "--rating", "4", expect=1, stderr="nobody has signed in")
    training(td, "sign", "T-1", "--name", "张书记员")
    training(td, "sign", "T-1", "--name", "张书记员", expect=1, stderr="already signed in")
    for bad in ("0", "6", "4.5", "好"):
        training(td, "feedback", "T-1", "--rating", bad, expect=1, stderr="from 1 to 5")
    training(td, "sign", "T-9", "--name", "x", expect=1, stderr="no training T-9")
    td("training", "sign", "T-1", "--name", "x", expect=1, stderr="say who records this")
    training(td, "plan", P, "--date", "2026-11-20", "--topic", "x", "--trainer", "nobody",
             expect=1, stderr="nobody")  # fmt: skip
    td("project", "new", "售前", "--customer", "某院", "--code", "P2026-071")
    training(td, "plan", "P2026-071", "--date", "2026-11-20", "--topic", "x", "--trainer",
             "lijun", expect=1, stderr="trainings are planned from implementation on")  # fmt: skip
    assert records(td)["status"] == "missing"
