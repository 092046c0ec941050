"""Department settings kept in the ledger (``techdept config``): today the company's name,
printed on every sheet's title line. Each change is one audited write (``config.set`` /
``config.unset``, the value before and after); once the department has an administrator,
only an administrator may change a setting (rule ``config.set``).

A setting's row names the audit row that set it. A value that row does not vouch for (a row
written with plain SQL, or changed since) is never printed: ``get`` refuses it, ``show``
marks it, and ``config set`` by an administrator puts it right."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from techdept import clock, values
from techdept.errors import Invalid, Refused
from techdept.ledger import audit
from techdept.ledger.engine import Ledger
from techdept.ledger.models import AuditEntry, Config
from techdept.services import actors, permissions

# every setting there is, and the longest value it takes (characters): a title line holds
# the company's name and the sheet's name at 16 pt on one line of A4
KEYS: dict[str, int] = {"company": 40}


@dataclass(frozen=True)
class Setting:
    """One setting: its value, who set it and when (``None`` while it is not set)."""

    key: str
    value: str | None
    set_at: dt.datetime | None = None
    set_by: str | None = None
    audited: bool = True  # False: the audit trail does not vouch for the value

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "value": self.value,
            "set_at": clock.stamp(self.set_at) if self.set_at else None,
            "set_by": self.set_by,
            "audited": self.audited,
        }


@dataclass(frozen=True)
class Change:
    """What a ``set`` or ``unset`` did: the value before and after, and whether it wrote
    (setting the value a setting has, or removing one not set, writes nothing)."""

    key: str
    before: str | None
    after: str | None
    changed: bool


def check_key(key: str) -> str:
    if key not in KEYS:
        raise Invalid("ConfigKeyUnknown", key=key, allowed=", ".join(KEYS))
    return key


def check_value(key: str, value: str, field: str | None = None) -> str:
    """The value as stored: one line of text, no control characters, not empty, not longer
    than the key allows (``field`` names it in a refusal; the key by default)."""
    text = values.parse_name(field or key, value)
    if len(text) > KEYS[check_key(key)]:
        raise Invalid("NameTooLong", field=field or key, max=KEYS[key])
    return text


def _row(session: Session, key: str) -> Config | None:
    return session.exec(select(Config).where(Config.key == key)).first()


def _vouched(session: Session, row: Config) -> bool:
    """Whether the audit row ``row`` names set exactly this value, by this person, and no
    later audit row changed the setting."""
    entry = session.get(AuditEntry, row.audit_id)
    if entry is None or (entry.action, entry.entity, entry.entity_key) != (
        "config.set", "config", row.key
    ):  # fmt: skip
        return False
    if entry.actor != row.set_by or json.loads(entry.after or "null") != {"value": row.value}:
        return False
    later = session.exec(
        select(AuditEntry.id).where(
            col(AuditEntry.id) > entry.id, AuditEntry.entity == "config",
            AuditEntry.entity_key == row.key,
        ).limit(1)
    ).first()  # fmt: skip
    return later is None


def _may_change(session: Session, actor_code: str | None) -> actors.Actor:
    """The acting person, who must be an administrator once the department has one."""
    from techdept.services.staff import admins

    actor = actors.resolve(session, actor_code)
    if admins(session):
        permissions.check(actor, "config.set")
    return actor


def settings(ledger: Ledger) -> list[Setting]:
    """Every setting, set or not, in the order of ``KEYS``."""
    with ledger.read() as session:
        rows = {row.key: row for row in session.exec(select(Config))}
        return [
            Setting(key, row.value, row.set_at, row.set_by, _vouched(session, row))
            if (row := rows.get(key))
            else Setting(key, None)
            for key in KEYS
        ]


def get(ledger: Ledger, key: str) -> str | None:
    """A setting's value, or ``None`` when it is not set; refused when the audit trail does
    not vouch for it (see the module)."""
    check_key(key)
    with ledger.read() as session:
        row = _row(session, key)
        if row is None:
            return None
        if not _vouched(session, row):
            raise Refused("ConfigNotAudited", key=key)
        return row.value


def set_value(
    ledger: Ledger, actor_code: str | None, key: str, value: str, *, field: str | None = None
) -> Change:
    """Set ``key`` to ``value`` (checked first: a bad value changes nothing). Setting the value
    it already has writes nothing."""
    text = check_value(key, value, field)
    with ledger.write() as session:
        actor = _may_change(session, actor_code)
        row = _row(session, key)
        before = row.value if row else None
        if row is not None and before == text and _vouched(session, row):
            return Change(key, before, text, changed=False)
        digest = audit.record(
            session, actor.code, "config.set", "config", key,
            before={"value": before} if before is not None else None, after={"value": text},
        )  # fmt: skip
        entry = session.exec(select(AuditEntry).where(AuditEntry.hash == digest)).one()
        if row is None:
            row = Config(key=key, value=text, set_at=entry.at, set_by=actor.code, audit_id=0)
        row.value, row.set_at, row.set_by, row.audit_id = text, entry.at, actor.code, entry.id
        session.add(row)
        return Change(key, before, text, changed=True)


def unset(ledger: Ledger, actor_code: str | None, key: str) -> Change:
    """Remove ``key``'s value; a key not set stays so and writes nothing."""
    check_key(key)
    with ledger.write() as session:
        actor = _may_change(session, actor_code)
        row = _row(session, key)
        if row is None:
            return Change(key, None, None, changed=False)
        before = row.value
        session.delete(row)
        session.flush()
        audit.record(session, actor.code, "config.unset", "config", key, before={"value": before})
        return Change(key, before, None, changed=True)
