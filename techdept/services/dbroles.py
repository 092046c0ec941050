"""``db roles``: the PostgreSQL roles that make ``--as`` more than a claim.

An owner role owns every table (the administrator's own access, restores and upgrades); one
group role ``techdept_user`` holds only the grants the commands need — INSERT and SELECT on the
audit trail, payout runs and lines, entitlements and the other records that are never changed,
UPDATE only on the columns a later step marks (an entitlement's ``superseded_at``), DELETE only
where a command replaces rows (a team's members, a person's roles, one scorer's sheet), no
TRUNCATE and no TRIGGER anywhere — and one login per person (``staff set CODE --login``) in
that group. A connection by such a login acts as the person whose login it is."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session, col, select

from techdept.errors import Refused
from techdept.ledger import audit
from techdept.ledger.engine import Ledger
from techdept.ledger.models import Staff
from techdept.services import actors, permissions

OWNER = "techdept_owner"
GROUP = "techdept_user"
# Written once, never changed or removed by any command.
APPEND_ONLY = (
    "audit", "payout_line", "payout_run", "entitlement", "extra_award", "policy_snapshot",
    "assessment_version", "stage_transition", "sanction_lift", "acceptance_event",
)  # fmt: skip
# The columns a later step sets on an append-only row.
COLUMN_UPDATES = {
    "entitlement": ("superseded_at",),
    "assessment_version": ("superseded_at", "reopen_reason"),
}
# Where a command replaces rows: a team's members, a person's roles, one scorer's sheet.
DELETES = ("team_member", "staff_role", "score")
NEVER = ("alembic_version",)


@dataclass(frozen=True)
class RolesPlan:
    schema: str
    statements: tuple[str, ...]
    logins: tuple[tuple[str, str], ...]  # (staff code, login) of people still here
    retired: tuple[str, ...]  # logins of people who left: NOLOGIN


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _create(role: str, options: str) -> str:
    return (
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') "
        f"THEN CREATE ROLE {_q(role)} {options}; END IF; END $$"
    )


def _plan(session: Session) -> RolesPlan:
    if session.get_bind().dialect.name != "postgresql":
        raise Refused("RolesNotPostgres")
    conn = session.connection()
    schema, me = conn.execute(text("SELECT current_schema(), session_user")).one()
    present = set(
        conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        ).scalars()
    )
    tables = sorted(present)
    ours = [t for t in tables if t not in NEVER]
    s = _q(schema)

    def qual(table: str) -> str:
        return f"{s}.{_q(table)}"

    out = [_create(OWNER, "NOLOGIN"), f"GRANT {_q(OWNER)} TO {_q(me)}"]
    out.append(f"GRANT USAGE, CREATE ON SCHEMA {s} TO {_q(OWNER)}")  # foreign keys, upgrades
    out += [f"ALTER TABLE {qual(t)} OWNER TO {_q(OWNER)}" for t in tables]
    out += [_create(GROUP, "NOLOGIN"), f"GRANT USAGE ON SCHEMA {s} TO {_q(GROUP)}"]
    out.append(f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {_q(GROUP)}")
    out += [f"GRANT SELECT ON {qual(t)} TO {_q(GROUP)}" for t in tables]
    out += [f"GRANT INSERT ON {qual(t)} TO {_q(GROUP)}" for t in ours]
    out += [f"GRANT UPDATE ON {qual(t)} TO {_q(GROUP)}" for t in ours if t not in APPEND_ONLY]
    for table, columns in COLUMN_UPDATES.items():
        if table in present:
            cols = ", ".join(_q(c) for c in columns)
            out.append(f"GRANT UPDATE ({cols}) ON {qual(table)} TO {_q(GROUP)}")
    out += [f"GRANT DELETE ON {qual(t)} TO {_q(GROUP)}" for t in DELETES if t in present]
    out.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {_q(GROUP)}")
    people = session.exec(
        select(Staff.code, Staff.login, Staff.left_on)
        .where(col(Staff.login).is_not(None))
        .order_by(Staff.code)
    ).all()
    logins, retired = [], []
    for code, login, left_on in people:
        if left_on is None:
            out.append(_create(login, "LOGIN"))
            out.append(f"ALTER ROLE {_q(login)} LOGIN")
            out.append(f"GRANT {_q(GROUP)} TO {_q(login)}")
            logins.append((code, login))
        else:
            out.append(_create(login, "NOLOGIN"))
            out.append(f"ALTER ROLE {_q(login)} NOLOGIN")
            out.append(f"REVOKE {_q(GROUP)} FROM {_q(login)}")
            retired.append(login)
    return RolesPlan(schema, tuple(out), tuple(logins), tuple(retired))


def plan(ledger: Ledger) -> RolesPlan:
    """The SQL that sets up the roles, without running it."""
    with ledger.read() as session:
        return _plan(session)


def apply(ledger: Ledger, actor_code: str | None) -> RolesPlan:
    """Run the SQL as the owner of the tables, in one transaction (all or nothing)."""
    from techdept.services.staff import admins

    with ledger.write() as session:
        roles = _plan(session)
        login = actors.database_login(session)
        if login is not None:
            raise Refused("RolesNotOwner", login=login)
        actor = actors.resolve(session, actor_code)
        if admins(session):
            permissions.check(actor, "db.restore")
        conn = session.connection()
        for statement in roles.statements:
            conn.execute(text(statement))
        audit.record(
            session,
            actor.code,
            "db.roles",
            "ledger",
            roles.schema[:120],
            after={"logins": [x[1] for x in roles.logins], "retired": list(roles.retired)},
        )
        return roles


__all__ = ["GROUP", "OWNER", "RolesPlan", "apply", "plan"]
