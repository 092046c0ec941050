"""The lifecycle rules as pure functions: stage order, gates, review chains, days late."""

import datetime as dt

import pytest

from techdept.errors import Invalid, Refused
from techdept.rules import internal_acceptance_points
from techdept.rules import lifecycle as lc
from techdept.rules.domain import domain

D = domain()


def test_the_catalogue_follows_domain_md():
    keys = [d.key for d in D.deliverables]
    assert len(keys) == len(set(keys))
    assert {d.stage for d in D.deliverables} <= set(D.sequence)
    tracking = {d.key: d for d in D.deliverables_of("presales.tracking")}
    assert tracking["technical-solution"].review == ("director", "sales", "gm")
    assert tracking["final-solution"].review == ("director", "gm")
    assert tracking["tender-checklist"].review == ("director", "sales", "gm")
    assert tracking["final-solution"].role == "commerce"
    assert D.deliverable("bid-plan").review == ("director",)
    assert D.deliverable("technical-bid").needs == ("bid-plan", "bid-review-form")
    assert not D.deliverable("change-order").required
    assert D.deliverable("handover-documents").review == ("aftersales-manager",)
    for item in D.deliverables:
        assert item.role in D.roles
        assert set(item.review) <= set(D.roles)
    assert [a.key for a in D.acceptance] == [
        "initial-application",
        "initial",
        "trial-run",
        "trial-run-report",
        "final-application",
        "final",
        "handover",
        "internal",
    ]
    assert [a.key for a in D.acceptance if a.required] == [
        "initial",
        "trial-run",
        "final",
        "handover",
    ]


KINDS = tuple((a.key, a.required) for a in D.acceptance)


@pytest.mark.parametrize(
    "recorded, kind, needed",
    [
        ({}, "initial-application", None),
        ({}, "initial", None),
        ({}, "final", "initial"),
        ({"initial": None}, "final", "trial-run"),
        ({"initial": False, "trial-run": None}, "final", "initial"),
        ({"initial": True, "trial-run": None}, "trial-run-report", None),
        ({"initial": True, "trial-run": None, "final": None}, "handover", None),
    ],
)
def test_acceptance_prerequisite(recorded, kind, needed):
    assert lc.acceptance_prerequisite(KINDS, recorded, kind) == needed


@pytest.mark.parametrize(
    "recorded, kind, repeat",
    [
        ({"final": None}, "final", True),
        ({"final": False}, "final", False),
        ({"final-application": None}, "final-application", False),
        ({}, "final", False),
    ],
)
def test_acceptance_repeat(recorded, kind, repeat):
    assert lc.acceptance_repeat(KINDS, recorded, kind) is repeat


def test_order_and_next_stage():
    assert lc.next_stage(D, "presales.contact") == "presales.consultation"
    assert lc.next_stage(D, "presales.handover") == "implementation.preparation"
    assert lc.next_stage(D, "implementation.acceptance") == "aftersales.handover"
    assert lc.next_stage(D, "aftersales.closed") is None
    assert lc.next_stage(D, "presales.lost") is None


@pytest.mark.parametrize(
    "current, text, key",
    [
        ("presales.contact", "presales.won", "presales.won"),
        ("presales.contact", "won", "presales.won"),
        ("presales.contact", "lost", "presales.lost"),
        ("presales.contact", "handover", "presales.handover"),
        ("implementation.acceptance", "handover", "aftersales.handover"),
        ("implementation.acceptance", "operation", "aftersales.operation"),
    ],
)
def test_resolve_stage(current, text, key):
    assert lc.resolve_stage(D, current, text) == key


def test_resolve_stage_refuses_unknown_and_ambiguous():
    with pytest.raises(Invalid):
        lc.resolve_stage(D, "presales.contact", "nowhere")
    with pytest.raises(Invalid):
        lc.resolve_stage(D, "implementation.preparation", "closing-time")
    with pytest.raises(Invalid):  # both pre-sales and after-sales have a hand-over ahead
        lc.resolve_stage(D, "presales.contact", "aftersales")


@pytest.mark.parametrize(
    "current, target, error",
    [
        ("presales.tracking", "presales.contact", "StageNotForward"),
        ("presales.tracking", "presales.tracking", "StageNotForward"),
        ("presales.won", "presales.lost", "LostTooLate"),
        ("implementation.preparation", "presales.lost", "LostTooLate"),
        ("presales.lost", "presales.won", "StageFinal"),
        ("aftersales.closed", "aftersales.closed", "StageFinal"),
    ],
)
def test_passage_refusals(current, target, error):
    with pytest.raises(Refused) as info:
        lc.passage(D, current, target)
    assert info.value.key == f"error.{error}"


def test_missing_lists_every_required_document_and_skips_optional_ones():
    missing = lc.missing_for_advance(
        D,
        "implementation.construction",
        "implementation.acceptance",
        {},
        lc.ProjectFacts(contract=True),
    )
    keys = [m.key for m in missing]
    assert keys == [
        "start-application-signed",
        "construction-log",
        "weekly-report",
        "goods-received",
        "installation-report",
    ]
    assert "change-order" not in keys


def test_review_chain_status():
    item = D.deliverable("technical-solution")
    assert lc.doc_status(item, None).status == "missing"
    assert lc.doc_status(item, lc.DocState(1)).waiting_for == "director"
    assert lc.doc_status(item, lc.DocState(1, (True,))).waiting_for == "sales"
    assert lc.doc_status(item, lc.DocState(1, (True, True))).waiting_for == "gm"
    assert lc.doc_status(item, lc.DocState(1, (True, True, True))).status == "approved"
    assert lc.doc_status(item, lc.DocState(1, (True, False))).status == "rejected"
    assert lc.doc_status(D.deliverable("case-demo"), lc.DocState(2)).status == "filed"


def test_missing_names_the_pending_reviewer():
    docs = {
        "technical-solution": lc.DocState(1, (True,)),
        "product-list": lc.DocState(1, (True, True, True)),
        "case-demo": lc.DocState(1),
        "final-solution": lc.DocState(1, (True, False)),
        "tender-checklist": lc.DocState(1, (True, True, True)),
    }
    missing = lc.missing_for_advance(
        D, "presales.tracking", "presales.tendering", docs, lc.ProjectFacts()
    )
    assert [(m.kind, m.key, m.role) for m in missing] == [
        ("review", "technical-solution", "sales"),
        ("rejected", "final-solution", None),
    ]


def test_won_needs_contract_and_signed_date_lost_needs_a_reason():
    docs = {k: lc.DocState(1, (True,)) for k in ("bid-plan", "bid-review-form")}
    docs |= {k: lc.DocState(1) for k in ("technical-bid", "bid-demo")}
    missing = lc.missing_for_advance(D, "presales.bidding", "presales.won", docs, lc.ProjectFacts())
    assert [m.kind for m in missing] == ["contract", "signed"]
    facts = lc.ProjectFacts(contract=True, signed=True)
    assert lc.missing_for_advance(D, "presales.bidding", "presales.won", docs, facts) == []
    lost = lc.missing_for_advance(D, "presales.contact", "presales.lost", {}, lc.ProjectFacts())
    assert [m.kind for m in lost] == ["reason"]
    assert (
        lc.missing_for_advance(
            D, "presales.contact", "presales.lost", {}, lc.ProjectFacts(), reason="price"
        )
        == []
    )


def test_leaving_acceptance_needs_the_customer_sequence():
    docs = {d.key: lc.DocState(1) for d in D.deliverables_of("implementation.acceptance")}
    facts = lc.ProjectFacts(contract=True, acceptance=frozenset({"initial", "trial-run"}))
    missing = lc.missing_for_advance(
        D, "implementation.acceptance", "aftersales.handover", docs, facts
    )
    assert [(m.kind, m.key) for m in missing] == [
        ("acceptance", "final"),
        ("acceptance", "handover"),
    ]


@pytest.mark.parametrize(
    "final, submitted, late",
    [
        (dt.date(2026, 9, 1), dt.date(2026, 9, 8), 0),
        (dt.date(2026, 9, 1), dt.date(2026, 9, 1), 0),
        (dt.date(2026, 9, 1), dt.date(2026, 9, 9), 1),
        (dt.date(2026, 9, 1), dt.date(2026, 9, 10), 2),
        (dt.date(2026, 12, 28), dt.date(2027, 1, 14), 10),
    ],
)
def test_days_late(final, submitted, late):
    assert lc.days_late(final, submitted, 7) == late


def test_e1_internal_acceptance_from_dates(policy):
    """E1: passed with 0 deducted, submitted 2 days late → 8."""
    final = dt.date(2026, 9, 1)
    late = lc.days_late(final, final + dt.timedelta(days=9), policy.internal_acceptance.due_days)
    assert late == 2
    assert str(internal_acceptance_points(0, late, policy).value) == "8"


def test_acceptance_order():
    seq = ("initial", "trial-run", "final", "handover", "internal")
    got = {"initial": dt.date(2026, 8, 1), "final": dt.date(2026, 9, 1)}
    assert lc.acceptance_order_problem(seq, got, "trial-run", dt.date(2026, 8, 15)) is None
    assert lc.acceptance_order_problem(seq, got, "trial-run", dt.date(2026, 9, 15)) == "final"
    assert lc.acceptance_order_problem(seq, got, "handover", dt.date(2026, 8, 31)) == "final"


@pytest.mark.parametrize(
    "text, label, monday",
    [
        ("2026-W48", "2026-W48", dt.date(2026, 11, 23)),
        ("2026W01", "2026-W01", dt.date(2025, 12, 29)),
    ],
)
def test_weeks(text, label, monday):
    assert lc.parse_week(text) == (label, monday, monday + dt.timedelta(days=6))
    assert lc.week_of(monday) == label


@pytest.mark.parametrize("text", ["2026-48", "2026-W54", "W48", "2026-W00"])
def test_bad_weeks(text):
    with pytest.raises(Invalid):
        lc.parse_week(text)
