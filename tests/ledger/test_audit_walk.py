"""The fast walk of the audit chain (``audit verify``): the text it hashes is byte for byte the
canonical JSON the chain was written with, and a chain walked in id ranges by several
processes finds exactly what one walk from genesis finds — a break on a range's first or
last row included."""

import datetime as dt
import itertools
import shutil
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techdept.ledger.audit import (
    GENESIS,
    _stamp,
    canonical,
    content_hash,
    ranges,
    stamp_of,
    walk_file,
    walk_range,
    walk_rows,
)


def stored(when):
    """A time as SQLAlchemy stores a DateTime on SQLite."""
    return (
        f"{when.year:04d}-{when.month:02d}-{when.day:02d} "
        f"{when.hour:02d}:{when.minute:02d}:{when.second:02d}.{when.microsecond:06d}"
    )


INSERT = (
    'INSERT INTO audit (at, actor, on_behalf_of, action, entity, entity_key, project, "before",'
    ' "after", prev_hash, hash, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
)
COLUMNS = (
    'id, at, actor, on_behalf_of, action, entity, entity_key, project, "before", "after",'
    " prev_hash, hash, recorded_at"
)


def reference_walk(path):
    """The walk as it was first written: every row read, its times parsed to datetimes, its
    content encoded by the JSON encoder, one row after the other from genesis."""
    con = sqlite3.connect(path)
    prev, found, count = GENESIS, [], 0
    for row in con.execute(f"SELECT {COLUMNS} FROM audit ORDER BY id"):
        id_, at, actor, behalf, action, entity, key, project, before, after, link, digest, real = (
            row
        )
        count += 1
        if link != prev:
            found.append((id_, "link", prev, link))
        parse = dt.datetime.fromisoformat
        computed = content_hash(
            link, parse(at), actor, behalf, action, entity, key, project, before, after,
            parse(real) if real is not None else None,
        )  # fmt: skip
        if computed != digest:
            found.append((id_, "content", computed, digest))
        prev = digest
    con.close()
    return count, prev, found


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
times = st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31))


@settings(max_examples=300, deadline=None)
@given(
    at=times,
    real=st.none() | times,
    actor=text,
    behalf=st.none() | text,
    key=text,
    project=st.none() | text,
    before=st.none() | st.dictionaries(text, text | st.integers(), max_size=3).map(canonical),
    after=st.none() | text,
)
def test_the_fast_text_hashes_as_the_encoder(at, real, actor, behalf, key, project, before, after):
    """Quotes, backslashes, control characters, Chinese, empty strings, nulls: the hash of
    the row built quickly is the hash the JSON encoder gives."""
    digest = content_hash(
        "a" * 64, at, actor, behalf, "x.y", "项目", key, project, before, after, real
    )
    row = (
        1, stored(at), actor, behalf, "x.y", "项目", key, project, before, after,
        "a" * 64, digest, None if real is None else stored(real),
    )  # fmt: skip
    assert walk_rows([row], "a" * 64) == (1, digest, [])


@pytest.mark.parametrize(
    "stored",
    [
        "2026-12-01 08:30:05.123456",
        "2026-12-01 08:30:05",  # written without a fraction
        "2026-12-01T08:30:05.123456",
        "2026-12-01 08:30:05.123+08:00",  # an offset: taken to UTC
        "2026-12-01 08:30:05.12345+0800",
        "2026-W49-2 08:30:05.123456",  # an ISO week date, also ten characters
        "2026-12-01 08:30:05,123456",
    ],
)
def test_a_stored_time_stamps_as_its_datetime(stored):
    assert stamp_of(stored) == _stamp(dt.datetime.fromisoformat(stored))


def test_an_impossible_stored_time_is_refused_as_before():
    with pytest.raises(ValueError):
        stamp_of("2026-13-01 08:30:05.123456")


def test_a_value_of_another_type_hashes_as_the_encoder():
    """A hand-edited row may hold a number or bytes in a text column: hashed by the encoder."""
    at = dt.datetime(2026, 12, 1, 8, 30)
    digest = content_hash(GENESIS, at, "a", None, "x", "y", 7, None, None, b"\x00", None)  # type: ignore[arg-type]
    row = (
        1,
        stored(at),
        "a",
        None,
        "x",
        "y",
        7,
        None,
        None,
        b"\x00",
        GENESIS,
        digest,
        None,
    )
    assert walk_rows([row], GENESIS) == (1, digest, [])


def test_ranges_cover_the_ids_end_to_end():
    assert ranges(1, 10, 3) == [(1, 4), (5, 8), (9, 10)]
    assert ranges(5, 5, 4) == [(5, 5)]
    cuts = ranges(17, 1_000_003, 7)
    assert cuts[0][0] == 17 and cuts[-1][1] == 1_000_003
    assert all(a[1] + 1 == b[0] for a, b in itertools.pairwise(cuts))


def _chain(path, rows):
    con = sqlite3.connect(path)
    prev = con.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    prev = prev[0] if prev else GENESIS
    at = dt.datetime(2026, 12, 1, 8, 0)
    with con:
        for i in range(rows):
            when = at + dt.timedelta(seconds=i, microseconds=i)
            after = canonical({"i": i, "名": '甲\n"乙"'})
            digest = content_hash(
                prev, when, "bench", None, "x.row", "x", str(i), None, None, after, when
            )
            con.execute(
                INSERT,
                (stored(when), "bench", None, "x.row", "x", str(i), None, None, after,
                 prev, digest, stored(when)),
            )  # fmt: skip
            prev = digest
        con.execute("DROP TRIGGER audit_no_update")
        con.execute("DROP TRIGGER audit_no_delete")
    con.close()


@pytest.fixture
def chain(sqlite_template, tmp_path):
    """A ledger whose audit trail holds 40 rows (ids 1…40), open to an intruder's SQL."""
    path = tmp_path / "ledger.db"
    shutil.copy2(sqlite_template, path)
    _chain(path, 40)
    return str(path)


def sql(path, statement):
    con = sqlite3.connect(path)
    with con:
        con.execute(statement)
    con.close()


# ranges(1, 40, 4): 1-10, 11-20, 21-30, 31-40
TAMPERING = {
    "intact": [],
    "a range's first row edited": ["UPDATE audit SET actor = 'mallory' WHERE id = 11"],
    "a range's last row rehashed": [f"UPDATE audit SET hash = '{'f' * 64}' WHERE id = 20"],
    "the row before a range deleted": ["DELETE FROM audit WHERE id = 20"],
    "a range's first row deleted": ["DELETE FROM audit WHERE id = 21"],
    "a whole range deleted": ["DELETE FROM audit WHERE id BETWEEN 21 AND 30"],
    # (a deleted tail breaks no link: the anchor of ``audit verify --expect`` finds it)
    "the last range deleted": ["DELETE FROM audit WHERE id > 30"],
    "the first row relinked": [f"UPDATE audit SET prev_hash = '{'e' * 64}' WHERE id = 1"],
    "a boundary row's link moved": [
        "UPDATE audit SET prev_hash = (SELECT hash FROM audit WHERE id = 9) WHERE id = 11"
    ],
}


@pytest.mark.parametrize("statements", TAMPERING.values(), ids=TAMPERING.keys())
def test_ranges_walked_apart_find_what_one_walk_finds(chain, statements):
    for statement in statements:
        sql(chain, statement)
    expected = reference_walk(chain)
    assert bool(expected[2]) == (bool(statements) and "id > 30" not in statements[0])
    # the ranges walked one after the other in this process …
    parts = [walk_range(chain, lo, hi) for lo, hi in ranges(1, 40, 4)]
    found = [f for _, _, part in parts for f in part]
    assert (sum(n for n, _, _ in parts), parts[-1][1], found) == expected
    # … and the whole file in one range
    assert walk_file(chain, workers=1) == expected


@pytest.mark.slow
@pytest.mark.parametrize("statements", TAMPERING.values(), ids=TAMPERING.keys())
def test_ranges_walked_by_worker_processes_find_what_one_walk_finds(chain, statements):
    for statement in statements:
        sql(chain, statement)
    assert walk_file(chain, workers=4, range_rows=1) == reference_walk(chain)
