"""Open a ledger: engine, connection pragmas, write transactions, schema check on open.

Nothing here assumes SQLite: SQLite gets its pragmas and ``BEGIN IMMEDIATE``; PostgreSQL
serialises writers with a transaction-scoped advisory lock. Both take the lock up front.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from techdept.errors import LedgerUnavailable
from techdept.ledger.location import display, mask

if TYPE_CHECKING:
    from sqlmodel import Session

BUSY_TIMEOUT_MS = 60_000
FIRST_WAIT_MS = 2_000
PG_WRITE_LOCK = 7_355_608


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": FIRST_WAIT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {FIRST_WAIT_MS}")
        mode = cur.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):  # type: ignore[no-untyped-def]
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        if mode == "IMMEDIATE":
            _begin_immediate(conn)
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def _begin_immediate(conn) -> None:  # type: ignore[no-untyped-def]
    """Take the write lock up front; if another writer holds it, say so and wait."""
    try:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        return
    except OperationalError as exc:
        if not _is_busy(exc):
            raise
    _say_waiting()
    conn.exec_driver_sql(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS - FIRST_WAIT_MS}")
    try:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    except OperationalError as exc:
        if _is_busy(exc):
            raise LedgerUnavailable("LedgerBusy", seconds=BUSY_TIMEOUT_MS // 1000) from None
        raise
    finally:
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {FIRST_WAIT_MS}")


def _is_busy(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "locked" in text or "busy" in text


# Told, with the seconds it will wait at most, when a write waits for another writer. The
# command line (``commands/_common.State``) sets it to say so in the user's language.
on_wait: Callable[[int], None] | None = None


def _say_waiting() -> None:
    if on_wait is not None:
        on_wait(BUSY_TIMEOUT_MS // 1000)


def pg_write_lock(conn) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL: take the transaction-scoped writer lock; after a short try, say that we wait
    (up to BUSY_TIMEOUT_MS) instead of failing."""
    try_lock = text("SELECT pg_try_advisory_xact_lock(:k)")
    deadline = time.monotonic() + FIRST_WAIT_MS / 1000
    while True:
        if conn.execute(try_lock, {"k": PG_WRITE_LOCK}).scalar():
            return
        if time.monotonic() >= deadline:
            break
        time.sleep(0.05)
    _say_waiting()
    conn.execute(text(f"SET LOCAL lock_timeout = '{BUSY_TIMEOUT_MS - FIRST_WAIT_MS}ms'"))
    try:
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_WRITE_LOCK})
    except OperationalError as exc:
        if "lock timeout" in str(exc.orig).lower():
            raise LedgerUnavailable("LedgerBusy", seconds=BUSY_TIMEOUT_MS // 1000) from None
        raise
    conn.execute(text("SET LOCAL lock_timeout = 0"))


def _create_file(path: Path) -> None:
    """Create an SQLite ledger file with mode 0600 (WAL and SHM files inherit it)."""
    if path.exists():
        return
    if not path.parent.exists():
        raise LedgerUnavailable("LedgerNoFolder", path=str(path.parent))
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except FileExistsError:
        pass
    except OSError as exc:
        raise LedgerUnavailable("LedgerCannotOpen", url=str(path), reason=exc.strerror) from None


def sqlite_file_kind(path: Path) -> str:
    """What is at ``path``, read without changing a byte: ``missing``, ``empty`` (an SQLite
    file without tables, or zero bytes), ``ledger`` (it has techdept's schema table),
    ``foreign`` (another program's SQLite database). A file that is not SQLite at all, or a
    damaged one, cannot be opened (exit 3) and is left as it is."""
    import sqlite3

    if not path.exists():
        return "missing"
    if path.stat().st_size == 0:
        return "empty"
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise LedgerUnavailable("LedgerCannotOpen", url=str(path), reason=str(exc)) from None
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise LedgerUnavailable("LedgerCannotOpen", url=str(path), reason=str(exc)) from None
    finally:
        con.close()
    if not tables:
        return "empty"
    if {"alembic_version", "audit"} <= tables:
        return "ledger"
    return "foreign"


class Ledger:
    """An open ledger. Use ``write()`` for changes and ``read()`` for queries."""

    def __init__(self, url: str, path: Path | None) -> None:
        self.url = url
        self.path = path
        self.dialect = url.split(":", 1)[0].split("+", 1)[0]
        self.engine: Engine
        self._batch: Session | None = None

    @classmethod
    def open(
        cls,
        url: str,
        path: Path | None,
        *,
        create_default_dir: bool = False,
        create: bool = True,
    ) -> Ledger:
        """Open and bring the schema up to date. Only with ``create`` (``techdept init``) is a
        new ledger made where none exists; otherwise a missing ledger is refused (exit 3) and
        nothing is created. A database that is not a techdept ledger is always refused,
        untouched."""
        ledger = cls(url, path)
        if path is not None:
            if path.exists() and not path.is_file():  # a folder, a device, a pipe
                raise LedgerUnavailable("LedgerNotAFile", path=str(path))
            kind = sqlite_file_kind(path)
            if kind == "foreign":
                raise LedgerUnavailable("LedgerForeign", path=str(path))
            if kind in ("missing", "empty") and not create:
                raise LedgerUnavailable("LedgerMissing", path=str(path))
            if create_default_dir:
                path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            _create_file(path)
        try:
            if ledger.dialect == "sqlite":
                ledger.engine = _sqlite_engine(url)
            else:
                ledger.engine = create_engine(url, pool_pre_ping=False)
        except Exception as exc:  # bad URL, missing driver
            raise LedgerUnavailable(
                "LedgerCannotOpen", url=display(url), reason=mask(_reason(exc), url)
            ) from None
        from techdept.ledger.migrate import ensure_schema

        with ledger.translate_errors():
            ensure_schema(ledger, create=create)
        return ledger

    @contextmanager
    def translate_errors(self) -> Iterator[None]:
        """Database failures become LedgerUnavailable (exit 3) with one readable line."""
        try:
            yield
        except (OperationalError, DBAPIError) as exc:
            raise LedgerUnavailable(
                "LedgerCannotOpen", url=display(self.url), reason=mask(_reason(exc), self.url)
            ) from None
        except SQLAlchemyError as exc:
            raise LedgerUnavailable(
                "LedgerCannotOpen", url=display(self.url), reason=mask(_reason(exc), self.url)
            ) from None

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction that holds the ledger's write lock from its first statement.
        Inside ``batch()`` it is a savepoint of the batch's transaction instead."""
        from sqlmodel import Session

        if self._batch is not None:
            with self.translate_errors(), self._batch.begin_nested():
                yield self._batch
            return
        with self.translate_errors():
            engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")
            with Session(engine, expire_on_commit=False) as session, session.begin():
                if self.dialect == "postgresql":
                    pg_write_lock(session.connection())
                else:
                    session.connection()
                yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (a consistent snapshot on SQLite WAL)."""
        from sqlmodel import Session

        if self._batch is not None:
            yield self._batch
            return
        with (
            self.translate_errors(),
            Session(self.engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A read-only SQLAlchemy Core connection, for reads that need no ORM (and so never
        import SQLModel): one consistent snapshot. Inside ``batch()`` it is the batch's own
        connection, which sees what the batch wrote."""
        if self._batch is not None:
            with self.translate_errors():
                yield self._batch.connection()
            return
        with self.translate_errors(), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def change(self) -> Iterator[Connection]:
        """A write transaction on a Core connection, for changes made through the Core tables
        (``ledger.tables``) without the ORM: the same write lock from the first statement as
        ``write()``, committed at the end, rolled back on any error. Inside ``batch()`` it is
        a savepoint of the batch's transaction."""
        if self._batch is not None:
            with self.translate_errors(), self._batch.begin_nested():
                yield self._batch.connection()
            return
        with self.translate_errors():
            engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")
            with engine.connect() as conn, conn.begin():
                if self.dialect == "postgresql":
                    pg_write_lock(conn)
                yield conn

    @contextmanager
    def batch(self, *, commit: Callable[[], bool]) -> Iterator[Session]:
        """One write transaction for many service calls (an import): every ``write()`` inside
        is a savepoint of it (a refused call undoes only itself) and ``read()`` sees what the
        batch wrote. At the end the whole batch is committed if ``commit()`` says so, else
        rolled back: all rows or none."""
        from sqlmodel import Session

        with self.translate_errors():
            engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")
            with Session(engine, expire_on_commit=False) as session:
                session.begin()
                try:
                    if self.dialect == "postgresql":
                        pg_write_lock(session.connection())
                    else:
                        session.connection()
                    self._batch = session
                    yield session
                    self._batch = None
                    if commit():
                        session.commit()
                    else:
                        session.rollback()
                except BaseException:
                    self._batch = None
                    session.rollback()
                    raise

    def dispose(self) -> None:
        self.engine.dispose()


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return " ".join(str(orig).split())[:200]
