"""Whatever acceptance events are attempted, in whatever order and on whatever dates, the
events the rules let through form a valid sequence: each required event before them is
there (and did not fail), a required event is there once unless it failed, and dates never
go backwards along the order."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from techdept.rules import lifecycle as lc
from techdept.rules.domain import domain

D = domain()
KINDS = tuple((a.key, a.required) for a in D.acceptance if a.key != "internal")
ORDER = tuple(k for k, _ in KINDS)
REQUIRED = {k for k, r in KINDS if r}

attempts = st.lists(
    st.tuples(
        st.sampled_from(ORDER),
        st.integers(min_value=0, max_value=60),
        st.sampled_from([None, True, False]),
    ),
    max_size=25,
)


def record(attempted):
    """What the service would keep, using the same rules in the same order."""
    kept = []
    latest = {}
    for kind, day, passed in attempted:
        on = dt.date(2026, 8, 1) + dt.timedelta(days=day)
        recorded = {k: p for k, (_, p) in latest.items()}
        if lc.acceptance_repeat(KINDS, recorded, kind):
            continue
        if lc.acceptance_prerequisite(KINDS, recorded, kind) is not None:
            continue
        if lc.acceptance_order_problem(ORDER, {k: d for k, (d, _) in latest.items()}, kind, on):
            continue
        latest[kind] = (on, passed)
        kept.append((kind, on, passed))
    return kept


@given(attempts)
def test_what_is_kept_is_a_valid_sequence(attempted):
    kept = record(attempted)
    seen = {}
    for i, (kind, on, _passed) in enumerate(kept):
        pos = ORDER.index(kind)
        for earlier in ORDER[:pos]:
            if earlier in REQUIRED:
                assert earlier in seen and seen[earlier][1] is not False, (kept, i)
        if kind in REQUIRED and kind in seen:
            assert seen[kind][1] is False, (kept, i)  # a repeat only after a failure
        seen[kind] = (on, _passed)
        latest_dates = {k: d for k, (d, _) in seen.items()}
        for a in latest_dates:
            for b in latest_dates:
                if ORDER.index(a) < ORDER.index(b):
                    assert latest_dates[a] <= latest_dates[b], kept
