"""Opening a database: integrity, schema version, backups, PRAGMAs, write transactions.

The only module besides the repositories that talks SQL. Every write the program makes
goes through `write_tx`, which takes the write lock up front (BEGIN IMMEDIATE) so that
two processes on one database wait for each other instead of failing half way; if the
other one holds the lock longer than the busy timeout, the caller gets `DatabaseBusy`
with a message for the user, and nothing was written.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import secrets
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable, Iterator

from sqlite_utils import Database

from .clock import now_iso  # noqa: F401 - where callers have long found it
from .errors import DatabaseBusy, StorageError, WriteFailed
from .migrations import MIGRATION_SET, migrations

BUSY_TIMEOUT_MS = 10_000
# Seconds to wait for another process's write lock; a shared network drive may need more.
BUSY_TIMEOUT_ENV = "ANNOTATOR_BUSY_TIMEOUT"


def open_db(path: str | os.PathLike, *, check: bool = True, migrate: bool = True,
            on_upgrade: Callable[[Path, list[str], Path], None] | None = None,
            create_folder: bool = False) -> Database:
    """Open (creating if needed) an annotator database, ready for use.

    A file that is not SQLite, an SQLite database of another program, one that fails its
    integrity check, or one written by a newer annotator is refused without being
    changed. Before a migration changes an existing database a backup copy is written
    beside it; `on_upgrade(path, migration names, backup path)` is called first
    (renaming the ids of 100,000 articles takes about a minute). A missing folder is an
    error unless `create_folder` (the per-user default location): a mistyped --db
    should not leave folders behind.

    Nothing here reads the file other than through SQLite: closing any descriptor of a
    database file drops every POSIX lock this process holds on it, SQLite's included,
    and another process then deletes the write-ahead log under our open connections.
    """
    p = Path(path)
    if p.is_dir():
        raise StorageError(f"{p}: is a folder, not a database file")
    existed = p.exists() and p.stat().st_size > 0  # stat takes no lock and drops none
    folder = p.parent
    if not folder.exists():
        if not create_folder:
            raise StorageError(f"{p}: the folder {folder} does not exist; create it first "
                               "or choose another database file")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StorageError(f"{p}: cannot create the folder {folder}: "
                               f"{e.strerror or e}") from e
    timeout_ms = busy_timeout_ms()
    try:
        conn = sqlite3.connect(str(p), timeout=timeout_ms / 1000, isolation_level=None,
                               check_same_thread=False)
    except sqlite3.Error as e:
        raise StorageError(f"{p}: cannot open database: {e}") from e
    try:
        db = Database(conn, execute_plugins=False)
        db.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        if existed:
            # Only questions before anything that writes (the journal mode does): a
            # database we refuse is left exactly as it was.
            _check_sqlite(db, p)
            _check_ours(db, p)
            if check:
                check_integrity(db, p)
            check_version(db, p)
        _pragmas(db)
        if migrate:
            _migrate(db, p, existed, on_upgrade)
    except sqlite3.DatabaseError as e:
        conn.close()
        raise (write_failure(p, e) or StorageError(
            f"{p}: not a usable annotator database: {e}")) from e
    except StorageError:
        conn.close()
        raise
    return db


def busy_timeout_ms() -> int:
    raw = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    try:
        seconds = float(raw) if raw else BUSY_TIMEOUT_MS / 1000
    except ValueError:
        seconds = BUSY_TIMEOUT_MS / 1000
    return max(0, int(seconds * 1000))


def _pragmas(db: Database) -> None:
    # WAL lets the window read while the CLI (or a second window) writes.
    db.execute("PRAGMA journal_mode = WAL")
    # FULL: an acknowledged review survives a power cut, not only a killed process.
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA foreign_keys = ON")


def _check_sqlite(db: Database, p: Path) -> None:
    """Refuse a file that is not SQLite, asking SQLite (which reads the header and
    writes nothing when it is wrong) rather than reading the file ourselves."""
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as e:
        if _code(e) == sqlite3.SQLITE_NOTADB:
            raise StorageError(f"{p}: not an SQLite database (refusing to touch it)") from e
        raise StorageError(f"{p}: cannot read the database: {e}") from e


def check_opened(conn: sqlite3.Connection, p: Path) -> None:
    """The checks of `open_db` that come before any write, for a connection opened
    elsewhere (a database to merge from, opened read-only)."""
    db = Database(conn, execute_plugins=False)
    _check_sqlite(db, p)
    _check_ours(db, p)


def _check_ours(db: Database, p: Path) -> None:
    """An SQLite file with tables of its own and no annotator migrations belongs to
    another program: it is refused, not given annotator's tables and switched to WAL."""
    if migrations.applied(db) or not _has_user_tables(db):
        return
    tables = sorted(t for t in db.table_names() if not t.startswith(("sqlite_", "_sqlite")))
    shown = ", ".join(tables[:5]) + (f" and {len(tables) - 5} more" if len(tables) > 5 else "")
    raise StorageError(
        f"{p}: an SQLite database of another program (tables: {shown}), not an annotator "
        "database; it was not changed. Choose another file for annotator's database.")


def check_integrity(db: Database, p: Path) -> None:
    rows = [r[0] for r in db.execute("PRAGMA quick_check").fetchall()]
    if rows != ["ok"]:
        detail = "; ".join(" ".join(str(r).split()) for r in rows[:3])  # one line
        raise StorageError(
            f"{p}: database is damaged ({detail}). Restore a backup (files named "
            f"{p.name}.bak-*) or recover it with the sqlite3 '.recover' command."
        )


def check_version(db: Database, p: Path) -> None:
    known = {m.name for m in migrations._migrations}
    applied = {m.name for m in migrations.applied(db)}
    newer = sorted(applied - known)
    if newer:
        raise StorageError(
            f"{p}: database was written by a newer version of annotator (schema "
            f"{newer[-1]}); upgrade annotator to open it. It was not changed."
        )


def _migrate(db: Database, p: Path, existed: bool, on_upgrade=None) -> None:
    """Apply pending migrations under the write lock: when two processes open a new
    database at once, one migrates and the other waits, then finds nothing left to do
    (checking first and locking after, both would create the same tables)."""
    if not migrations.pending(db):
        return
    # Migrations rewrite tables and keys (0006 renames every claim and figure id), which
    # SQLite's enforcement would check row by row against children that are not indexed
    # by their parent: it is off while they run, and the references are checked once
    # before the commit instead. It cannot be switched inside a transaction.
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        with write_tx(db):
            pending = migrations.pending(db)
            if not pending:
                return
            existing = existed and _has_user_tables(db)
            if existing:
                target = _backup_path(p, pending[0].name)
                if on_upgrade is not None:
                    on_upgrade(p, [m.name for m in pending], target)
                # through a second connection: this one holds the write lock, and the
                # online backup of a connection inside its own write transaction never
                # finishes
                source = sqlite3.connect(str(p), timeout=busy_timeout_ms() / 1000)
                try:
                    backup(Database(source), target)
                finally:
                    source.close()
            broken = _broken_references(db) if existing else 0
            migrations.apply(db)  # each migration a savepoint inside this transaction
            if existing and _broken_references(db) > broken:
                raise StorageError(
                    f"{p}: migrating to {pending[-1].name} would break references between "
                    "tables; nothing was changed (a backup copy is beside it)")
    finally:
        db.execute("PRAGMA foreign_keys = ON")


def _broken_references(db: Database) -> int:
    return len(db.execute("PRAGMA foreign_key_check").fetchall())


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


@dataclass
class Snapshot:
    path: Path
    articles: int
    events: int
    size: int


def snapshot(db: Database, target: str | os.PathLike, *, replace: bool = False) -> Snapshot:
    """Write a self-contained copy of the database as it is now, for sending to a lead.

    A reviewer's latest decisions may sit in the -wal file, so copying only the .db file
    loses them; and copying the files by hand in a process that has the database open
    drops its locks. SQLite writes the copy (VACUUM INTO, one consistent read that
    does not block writers) to a temporary name beside the target; the copy is checked
    and switched to a rollback journal, so the one file is all there is to send, and
    only then renamed into place: a failure leaves no partial file."""
    target = Path(target)
    mine = Path(database_path(db))
    if _same_database_file(mine, target):
        raise StorageError(f"{target}: that is the database itself; choose another file")
    if target.is_dir():
        raise StorageError(f"{target}: is a folder; give a file name for the copy")
    if target.exists() and not replace:
        raise StorageError(f"{target}: exists; choose another name (or replace it with --force)")
    if not target.parent.exists():
        raise StorageError(f"{target}: the folder {target.parent} does not exist")
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.partial")
    try:
        db.execute("VACUUM INTO ?", [str(tmp)])
        # checked through this connection (ATTACH), so no other handle on the copy exists
        # when it is renamed
        db.execute("ATTACH DATABASE ? AS copy", [str(tmp)])
        try:
            check = db.execute("PRAGMA copy.quick_check").fetchone()[0]
            if check != "ok":
                raise StorageError(f"{target}: the copy failed its check ({check})")
            db.execute("PRAGMA copy.journal_mode = DELETE")
            articles = db.execute("SELECT COUNT(*) FROM copy.articles").fetchone()[0]
            events = db.execute("SELECT COUNT(*) FROM copy.events").fetchone()[0]
        finally:
            db.execute("DETACH DATABASE copy")
        os.replace(tmp, target)
        _fsync_folder(target.parent)
    except sqlite3.Error as e:
        raise (write_failure(target, e) or StorageError(f"{target}: cannot write the copy: {e}")) from e
    except OSError as e:
        raise StorageError(f"{target}: cannot write the copy: {e.strerror or e}") from e
    finally:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()
    return Snapshot(target, articles, events, target.stat().st_size)


def is_database_file(db: Database, path: str | os.PathLike) -> bool:
    """Whether writing `path` would replace this database or one of its companion files
    (an export given the database's own name): the open connection would go on writing
    to a file no longer in the folder, and everything in it would be lost."""
    return _same_database_file(Path(database_path(db)), Path(path))


def _same_database_file(db_file: Path, other: Path) -> bool:
    """Whether `other` is the database file or one of its companions (-wal, -shm,
    -journal), compared by resolved path and, when both exist, by inode."""
    resolved = os.path.realpath(other)
    names = {os.path.realpath(f"{db_file}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")}
    if resolved in names:
        return True
    with contextlib.suppress(OSError):
        return other.exists() and db_file.exists() and os.path.samefile(db_file, other)
    return False


def _fsync_folder(folder: Path) -> None:
    """Make a rename durable (the folder's entry), where the platform allows it."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


BULK_CACHE_KIB = 64 * 1024


@contextlib.contextmanager
def bulk_writes(db: Database, *, check_references: bool = True) -> Iterator[Database]:
    """For work that can simply be run again (importing, rebuilding an index): commits
    need survive a crash but not a power cut, so they skip the fsync; a larger page cache
    and fewer, larger checkpoints keep scattered index updates off the disk. Review
    decisions never run inside this.

    `check_references=False` switches SQLite's foreign-key enforcement off for writers
    that build every reference themselves from rows they just wrote (the import: an
    article's claims, its figures, its copies' links). Enforcement cost a 10,000-article
    import a sixth of its time, mostly in the duplicate_of updates. It cannot be switched
    inside a transaction, so this must be entered outside one."""
    saved = {name: db.execute(f"PRAGMA {name}").fetchone()[0]
             for name in ("synchronous", "cache_size", "wal_autocheckpoint", "foreign_keys")}
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    db.execute("PRAGMA wal_autocheckpoint = 20000")
    if not check_references:
        if db.conn.in_transaction:
            raise RuntimeError("bulk_writes(check_references=False) inside a transaction")
        db.execute("PRAGMA foreign_keys = OFF")
    try:
        yield db
    finally:
        for name, value in saved.items():
            db.execute(f"PRAGMA {name} = {value}")


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
    try:
        _begin_immediate(db)
    except sqlite3.DatabaseError as e:
        raise (write_failure(database_path(db), e) or e) from e
    try:
        yield db
        conn.execute("COMMIT")
    except BaseException as e:
        _rollback(conn)
        failure = write_failure(database_path(db), e) if isinstance(e, sqlite3.Error) else None
        if failure is not None:
            raise failure from e
        raise


def _rollback(conn: sqlite3.Connection) -> None:
    """Roll back what is open; SQLite may already have rolled it back itself (a full
    disk, an I/O error), and a failing rollback must not hide the error that caused it."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def _code(e: sqlite3.Error) -> int | None:
    code = getattr(e, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


_WRITE_FAILURES = {
    sqlite3.SQLITE_READONLY: "the database cannot be written here (the file, its folder or "
                             "the disk is read-only)",
    sqlite3.SQLITE_FULL: "the disk is full",
    sqlite3.SQLITE_IOERR: "the disk reported an input/output error (is it full, failing, "
                          "or is the file at a size limit?)",
    sqlite3.SQLITE_CANTOPEN: "the database's files cannot be opened or created (is its "
                             "folder writable?)",
    sqlite3.SQLITE_PERM: "the system denied access to the database",
}


def write_failure(path, e: BaseException) -> WriteFailed | None:
    """The user's message for an error the disk or the file system caused, or None for
    anything else (which is then a bug to see, not a message to hide it behind)."""
    if not isinstance(e, sqlite3.Error):
        return None
    reason = _WRITE_FAILURES.get(_code(e))
    if reason is None:
        return None
    return WriteFailed(f"{path or 'the database'}: {reason}; the change was not saved "
                       f"(everything saved before it is safe). SQLite said: {e}")


def database_path(db: Database) -> str:
    """The file a connection has open, for messages ("the database" when it has none)."""
    try:
        return db.execute("PRAGMA database_list").fetchone()[2] or "the database"
    except sqlite3.Error:
        return "the database"


class GroupedCommits:
    """Several batches of writes committed as one transaction, at most every `seconds`.

    For bulk work that can simply be run again (an import: identity is the text). Each
    commit writes every page it dirtied to the WAL once, and an import's batches touch the
    same index pages over and over (ids are hashes, so every batch lands all over the
    B-trees): committing 25 articles at a time wrote most of those pages hundreds of
    times. The batches are not savepoints: a savepoint first copies every page it is
    about to change to a sub-journal, and those copies were a fifth of an import's
    storing time and most of its writes. So a failure while storing rolls back the
    whole group in progress (at most the last `seconds` of stored work, as a crash
    would), never leaves part of a batch, and keeps the groups committed before it.
    The write lock is held between commits; after each commit the next group does not
    start for `gap` seconds, so that another writer waiting for the lock (a reviewer's
    decision, a second import) gets it: a group that began again at once kept such a
    writer waiting for seconds and sometimes past its timeout. Our writers try the lock
    every few milliseconds (`_begin_immediate`), so a gap of a few tens of milliseconds
    is enough; the gap is time the storing process does nothing, which at 100,000
    articles, where storing is the slower half of an import, is time the import loses.
    """

    def __init__(self, db: Database, seconds: float, gap: float = 0.0):
        self.db = db
        self.seconds = seconds
        self.gap = gap
        self._since: float | None = None
        self._committed_at = float("-inf")

    def begin(self) -> None:
        """Open the group's transaction if none is open (before a batch is stored)."""
        if self._since is None:
            wait = self._committed_at + self.gap - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                _begin_immediate(self.db)
            except sqlite3.DatabaseError as e:
                raise (write_failure(database_path(self.db), e) or e) from e
            self._since = time.monotonic()

    def tick(self) -> None:
        """After a batch: commit once the group is old enough."""
        if self._since is not None and time.monotonic() - self._since >= self.seconds:
            self.commit()

    def commit(self) -> None:
        if self._since is not None:
            self._since = None
            if self.db.conn.in_transaction:
                try:
                    self.db.conn.execute("COMMIT")
                except sqlite3.Error as e:
                    _rollback(self.db.conn)
                    raise (write_failure(database_path(self.db), e) or e) from e
            self._committed_at = time.monotonic()

    def rollback(self) -> None:
        if self._since is not None:
            self._since = None
            _rollback(self.db.conn)

    def __enter__(self) -> GroupedCommits:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        """Commit what the group holds; after a failure, roll it back (a batch may be
        half stored)."""
        if exc_type is not None:
            self.rollback()
            return
        try:
            self.commit()
        except sqlite3.Error:
            self.rollback()
            raise


# How often a writer waiting for the lock tries again (see _begin_immediate).
LOCK_POLL_SECONDS = 0.004


def _begin_immediate(db: Database) -> None:
    """BEGIN IMMEDIATE, waiting up to the connection's busy timeout for the write lock.

    The lock is tried every LOCK_POLL_SECONDS instead of through SQLite's busy handler,
    which sleeps longer and longer between its tries (100 ms each once it has waited a
    third of a second): a writer that polls gets in during the short pause a bulk writer
    leaves after each commit (GroupedCommits' gap), so that pause can be short and costs
    the bulk writer little."""
    conn = db.conn
    timeout_ms = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    deadline = time.monotonic() + timeout_ms / 1000
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as e:
                if not _is_busy(e):
                    raise
                if time.monotonic() >= deadline:
                    raise DatabaseBusy(_busy_message(db, timeout_ms)) from e
            time.sleep(LOCK_POLL_SECONDS)
    finally:
        conn.execute(f"PRAGMA busy_timeout = {timeout_ms}")


def _is_busy(e: sqlite3.OperationalError) -> bool:
    code = _code(e)
    if code is not None:
        return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(e) or "busy" in str(e)


def _busy_message(db: Database, timeout_ms: int) -> str:
    path = database_path(db)
    seconds = timeout_ms / 1000
    return (f"{path}: the database is busy: another annotator window or command has been "
            f"writing to it for more than {seconds:g} s. Nothing was changed; try again when "
            f"it has finished (or set {BUSY_TIMEOUT_ENV} to wait longer).")


__all__ = [
    "MIGRATION_SET",
    "DatabaseBusy",
    "GroupedCommits",
    "Snapshot",
    "StorageError",
    "WriteFailed",
    "backup",
    "check_opened",
    "database_path",
    "is_database_file",
    "busy_timeout_ms",
    "now_iso",
    "open_db",
    "schema_version",
    "snapshot",
    "write_failure",
    "write_tx",
]


# --- checking a database against itself, and reading it as of one moment -------------------

def integrity_report(db: Database, limit: int) -> list[str]:
    """SQLite's full integrity check (pages, records, and that every index holds what its
    table does): ["ok"], or up to `limit` rows of problems."""
    return [r[0] for r in db.execute(f"PRAGMA integrity_check({int(limit)})").fetchall()]


@dataclass(frozen=True)
class BrokenReference:
    table: str
    rowid: int
    parent: str


def broken_references(db: Database) -> list[BrokenReference]:
    """Rows that refer to a row of another table that does not exist."""
    return [BrokenReference(table, rowid, parent)
            for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check").fetchall()]


@contextlib.contextmanager
def read_snapshot(db: Database) -> Iterator[None]:
    """One read transaction: everything read inside sees the same data (joins the
    transaction the connection is already in)."""
    conn = db.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


def open_read_only(path: str | os.PathLike, *, lenient_text: bool = False) -> Database:
    """Another database, read-only through SQLite: nothing, not even the journal mode, is
    written to the file. Raises sqlite3.Error when SQLite cannot open it.

    With `lenient_text`, text that is not UTF-8 (a damaged byte in an article) is read
    with the bad bytes kept as surrogates, so a check finds it failing its article's hash
    and reports it against the article, instead of stopping with an error that names no
    row."""
    conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True,
                           check_same_thread=False)
    if lenient_text:
        conn.text_factory = _lenient_text
    return Database(conn, execute_plugins=False)


def _lenient_text(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def scratch_settings(db: Database) -> None:
    """A throw-away database filled to be merged from: rows arrive in any order and may
    name rows of the other side (the merge checks references against both), and a crash
    loses nothing worth keeping."""
    db.execute("PRAGMA foreign_keys = OFF")
    db.execute("PRAGMA synchronous = OFF")


def self_contained(db: Database) -> None:
    """Leave write-ahead logging: the file alone holds everything (one file to merge
    from)."""
    db.execute("PRAGMA journal_mode = DELETE")
