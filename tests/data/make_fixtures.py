"""Make tests/data/ledger-0001.db: a ledger as the first release (schema revision 0001) saved
it, with a few people, projects and their audit rows. Deterministic: fixed times, fixed rows.

    .venv/bin/python tests/data/make_fixtures.py

``populate(conn)`` writes the same rows into any database already at revision 0001 (the
PostgreSQL upgrade test uses it), with plain SQL against the 0001 tables only.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).parent
FIXTURE = HERE / "ledger-0001.db"
T0 = dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)

STAFF = [
    (1, "wangjg", "王建国", ["director"]),
    (2, "zhaolei", "赵磊", ["impl-manager", "engineer"]),
    (3, "qianli", "钱丽", ["sales"]),
    (4, "lijun", "李军", ["engineer"]),
]
PROJECTS = [
    # id, code, name, customer, contract_fen, complexity, difficulty, risk, sales_id, signed,
    # stage
    (
        1,
        "P2026-001",
        "临江县人民法院科技法庭项目",
        "临江县人民法院",
        120_000_000,
        "technical",
        "medium",
        "medium",
        3,
        dt.date(2026, 2, 16),
        "implementation.preparation",
    ),
    (
        2,
        "P2026-002",
        "江北区人民法院数字法庭建设项目",
        "江北区人民法院",
        None,
        "simple-standard",
        "low",
        None,
        3,
        None,
        "presales.contact",
    ),
]


def _canonical(value: object) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def populate(conn) -> int:  # type: ignore[no-untyped-def]
    """Insert the rows into a database at revision 0001; returns the number of audit rows."""
    from sqlalchemy import text

    from techdept.ledger.audit import GENESIS, entry_hash

    sqlite = conn.dialect.name == "sqlite"

    def stamp(at: dt.datetime) -> object:  # SQLAlchemy's own SQLite text form: naive UTC
        return at.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else at

    audit: list[tuple[str, str, str, str, object, object, str | None]] = []
    for i, (sid, code, name, roles) in enumerate(STAFF):
        at = T0 + dt.timedelta(minutes=i)
        conn.execute(
            text("INSERT INTO staff (id, code, name, created_at) VALUES (:i, :c, :n, :t)"),
            {"i": sid, "c": code, "n": name, "t": stamp(at)},
        )
        for role in roles:
            conn.execute(
                text("INSERT INTO staff_role (staff_id, role) VALUES (:i, :r)"),
                {"i": sid, "r": role},
            )
        after = {"code": code, "name": name, "roles": roles}
        audit.append(("os:admin", "staff.add", "staff", code, None, after, None))
    for pid, code, name, cust, fen, cx, diff, risk, sales, signed, stage in PROJECTS:
        conn.execute(
            text(
                "INSERT INTO project (id, code, name, customer, contract_fen, complexity, "
                "difficulty, risk, sales_id, signed_on, stage, adopted_stage, created_at) "
                "VALUES (:id, :code, :name, :cust, :fen, :cx, :diff, :risk, :sales, :signed, "
                ":stage, :stage, :at)"
            ),
            dict(
                id=pid,
                code=code,
                name=name,
                cust=cust,
                fen=fen,
                cx=cx,
                diff=diff,
                risk=risk,
                sales=sales,
                signed=signed,
                stage=stage,
                at=stamp(T0 + dt.timedelta(hours=pid)),
            ),
        )
        after = {"code": code, "name": name, "contract_fen": fen, "stage": stage}
        audit.append(("zhaolei", "project.new", "project", code, None, after, code))
    before = {"code": "P2026-002", "risk": None}
    after = {"code": "P2026-002", "risk": "low"}
    audit.append(("zhaolei", "project.set", "project", "P2026-002", before, after, "P2026-002"))
    prev = GENESIS
    for n, (actor, action, entity, key, before, after, project) in enumerate(audit, 1):
        row = SimpleNamespace(
            at=T0 + dt.timedelta(days=1, minutes=n),
            actor=actor,
            on_behalf_of=None,
            action=action,
            entity=entity,
            entity_key=key,
            project=project,
            before=_canonical(before),
            after=_canonical(after),
        )
        digest = entry_hash(prev, row)  # type: ignore[arg-type]
        conn.execute(
            text(
                "INSERT INTO audit (id, at, actor, on_behalf_of, action, entity, entity_key, "
                "project, before, after, prev_hash, hash) VALUES (:id, :at, :actor, NULL, "
                ":action, :entity, :key, :project, :before, :after, :prev, :hash)"
            ),
            dict(
                id=n,
                at=stamp(row.at),
                actor=actor,
                action=action,
                entity=entity,
                key=key,
                project=project,
                before=row.before,
                after=row.after,
                prev=prev,
                hash=digest,
            ),
        )
        prev = digest
    if not sqlite:  # explicit ids: move the sequences past them
        for table in ("staff", "project", "audit"):
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            )
    return len(audit)


def upgrade_to_0001(conn) -> None:  # type: ignore[no-untyped-def]
    from alembic import command

    from techdept.ledger.migrate import alembic_config

    command.upgrade(alembic_config(conn), "0001")


def main() -> None:
    import sqlite3

    from sqlalchemy import create_engine

    FIXTURE.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{FIXTURE}")
    with engine.begin() as conn:
        upgrade_to_0001(conn)
        populate(conn)
    engine.dispose()
    con = sqlite3.connect(FIXTURE)
    con.execute("PRAGMA journal_mode = DELETE")
    con.execute("VACUUM")
    con.close()
    print(FIXTURE, file=sys.stderr)


if __name__ == "__main__":
    main()
