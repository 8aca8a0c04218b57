"""Opening a database: integrity, schema version, backups, PRAGMAs, write transactions.

The only module besides the repositories that talks SQL. Every write the program makes
goes through `write_tx`, which takes the write lock up front (BEGIN IMMEDIATE) so that
two processes on one database wait for each other instead of failing half way.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import sqlite3
from pathlib import Path
from typing import Iterator

from sqlite_utils import Database

from .migrations import MIGRATION_SET, migrations

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000


class StorageError(RuntimeError):
    """A database cannot be used as it is; the message says why and what to do."""


def now_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="microseconds")


def open_db(path: str | os.PathLike, *, check: bool = True, migrate: bool = True) -> Database:
    """Open (creating if needed) an annotator database, ready for use.

    A file that is not SQLite, that fails its integrity check, or that was written by a
    newer annotator is refused without being changed. Before a migration changes an
    existing database a backup copy is written beside it.
    """
    p = Path(path)
    existed = p.exists() and p.stat().st_size > 0
    if existed:
        _check_header(p)
    if p.parent and not p.parent.exists():
        p.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(str(p), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
    except sqlite3.Error as e:
        raise StorageError(f"{p}: cannot open database: {e}") from e
    try:
        db = Database(conn, execute_plugins=False)
        _pragmas(db)
        if existed and check:
            _integrity(db, p)
        _check_version(db, p)
        if migrate:
            pending = migrations.pending(db)
            if pending:
                if existed and _has_user_tables(db):
                    backup(db, _backup_path(p, pending[0].name))
                migrations.apply(db)
    except sqlite3.DatabaseError as e:
        conn.close()
        raise StorageError(f"{p}: not a usable annotator database: {e}") from e
    except StorageError:
        conn.close()
        raise
    return db


def _pragmas(db: Database) -> None:
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # WAL lets the window read while the CLI (or a second window) writes.
    db.execute("PRAGMA journal_mode = WAL")
    # FULL: an acknowledged review survives a power cut, not only a killed process.
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA foreign_keys = ON")


def _check_header(p: Path) -> None:
    with open(p, "rb") as f:
        head = f.read(16)
    if head != SQLITE_HEADER:
        raise StorageError(f"{p}: not an SQLite database (refusing to touch it)")


def _integrity(db: Database, p: Path) -> None:
    rows = [r[0] for r in db.execute("PRAGMA quick_check").fetchall()]
    if rows != ["ok"]:
        detail = "; ".join(rows[:3])
        raise StorageError(
            f"{p}: database is damaged ({detail}). Restore a backup (files named "
            f"{p.name}.bak-*) or recover it with the sqlite3 '.recover' command."
        )


def _check_version(db: Database, p: Path) -> None:
    known = {m.name for m in migrations._migrations}
    applied = {m.name for m in migrations.applied(db)}
    newer = sorted(applied - known)
    if newer:
        raise StorageError(
            f"{p}: database was written by a newer version of annotator (schema "
            f"{newer[-1]}); upgrade annotator to open it. It was not changed."
        )


def _has_user_tables(db: Database) -> bool:
    return any(not t.startswith(("sqlite_", "_sqlite")) for t in db.table_names())


def _backup_path(p: Path, migration: str) -> Path:
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return p.with_name(f"{p.name}.bak-{stamp}-before-{migration}")


def backup(db: Database, target: Path) -> Path:
    """A consistent copy through SQLite's online backup API (safe while others write)."""
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
    return target


def schema_version(db: Database) -> str | None:
    applied = migrations.applied(db)
    return applied[-1].name if applied else None


@contextlib.contextmanager
def write_tx(db: Database) -> Iterator[Database]:
    """One write transaction holding the write lock from its first statement.

    Nested use joins the outer transaction (a savepoint), so a service can call another.
    """
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


__all__ = [
    "MIGRATION_SET",
    "StorageError",
    "backup",
    "now_iso",
    "open_db",
    "schema_version",
    "write_tx",
]
