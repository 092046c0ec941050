"""``db check`` against the audit trail: every row that money and authority depend on (staff
and their roles, payments, GM approvals, extra awards, payout runs and lines) must be the row
its audit entry recorded, and every audit entry of those kinds must still have its row. A
change made with plain SQL, which writes no audit row, is named with its table and row.

The audit triggers that keep the trail append-only must exist, too."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from techdept.errors import Phrase, Term
from techdept.ledger import tables

if TYPE_CHECKING:
    from sqlmodel import Session

# One Core query per table, rows as tuples (no ORM object per row): a check over a large
# ledger reads each table once.

KINDS = (
    "staff",
    "payment",
    "assessment",
    "extra_award",
    "payout_run",
    "payout_line",
)
SQLITE_TRIGGERS = ("audit_no_update", "audit_no_delete")
POSTGRES_TRIGGERS = ("audit_append_only", "audit_no_truncate")


@dataclass(frozen=True)
class Entry:
    id: int
    action: str
    key: str
    before: Any
    after: Any
    at: dt.datetime


def _load(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _entries(session: Session) -> dict[str, list[Entry]]:
    """The audit entries of the checked kinds, by entity, oldest first (one query)."""
    out: dict[str, list[Entry]] = defaultdict(list)
    rows = session.execute(
        select(
            tables.audit.c.id,
            tables.audit.c.entity,
            tables.audit.c.action,
            tables.audit.c.entity_key,
            tables.audit.c.before,
            tables.audit.c.after,
            tables.audit.c.at,
        )
        .where(tables.audit.c.entity.in_(KINDS))
        .order_by(tables.audit.c.id)
    )
    for aid, entity, action, key, before, after, at in rows:
        out[entity].append(Entry(aid or 0, action, key, _load(before), _load(after), at))
    return out


def _yuan(fen: Any) -> Term:
    """An amount as data, worded where it is shown (``¥1,234.56``, or — when unknown)."""
    return Term("money", fen if isinstance(fen, int) else None)


class _Findings(list[Phrase]):
    def missing_audit(self, table: str, row: object) -> None:
        self.append(Phrase("check.trail.missing_audit", table=table, row=row))

    def missing_row(self, entry: Entry, table: str, row: object) -> None:
        self.append(
            Phrase(
                "check.trail.missing_row", audit=entry.id, action=entry.action, table=table, row=row
            )
        )

    def differs(
        self, table: str, row: object, field: str, stored: object, entry: Entry, want: object
    ) -> None:
        self.append(
            Phrase(
                "check.trail.differs",
                table=table,
                row=row,
                field=field,
                stored=stored,
                audit=entry.id,
                expected=want,
            )
        )


def _staff(session: Session, entries: list[Entry], found: _Findings) -> None:
    """Staff rows and their roles against ``staff.*`` entries: an entry whose ``after`` has
    ``roles`` sets them; one with ``role`` grants it (or revokes it, for a revoke action)."""
    names: dict[str, tuple[Entry, str]] = {}
    roles: dict[str, dict[str, Entry]] = {}
    for e in entries:
        after = e.after if isinstance(e.after, dict) else {}
        if "name" in after:
            names[e.key] = (e, after["name"])
        if isinstance(after.get("roles"), list):
            roles[e.key] = {r: e for r in after["roles"]}
        elif isinstance(after.get("role"), str):
            held = roles.setdefault(e.key, {})
            if "revoke" in e.action or after.get("granted") is False:
                held.pop(after["role"], None)
            else:
                held[after["role"]] = e
    people = dict(session.execute(select(tables.staff.c.id, tables.staff.c.code)).all())
    for code, name in session.execute(select(tables.staff.c.code, tables.staff.c.name)):
        if code not in names:
            found.missing_audit("staff", code)
        elif names[code][1] != name:
            found.differs("staff", code, "name", name, names[code][0], names[code][1])
    for code, (entry, _) in names.items():
        if code not in people.values() and entry.action == "staff.add":
            found.missing_row(entry, "staff", code)
    held: dict[str, set[str]] = defaultdict(set)
    for sid, role in session.execute(
        select(tables.staff_role.c.staff_id, tables.staff_role.c.role)
    ):
        held[people.get(sid, str(sid))].add(role)
    for code in sorted(held):
        for role in sorted(held[code] - set(roles.get(code, {}))):
            found.append(Phrase("check.trail.role_unexplained", staff=code, role=role))
    for code in sorted(roles):
        if code not in people.values():
            continue
        for role, entry in sorted(roles[code].items()):
            if role not in held.get(code, set()):
                found.append(
                    Phrase("check.trail.role_missing", staff=code, role=role, audit=entry.id)
                )


def _payments(session: Session, entries: list[Entry], found: _Findings) -> None:
    recorded = {e.key: e for e in entries if e.action == "payment.record"}
    voided = {e.key: e for e in entries if e.action == "payment.void"}
    rows = {str(p.id): p for p in session.execute(select(tables.payment))}
    for key, p in sorted(rows.items(), key=lambda x: int(x[0])):
        entry = recorded.get(key)
        if entry is None:
            found.missing_audit("payment", key)
            continue
        after = entry.after or {}
        for field, stored, want in (
            ("kind", p.kind, after.get("kind")),
            ("amount", _yuan(p.amount_fen), _yuan(after.get("amount_fen"))),
            ("paid_on", p.paid_on.isoformat(), after.get("paid_on")),
        ):
            if stored != want:
                found.differs("payment", key, field, stored, entry, want)
        void = voided.get(key)
        if (p.voided_at is not None) != (void is not None):
            state = "voided" if p.voided_at is not None else "not voided"
            if void is None:
                found.missing_audit("payment", f"{key} ({state})")
            else:
                found.differs("payment", key, "voided", state, void, "voided")
        elif void is not None and p.void_reason != (void.after or {}).get("reason"):
            found.differs(
                "payment", key, "void_reason", p.void_reason, void, (void.after or {}).get("reason")
            )
    for key, entry in recorded.items():
        if key not in rows:
            found.missing_row(entry, "payment", key)


def _approvals(session: Session, entries: list[Entry], found: _Findings) -> None:
    """Each GM-approved assessment against its ``assessment.approve.gm`` entry (version,
    grade, final bonus, date) and each such entry against its kept version."""
    gm = {(e.key, (e.after or {}).get("version")): e for e in entries if e.action.endswith(".gm")}
    versions = {
        (aid, v)
        for aid, v in session.execute(
            select(tables.assessment_version.c.assessment_id, tables.assessment_version.c.version)
        )
    }
    keys: dict[str, int] = {}
    rows = session.execute(
        select(tables.assessment, tables.project.c.code.label("project_code")).join(
            tables.project, tables.project.c.id == tables.assessment.c.project_id
        )
    ).all()
    for a in rows:
        code = a.project_code
        key = f"{code}/{a.track}" + (f"/{a.period}" if a.period else "")
        keys[key] = a.id or 0
        if a.status != "approved":
            continue
        entry = gm.get((key, a.version))
        if entry is None:
            found.missing_audit("assessment", f"{key} v{a.version}")
            continue
        doc = (_load(a.result) or {}).get("doc", {})
        after = entry.after or {}
        for field in ("grade", "final"):
            if doc.get(field) != after.get(field):
                found.differs("assessment", key, field, doc.get(field), entry, after.get(field))
        if a.gm_approved_on is not None and a.gm_approved_on != entry.at.date():
            found.differs(
                "assessment", key, "gm_approved_on", a.gm_approved_on, entry, entry.at.date()
            )
    for (key, version), entry in gm.items():
        if (keys.get(key), version) not in versions:
            found.missing_row(entry, "assessment_version", f"{key} v{version}")


def _awards(session: Session, entries: list[Entry], found: _Findings) -> None:
    recorded = {e.key: e for e in entries if e.action == "bonus.award"}
    rows = {str(a.id): a.amount_fen for a in session.execute(select(tables.extra_award))}
    _amounts("extra_award", rows, recorded, found)


def _amounts(
    table: str, stored: dict[str, int], recorded: dict[str, Entry], found: _Findings
) -> None:
    """Each row's amount (by row id) against its entry's ``amount_fen``, and each entry
    against its row: a row without an entry, a changed amount, a deleted row."""
    for key, amount in sorted(stored.items(), key=lambda x: int(x[0])):
        entry = recorded.get(key)
        if entry is None:
            found.missing_audit(table, key)
        elif (entry.after or {}).get("amount_fen") != amount:
            found.differs(
                table,
                key,
                "amount",
                _yuan(amount),
                entry,
                _yuan((entry.after or {}).get("amount_fen")),
            )
    for key, entry in recorded.items():
        if key not in stored:
            found.missing_row(entry, table, key)


def _payouts(session: Session, runs: list[Entry], reversals: list[Entry], found: _Findings) -> None:
    """Each run's paid lines (count and total) against its ``bonus.pay`` entry, each reversal
    line against its ``bonus.reverse`` entry; a deleted or added line is found."""
    paid = {e.key: e for e in runs if e.action == "bonus.pay"}
    reversed_ = {e.key: e for e in reversals if e.action == "bonus.reverse"}
    sums, reversal_lines = _payout_lines(session)
    _runs(session, paid, sums, found)
    _amounts("payout_line", reversal_lines, reversed_, found)


def _payout_lines(session: Session) -> tuple[dict[str, list[int]], dict[str, int]]:
    """Per run, the count and total of its paid lines; per reversal line, its amount."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    reversal_lines: dict[str, int] = {}
    for lid, run_id, amount, reverses in session.execute(
        select(
            tables.payout_line.c.id,
            tables.payout_line.c.run_id,
            tables.payout_line.c.amount_fen,
            tables.payout_line.c.reverses_id,
        )
    ):
        if reverses is not None:
            reversal_lines[str(lid)] = amount
        else:
            total = sums[str(run_id)]
            total[0] += 1
            total[1] += amount
    return sums, reversal_lines


def _runs(
    session: Session, paid: dict[str, Entry], sums: dict[str, list[int]], found: _Findings
) -> None:
    """Each payout run against its ``bonus.pay`` entry (lines, total, quarter)."""
    run_rows = {str(r.id): r for r in session.execute(select(tables.payout_run))}
    for key, run in sorted(run_rows.items(), key=lambda x: int(x[0])):
        count, total = sums.get(key, [0, 0])
        entry = paid.get(key)
        if entry is None:
            if count:
                found.missing_audit("payout_run", key)
            continue
        after = entry.after or {}
        if (count, total) != (
            after.get("lines"),
            after.get("total_fen"),
        ) or run.quarter != after.get("quarter"):
            found.append(
                Phrase(
                    "check.trail.run_totals",
                    row=key,
                    lines=count,
                    total=_yuan(total),
                    audit=entry.id,
                    expected_lines=after.get("lines"),
                    expected_total=_yuan(after.get("total_fen")),
                )
            )
    for key, entry in paid.items():
        if key not in run_rows:
            found.missing_row(entry, "payout_run", key)


def payout_findings(session: Session) -> list[Phrase]:
    """The payout runs and reversal lines against their audit entries only (``bonus --pay``
    refuses to pay while a paid line is missing: it would be paid twice)."""
    entries = _entries(session)
    found = _Findings()
    _payouts(session, entries.get("payout_run", []), entries.get("payout_line", []), found)
    return list(found)


def recheck(session: Session) -> list[Phrase]:
    """One line per row that its audit entry does not explain, and per audit entry whose row
    is gone."""
    entries = _entries(session)
    found = _Findings()
    _staff(session, entries.get("staff", []), found)
    _payments(session, entries.get("payment", []), found)
    _approvals(session, entries.get("assessment", []), found)
    _awards(session, entries.get("extra_award", []), found)
    _payouts(session, entries.get("payout_run", []), entries.get("payout_line", []), found)
    return list(found)


def triggers(session: Session) -> list[Phrase]:
    """The triggers that keep the audit trail append-only must all be there."""
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        wanted = SQLITE_TRIGGERS
        have = set(
            conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'"
            ).scalars()
        )
    else:
        wanted = POSTGRES_TRIGGERS
        have = set(
            conn.exec_driver_sql(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit'::regclass "
                "AND NOT tgisinternal AND tgenabled <> 'D'"
            ).scalars()
        )
    return [Phrase("check.trail.trigger_missing", name=name) for name in wanted if name not in have]
