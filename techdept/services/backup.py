"""``db backup`` and ``db restore``: consistent copies of an SQLite ledger, and putting one back
only when it is sound. PostgreSQL ledgers are dumped and restored with pg_dump/pg_restore."""

from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from techdept.errors import Invalid, NotFound, Refused
from techdept.ledger.migrate import backup_sqlite, free_name, known_revisions

_NEEDED_TABLES = {"alembic_version", "audit", "staff", "project"}


@dataclass(frozen=True)
class BackupDone:
    path: str
    bytes: int
    audit_rows: int
    head: str | None


@dataclass(frozen=True)
class RestoreDone:
    source: str
    ledger: str
    kept: str | None
    audit_rows: int
    head: str | None
    lost: tuple[str, ...] = ()  # what a damaged ledger held that the backup lacks


# What a restore must never silently lose: payout runs, payments (and their voids) and GM
# approvals, each identified by its content, not its id.
_HELD = {
    "payout_run": "SELECT 'payout_run ' || id || ' (' || quarter || ', ' || run_on || ')', "
    "quarter || '|' || run_at || '|' || run_by FROM payout_run",
    "payment": "SELECT 'payment ' || id || ' (' || kind || ', ' || paid_on || ')', "
    "project_id || '|' || kind || '|' || amount_fen || '|' || paid_on || '|' || recorded_at "
    "|| '|' || COALESCE(voided_at, '') FROM payment",
    "assessment_version": "SELECT 'approval ' || assessment_id || ' v' || version || ' (' "
    "|| gm_approved_on || ')', assessment_id || '|' || version || '|' || approved_at "
    "FROM assessment_version",
}


def _held(con: sqlite3.Connection) -> dict[str, str]:
    """Identity → label of every payout run, payment and approval of a ledger file."""
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    out: dict[str, str] = {}
    for table, query in _HELD.items():
        if table in tables:
            out.update({ident: label for label, ident in con.execute(query)})
    return out


def _sound(path: Path) -> bool:
    """Whether an SQLite file opens and passes its integrity check."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60)
        try:
            return [r[0] for r in con.execute("PRAGMA integrity_check")] == ["ok"]
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return False


def _missing(current: Path, stage: Path, sound: bool) -> list[str]:
    """What the current ledger holds that the staged backup lacks (labels, oldest first);
    for a damaged ledger, what could still be read of it."""
    try:
        con = sqlite3.connect(f"file:{current}?mode=ro", uri=True, timeout=60)
        try:
            have = _held(con)
        finally:
            con.close()
    except sqlite3.DatabaseError:
        if sound:
            raise
        return []
    con = sqlite3.connect(stage)
    try:
        backed_up = _held(con)
    finally:
        con.close()
    return [label for ident, label in have.items() if ident not in backed_up]


def _pg_parts(url: str) -> tuple[str, str | None]:
    """(libpq URI without driver or password, schema chosen by search_path, if any)."""
    from sqlalchemy.engine import URL, make_url

    parsed = make_url(url)
    schema = None
    options = parsed.query.get("options")
    for option in options if isinstance(options, tuple) else [options or ""]:
        if "search_path=" in option:
            schema = option.split("search_path=", 1)[1].split(",")[0].strip() or None
    # a host or port given as a parameter (a socket folder, say) is kept, the password never
    kept = {k: v for k, v in parsed.query.items() if k in ("host", "port", "sslmode")}
    plain = URL.create(
        "postgresql",
        parsed.username,
        None,
        parsed.host,
        parsed.port,
        parsed.database,
        query=kept,
    )
    return plain.render_as_string(hide_password=False), schema


def _display(url: str) -> str:
    from techdept.ledger.location import display

    return display(url)


def pg_dump_command(url: str, target: str) -> str:
    uri, schema = _pg_parts(url)
    argv = ["pg_dump", "--format=custom", f"--file={target}"]
    argv += [f"--schema={schema}"] if schema else []
    return shlex.join([*argv, uri])


def pg_restore_command(url: str, source: str) -> str:
    uri, schema = _pg_parts(url)
    argv = ["pg_restore", "--clean", "--if-exists", "--single-transaction", f"--dbname={uri}"]
    argv += [f"--schema={schema}"] if schema else []
    return shlex.join([*argv, source])


def _chain_end(con: sqlite3.Connection) -> tuple[int, str | None]:
    try:
        rows = con.execute("SELECT count(*) FROM audit").fetchone()[0]
        head = con.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    except sqlite3.DatabaseError:
        return 0, None
    return rows, head[0] if head else None


def backup(url: str, ledger_path: Path | None, target: Path) -> BackupDone:
    """Copy the SQLite ledger to ``target`` (new file, 0600) through the backup API: one
    consistent snapshot even while other commands write. PostgreSQL: refused with the
    pg_dump command to use instead."""
    if ledger_path is None:
        if url.startswith("postgres"):
            raise Refused("BackupPostgres", command=pg_dump_command(url, str(target)))
        raise Refused("BackupNotFile", url=_display(url))
    if not ledger_path.is_file():
        raise NotFound("LedgerMissing", path=str(ledger_path))
    if target.exists() or target.is_symlink():
        raise Refused("BackupExists", path=str(target))
    if not target.parent.is_dir():
        raise NotFound("FolderMissing", path=str(target.parent))
    if not _sound(ledger_path):
        raise Refused("BackupDamaged", path=str(ledger_path))
    try:
        backup_sqlite(ledger_path, target)
    except sqlite3.DatabaseError as exc:
        raise Refused("BackupFailed", path=str(ledger_path), reason=str(exc)) from None
    except OSError as exc:
        raise Refused("BackupFailed", path=str(target), reason=exc.strerror or str(exc)) from None
    con = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        rows, head = _chain_end(con)
    finally:
        con.close()
    return BackupDone(str(target), target.stat().st_size, rows, head)


def _inspect(stage: Path, source: Path) -> None:
    """Refuse a copy that is damaged, not a techdept ledger, or newer than this code."""
    from techdept.ledger import schema_label

    con = sqlite3.connect(stage)
    try:
        try:
            problems = [r[0] for r in con.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise Refused("RestoreDamaged", path=str(source), reason=problems[0])
            if con.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise Refused("RestoreDamaged", path=str(source), reason="foreign_key_check")
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
            if not _NEEDED_TABLES.issubset(tables):
                raise Refused("RestoreNotLedger", path=str(source))
            revisions = {r[0] for r in con.execute("SELECT version_num FROM alembic_version")}
        except sqlite3.DatabaseError as exc:
            raise Refused("RestoreDamaged", path=str(source), reason=str(exc)) from None
    finally:
        con.close()
    if not revisions:
        raise Refused("RestoreNotLedger", path=str(source))
    unknown = revisions - known_revisions()
    if unknown:
        raise Refused(
            "RestoreTooNew",
            path=str(source),
            revision="+".join(sorted(unknown)),
            head=schema_label(),
        )


def _keep(ledger_path: Path) -> Path:
    """Copy the current ledger aside before it is replaced: through the backup API when it is
    readable, else byte for byte (with its WAL file)."""
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    kept = free_name(ledger_path.with_name(f"{ledger_path.name}.before-restore-{stamp}.bak"))
    try:
        backup_sqlite(ledger_path, kept)
    except sqlite3.DatabaseError:
        fd = os.open(kept, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as out, open(ledger_path, "rb") as src:
            shutil.copyfileobj(src, out)
        wal = Path(f"{ledger_path}-wal")
        if wal.exists():
            fd = os.open(f"{kept}-wal", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            with os.fdopen(fd, "wb") as out, open(wal, "rb") as src:
                shutil.copyfileobj(src, out)
    return kept


def _readable(path: Path) -> bool:
    try:
        con = sqlite3.connect(path, timeout=60)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            con.close()
        return True
    except sqlite3.DatabaseError:
        return False


def _swap_file(stage: Path, ledger_path: Path) -> None:
    """Put ``stage`` in place by rename (same folder: atomic), dropping a stale WAL first."""
    for suffix in ("-wal", "-shm"):
        Path(f"{ledger_path}{suffix}").unlink(missing_ok=True)
    os.replace(stage, ledger_path)
    folder = os.open(ledger_path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def _copy_into(stage: Path, ledger_path: Path) -> None:
    """Replace a live ledger's content with ``stage`` through the backup API: one transaction
    under the ledger's write lock, safe with its WAL file and with other open connections."""
    src = sqlite3.connect(stage)
    dst = sqlite3.connect(ledger_path, timeout=60)
    try:
        try:
            src.backup(dst)
        except sqlite3.OperationalError:  # a WAL destination with another page size
            dst.execute("PRAGMA journal_mode = DELETE")
            src.backup(dst)
    finally:
        dst.close()
        src.close()


def _stamp_restore(stage: Path, actor_code: str | None, source: Path, lost: list[str]) -> None:
    """Bring the staged copy's schema up to date and append the ``db.restore`` audit row to
    it, before it replaces the ledger: the restore and its audit row land as one step."""
    from techdept.ledger import audit
    from techdept.ledger.engine import Ledger
    from techdept.services import actors

    staged = Ledger.open(f"sqlite:///{stage}", stage)
    try:
        with staged.write() as session:
            try:
                actor = actors.resolve(session, actor_code)
            except NotFound:  # the acting person may not exist in the restored ledger
                actor = actors.resolve(session, None)
            audit.record(
                session,
                actor.code,
                "db.restore",
                "ledger",
                source.name[:120],
                after={"source": str(source), "lost": lost} if lost else {"source": str(source)},
            )
    finally:
        staged.dispose()
    con = sqlite3.connect(stage)  # one file again (no WAL beside it) before it is copied in
    try:
        con.execute("PRAGMA journal_mode = DELETE")
    finally:
        con.close()


def restore(
    url: str, ledger_path: Path | None, source: Path, actor_code: str | None = None
) -> RestoreDone:
    """Put a backup in place of the SQLite ledger: refused unless the backup is sound, and
    refused (nothing changed) when the ledger holds payout runs, payments or approvals the
    backup lacks — unless the ledger is damaged, when those are named as lost. The backup is
    upgraded and its ``db.restore`` audit row written before it replaces the ledger in one
    step; the current ledger is kept as a .bak copy first."""
    if ledger_path is None:
        if url.startswith("postgres"):
            raise Refused("RestorePostgres", command=pg_restore_command(url, str(source)))
        raise Refused("BackupNotFile", url=_display(url))
    if not source.is_file():
        raise NotFound("BackupMissing", path=str(source))
    if ledger_path.exists() and source.resolve() == ledger_path.resolve():
        raise Invalid("RestoreSameFile", path=str(source))
    if not ledger_path.parent.is_dir():
        raise NotFound("FolderMissing", path=str(ledger_path.parent))
    stage = free_name(ledger_path.with_name(f"{ledger_path.name}.restoring"))
    try:
        try:
            backup_sqlite(source, stage)
        except sqlite3.DatabaseError as exc:
            raise Refused("RestoreDamaged", path=str(source), reason=str(exc)) from None
        _inspect(stage, source)
        lost: list[str] = []
        if ledger_path.exists():
            sound = _sound(ledger_path)
            lost = _missing(ledger_path, stage, sound)
            if lost and sound:
                shown = "; ".join(lost[:5]) + (f" … (+{len(lost) - 5})" if len(lost) > 5 else "")
                raise Refused("RestoreWouldLose", path=str(source), count=len(lost), what=shown)
        _stamp_restore(stage, actor_code, source, lost)
        kept = None
        if ledger_path.exists():
            kept = _keep(ledger_path)
        if ledger_path.exists() and _readable(ledger_path):
            _copy_into(stage, ledger_path)
        else:
            _swap_file(stage, ledger_path)
    finally:
        stage.unlink(missing_ok=True)
    con = sqlite3.connect(ledger_path)
    try:
        rows, head = _chain_end(con)
    finally:
        con.close()
    return RestoreDone(
        str(source), str(ledger_path), str(kept) if kept else None, rows, head, tuple(lost)
    )
