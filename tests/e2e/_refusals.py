"""Shared by the permission tests: a refusal changes nothing and writes no audit row."""

from contextlib import contextmanager


def ledger_state(td, *reads):
    """The audit chain's length and head, and the JSON of each read command in ``reads``."""
    chain = td("audit", "verify", "--json").json()
    return (chain["rows"], chain["head"], [td(*r, "--json").json() for r in reads])


@contextmanager
def nothing_changes(td, *reads):
    """Assert that what runs inside leaves the audit trail and the ``reads`` as they were."""
    before = ledger_state(td, *reads)
    yield
    assert ledger_state(td, *reads) == before


def refused(td, *args, stderr, reads=(("staff", "list"),)):
    """Run ``args`` expecting exit 1 with ``stderr`` in one line; nothing changes."""
    with nothing_changes(td, *reads):
        got = td(*args, expect=1, stderr=stderr)
    assert len(got.stderr.strip().splitlines()) == 1, got.stderr
    return got
