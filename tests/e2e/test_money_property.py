"""The money property of issue 11: for any sequence of approvals, reopens, regrades, team
changes, payouts and reversals, once everything payable is paid each person has been paid,
per assessment, exactly their current entitlement (a share whose payment was reversed waits
for a reopened and re-approved assessment), and ``db check`` passes."""

import datetime as dt
from collections import defaultdict

import pytest
from _meeting import IMPL, add_department, implementation
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

ENGINEERS = ("lijun", "zhoupeng", "wuhao")
OPS = st.one_of(
    st.tuples(
        st.just("team"),
        st.lists(st.sampled_from(ENGINEERS), unique=True, max_size=3),
        st.lists(st.integers(1, 3), min_size=3, max_size=3),
        st.sampled_from(["30", "40", "55.5", "60"]),
    ),
    st.tuples(
        st.just("score"), st.lists(st.sampled_from([5, 15, 22, 27, 30]), min_size=3, max_size=3)
    ),
    st.just(("approve",)),
    st.just(("reopen",)),
    st.just(("pay",)),
    st.just(("approve",)),
    st.just(("pay",)),
    st.tuples(st.just("reverse"), st.integers(0, 20)),
    st.just(("final",)),
)


def _sql(query: str, **params):
    from techdept.ledger import location
    from techdept.ledger.engine import Ledger

    url, path = location.resolve(None)
    ledger = Ledger.open(url, path)
    try:
        with ledger.connect() as conn:
            return conn.execute(text(query), params).all()
    finally:
        ledger.dispose()


class World:
    """One project's implementation assessment driven through the CLI."""

    def __init__(self, td, monkeypatch):
        self.td, self.mp = td, monkeypatch
        self.day = dt.date(2026, 11, 27)
        self.mp.setenv("TECHDEPT_TODAY", self.day.isoformat())
        self.code = implementation(td)
        td("--as", "wangjg", "project", "set", self.code, "--signed", "2026-03-02")
        self.approved = False
        self.final = False
        self.aid = None

    def run(self, *args, expect=0):
        return self.td(*args, expect=expect)

    def reopen(self):
        if self.approved:
            self.run("--as", "wangjg", "assess", "reopen", self.code, *IMPL, "--reason", "复核")
            self.approved = False

    def approve(self):
        if not self.approved:
            self.run("--as", "wangjg", "assess", "approve", self.code, *IMPL)
            self.run("--as", "liuzm", "assess", "approve", self.code, *IMPL)
            self.approved = True

    def pay(self):
        """Move into the payout window of today's quarter, pay it, then step past it."""
        end_month = (self.day.month - 1) // 3 * 3 + 3
        after = dt.date(self.day.year + (end_month == 12), end_month % 12 + 1, 1)
        self.day = max(self.day, after - dt.timedelta(days=3))
        self.mp.setenv("TECHDEPT_TODAY", self.day.isoformat())
        quarter = f"{self.day.year}Q{(self.day.month - 1) // 3 + 1}"
        self.run("--as", "huangqin", "bonus", "--quarter", quarter, "--pay")
        self.day = after + dt.timedelta(days=5)
        self.mp.setenv("TECHDEPT_TODAY", self.day.isoformat())

    def apply(self, op):
        kind = op[0]
        if kind == "team":
            self.reopen()
            _, engineers, weights, share = op
            args = [
                "--as",
                "wangjg",
                "team",
                self.code,
                *IMPL,
                "--lead",
                "zhaolei",
                "--lead-share",
                share,
            ]
            for name, weight in zip(engineers, weights, strict=False):
                args += ["--engineer", f"{name}:{weight}"]
            self.run(*args)
        elif kind == "score":
            self.reopen()
            for scorer, points in zip(("self", "sales", "superior"), op[1], strict=True):
                self.run("score", self.code, *IMPL, "--scorer", scorer, f"quality={points}")
        elif kind == "approve":
            self.approve()
        elif kind == "reopen":
            self.reopen()
        elif kind == "pay":
            self.pay()
        elif kind == "final" and not self.final:
            self.run("--as", "huangqin", "payment", self.code, "--kind", "final",
                     "--amount", "100000", "--date", self.day.isoformat())  # fmt: skip
            self.final = True
        elif kind == "reverse":
            lines = _sql(
                "SELECT l.id FROM payout_line l JOIN project p ON p.id = l.project_id "
                "WHERE p.code = :code AND l.amount_fen > 0 AND l.reverses_id IS NULL "
                "AND NOT EXISTS (SELECT 1 FROM payout_line r WHERE r.reverses_id = l.id) "
                "ORDER BY l.id",
                code=self.code,
            )
            if lines:
                line = lines[op[1] % len(lines)][0]
                self.run("--as", "huangqin", "bonus", "reverse", str(line), "--reason", "冲销")

    def settle(self):
        self.apply(("final",))
        self.approve()
        self.pay()

    def books(self):
        """(entitled, paid, waiting): per person for this project's assessment; ``waiting``
        holds the people whose current share a reversal settled (awaiting re-approval)."""
        entitled, paid, waiting = defaultdict(int), defaultdict(int), set()
        for staff, amount, reversed_ in _sql(
            "SELECT s.code, e.amount_fen, EXISTS (SELECT 1 FROM payout_line r "
            "LEFT JOIN payout_line o ON o.id = r.reverses_id WHERE r.reverses_id IS NOT NULL "
            "AND (r.entitlement_id = e.id OR o.entitlement_id = e.id)) "
            "FROM entitlement e JOIN project p ON p.id = e.project_id "
            "JOIN staff s ON s.id = e.staff_id "
            "WHERE p.code = :code AND e.superseded_at IS NULL",
            code=self.code,
        ):
            entitled[staff] += amount
            if reversed_:
                waiting.add(staff)
        for staff, amount in _sql(
            "SELECT s.code, l.amount_fen FROM payout_line l JOIN project p "
            "ON p.id = l.project_id JOIN staff s ON s.id = l.staff_id "
            "WHERE p.code = :code AND l.assessment_id IS NOT NULL",
            code=self.code,
        ):
            paid[staff] += amount
        return entitled, paid, waiting


@pytest.fixture
def world(td, monkeypatch, fresh_ledger):
    """A fresh ledger per example (sanctions and runs of one example never leak into the
    next): a new copy of the migrated template, or the PostgreSQL schema emptied."""

    def make():
        fresh_ledger()
        monkeypatch.setenv("TECHDEPT_TODAY", "2026-11-27")
        add_department(td)
        return World(td, monkeypatch)

    return make


@settings(
    max_examples=settings.default.max_examples * 3 // 25,  # 12; 240 when thorough
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(
    final_first=True,
    ops=[("approve",), ("pay",), ("team", ["lijun"], [1, 1, 1], "40"), ("approve",), ("pay",)],
)
@example(final_first=True, ops=[("approve",), ("pay",), ("score", [5, 5, 5]), ("pay",)])
@example(final_first=True, ops=[("approve",), ("pay",), ("reverse", 0), ("pay",)])
@given(final_first=st.booleans(), ops=st.lists(OPS, max_size=9))
def test_paid_equals_entitlement_after_any_sequence(world, td, final_first, ops):
    w = world()
    if final_first:
        w.apply(("final",))
    for op in ops:
        w.apply(op)
    w.settle()
    entitled, paid, waiting = w.books()
    for person in set(entitled) | set(paid):
        if person not in waiting:
            assert paid[person] == entitled[person], (person, dict(paid), dict(entitled))
    td("db", "check")
    # A reversed share is paid again only through a reopened and re-approved assessment:
    w.reopen()
    w.settle()
    entitled, paid, waiting = w.books()
    assert not waiting
    people = set(entitled) | set(paid)
    assert {p: paid[p] for p in people} == {p: entitled[p] for p in people}
    td("db", "check")
