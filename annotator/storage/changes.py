"""What a long-lived connection (the window's) asks SQLite about other writers.

`data_version` changes when another connection (in this process or another) has
committed a change to the database; the connection's own commits leave it as it was.
Asking costs microseconds and takes no lock, so a window can ask every second.
"""

from __future__ import annotations

from sqlite_utils import Database


def data_version(db: Database) -> int:
    return db.execute("PRAGMA data_version").fetchone()[0]


def lock_wait_ms(db: Database) -> int:
    """How long this connection waits for another's write lock (its busy timeout)."""
    return db.execute("PRAGMA busy_timeout").fetchone()[0]


def set_lock_wait_ms(db: Database, ms: int) -> None:
    """`write_tx` waits this long for the write lock before raising `DatabaseBusy`."""
    db.execute(f"PRAGMA busy_timeout = {max(0, int(ms))}")


def checkpoint_truncate(db: Database) -> tuple[int, int, int]:
    """Copy the whole write-ahead log into the database file and empty the log, through
    SQLite (never by touching the files). (busy, log frames, frames checkpointed); busy
    is 1 when another connection's reader or writer kept it from finishing."""
    return tuple(db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone())
