"""``db check``: is the ledger sound? The database's own checks, the audit chain, and every
recompute check (stored results computed again from their stored inputs).

A recompute check is a function ``(db) -> list[str]`` returning one line per finding, where
``db`` is the check's read transaction (a Session; the checks query through the Core tables,
one query per table, never one per row). The areas' checks are imported by name in
``rechecks()``: a renamed or moved check fails loudly instead of being skipped. Further checks
may ``register`` themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, exists, func, inspect, not_, select

from techdept.errors import Phrase

if TYPE_CHECKING:
    from techdept.ledger.engine import Ledger

Check = Callable[[Any], list[str]]

CHECKS: list[Check] = []


def rechecks() -> list[tuple[str, Check]]:
    """The areas' recompute checks, by the name ``db check`` reports them under."""
    from techdept.services.assessment.recheck import recheck as assessments
    from techdept.services.payouts import recheck as payouts
    from techdept.services.trail import recheck as trail
    from techdept.services.trail import triggers

    return [
        ("assessment.recheck", assessments),  # GM-approved assessments vs stored inputs
        ("payouts.recheck", payouts),  # paid lines vs their approved assessments
        ("trail.recheck", trail),  # money and role rows vs their audit entries
        ("trail.triggers", triggers),  # the audit trail's append-only triggers
    ]


def register(check: Check) -> Check:
    """Add a recompute check (usable as a decorator)."""
    if check not in CHECKS:
        CHECKS.append(check)
    return check


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: str  # "ok", "failed" or "skipped"
    findings: tuple[str, ...] = ()
    info: dict[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        doc = {"name": self.name, "status": self.status, "findings": list(self.findings)}
        return doc | self.info


def _name(check: Check) -> str:
    module = getattr(check, "__module__", "") or ""
    return f"{module.rsplit('.', 1)[-1]}.{getattr(check, '__name__', 'check')}"


def _run(name: str, check: Check, session: Any) -> CheckResult:
    try:
        findings = tuple(check(session))
    except Exception as exc:  # a check that cannot run is itself a finding
        findings = (Phrase("check.crashed", check=name, kind=type(exc).__name__),)
    return CheckResult(name, "failed" if findings else "ok", findings)


def run_all(session: Any) -> list[CheckResult]:
    """Run every recompute check: the areas' own, then any other registered one."""
    named = rechecks()
    results = [_run(name, check, session) for name, check in named]
    done = {check for _, check in named}
    results += [_run(_name(c), c, session) for c in CHECKS if c not in done]
    return results


def integrity(session: Any) -> CheckResult:
    """SQLite's ``PRAGMA integrity_check`` (PostgreSQL has no equivalent: skipped)."""
    if session.get_bind().dialect.name != "sqlite":
        return CheckResult("integrity", "skipped")
    rows = session.connection().exec_driver_sql("PRAGMA integrity_check").scalars().all()
    findings = tuple(Phrase("check.integrity", detail=r) for r in rows if r != "ok")
    return CheckResult("integrity", "failed" if findings else "ok", findings)


def foreign_keys(session: Any) -> CheckResult:
    """Rows that refer to a row that does not exist: SQLite's ``PRAGMA foreign_key_check``;
    on PostgreSQL (which enforces them unless triggers were disabled) one query per key."""
    conn = session.connection()
    found: list[str] = []
    if conn.dialect.name == "sqlite":
        for table, rowid, parent, _fk in conn.exec_driver_sql("PRAGMA foreign_key_check"):
            found.append(Phrase("check.foreign_key", table=table, row=rowid, parent=parent))
    else:
        from techdept.ledger.tables import metadata

        present = set(inspect(conn).get_table_names())
        for table in metadata.sorted_tables:
            if table.name not in present:
                continue
            for fk in table.foreign_key_constraints:
                parent = fk.referred_table
                if parent.name not in present:
                    continue
                # the parent through an alias: a table that refers to itself (a reversal line
                # to the line it reverses) must not correlate with its own row
                referred = parent.alias("referred")
                pairs = [(e.parent, referred.c[e.column.name]) for e in fk.elements]
                orphan = and_(
                    *(child.isnot(None) for child, _ in pairs),
                    not_(exists().where(and_(*(p == c for c, p in pairs)))),
                )
                n = conn.execute(select(func.count()).select_from(table).where(orphan)).scalar()
                if n:
                    found.append(
                        Phrase(
                            "check.foreign_key_count", table=table.name, count=n, parent=parent.name
                        )
                    )
    return CheckResult("foreign_keys", "failed" if found else "ok", tuple(found))


def audit_chain(session: Any) -> CheckResult:
    from techdept.services.audit import walk

    report = walk(session)
    findings = tuple(f.message() for f in report.findings)
    info = {"rows": report.rows, "head": report.head}
    return CheckResult("audit", "failed" if findings else "ok", findings, info)


def check_ledger(ledger: Ledger) -> list[CheckResult]:
    """Every check, in order: integrity, foreign keys, audit chain, recompute checks."""
    with ledger.read() as session:
        results = [integrity(session), foreign_keys(session), audit_chain(session)]
        results += run_all(session)
    return results
