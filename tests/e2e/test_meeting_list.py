"""``assess list``: the figures of every row equal ``assess show``'s, and the list costs the
same number of queries for 2 assessments as for 6 (no query per row)."""

from __future__ import annotations

from _meeting import E1_FACTS, IMPL, add_department, approve, implementation, new_project, show


def _partly_scored(td, name):
    code = new_project(td, name)
    td("--as", "wangjg", "team", code, *IMPL, "--lead", "zhaolei", "--engineer", "lijun:1",
       "--lead-share", "40")  # fmt: skip
    td("assess", "open", code, *IMPL, *E1_FACTS)
    td("score", code, *IMPL, "--scorer", "self", "quality=28")
    return code


def _statements(run):  # type: ignore[no-untyped-def]
    """How many SQL statements ``run(ledger)`` sends to the ledger."""
    from sqlalchemy import event

    from techdept.commands._common import State

    state = State()
    ledger = state.ledger
    seen = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(ledger.engine, "before_cursor_execute", listener)
    try:
        result = run(ledger)
    finally:
        event.remove(ledger.engine, "before_cursor_execute", listener)
        state.close()
    return len(seen), (result, seen)


def test_list_figures_equal_show(td):
    add_department(td)
    open_full = implementation(td)
    partly = _partly_scored(td, "部分评分法院")
    vetoed = implementation(td, actual_cost="104,001.00")
    approved = implementation(td, quality=(30, 29, 30))
    approve(td, approved)
    director_only = implementation(td, quality=(20, 21, 22))
    td("--as", "wangjg", "assess", "approve", director_only, *IMPL)
    rows = {r["project"]: r for r in td("assess", "list", "--json").json()}
    for code in (open_full, partly, vetoed, approved, director_only):
        doc = show(td, code)
        got = rows[code]
        assert (got["composite"], got["grade"], got["final"], got["status"]) == (
            doc["composite"], doc["grade"], doc["final"], doc["status"],
        ), code  # fmt: skip
    assert rows[partly]["composite"] is None and rows[vetoed]["final"] == "0.00"
    assert rows[approved]["status"] == "approved" and rows[approved]["grade"] == "B"


def test_list_does_not_query_per_row(td):
    from techdept.services.assessment import list_assessments

    add_department(td)
    for _ in range(2):
        implementation(td)
    approve(td, implementation(td, quality=(30, 29, 30)))
    few, (rows, sql1) = _statements(list_assessments)
    assert len(rows) == 3
    for _ in range(3):
        implementation(td)
        _partly_scored(td, "部分评分法院")
    approve(td, implementation(td, quality=(30, 29, 30)))
    many, (rows, sql2) = _statements(list_assessments)
    assert len(rows) == 10
    assert many == few, (few, many, sql1, sql2)
