"""A guard against the one way a process corrupts its own SQLite database: opening the
database file (or its -wal, -shm or -journal file) other than through SQLite.

POSIX locks belong to a process and a file, not to a descriptor: closing any descriptor of
the file drops every lock the process holds on it, SQLite's included. Another process
then believes it is the database's last user, checkpoints and deletes the write-ahead log
under our open connection, and what we write after that is lost or corrupts the file
(sqlite.org, "How To Corrupt An SQLite Database File", 2.2). A header check with `open()`,
a size check that reads, a hash of the file or a `shutil.copy` for a backup all do it.

The guard is an audit hook (PEP 578). It learns every database this process connects to
from the `sqlite3.connect` events and watches `open`, `os.rename`/`os.replace`,
`os.remove` and `os.truncate` on those paths:

- from anywhere, while a connection to that database is open in this process;
- from the annotator package, for any database this process has connected to (product
  code cannot know whether some other part of the process holds a connection).

Each such event is recorded and refused (the call raises `DatabaseFileOpened`). The test
suite installs it for every test and fails a test that triggered it (tests/conftest.py);
child processes of the reliability tests install it with `python -m tests.guarded`, and
write what they caught to the file named by $ANNOTATOR_DBGUARD_LOG.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

LOG_ENV = "ANNOTATOR_DBGUARD_LOG"
SUFFIXES = ("-wal", "-shm", "-journal")
_PACKAGE = str(Path(__file__).resolve().parents[1] / "annotator") + os.sep
_WATCHED = {"open": 0, "os.rename": 1, "os.remove": 0, "os.truncate": 0}


class DatabaseFileOpened(OSError):
    """A database file was about to be opened, replaced or removed outside SQLite."""


class _State:
    def __init__(self) -> None:
        self.ever: set[str] = set()  # every database path connected to
        self.violations: list[str] = []
        self.local = threading.local()


_state: _State | None = None


def install() -> None:
    """Install the hook once per process (audit hooks cannot be removed)."""
    global _state
    if _state is not None:
        return
    _state = _State()
    sys.addaudithook(_hook)


def violations() -> list[str]:
    return list(_state.violations) if _state is not None else []


def clear() -> None:
    if _state is not None:
        _state.violations.clear()


def _database_path(database) -> str | None:
    if isinstance(database, bytes):
        database = os.fsdecode(database)
    if not isinstance(database, (str, os.PathLike)):
        return None
    text = os.fspath(database)
    if text.startswith("file:"):
        parsed = urlparse(text)
        text = unquote(parsed.path)
        if "mode=memory" in parsed.query:
            return None
    if not text or text == ":memory:":
        return None
    return os.path.realpath(text)


def _target(path) -> str | None:
    if isinstance(path, int):
        return None  # an open descriptor: whatever opened it was seen already
    try:
        text = os.path.realpath(os.fsdecode(os.fspath(path)))
    except (TypeError, ValueError):
        return None
    for suffix in SUFFIXES:
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text


def _held(target: str) -> bool:
    """Whether this process has the database file open (an SQLite connection keeps a
    descriptor of it); where /proc is missing, assume it has."""
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:
        return True
    for fd in fds:
        try:
            if os.readlink(f"/proc/self/fd/{fd}") == target:
                return True
        except OSError:
            continue
    return False


def _from_package() -> str | None:
    """The first frame of annotator's own code on the stack, if any."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(_PACKAGE):
            return f"{name[len(_PACKAGE) - len('annotator/'):]}:{frame.f_lineno}"
        frame = frame.f_back
    return None


def _hook(event: str, args: tuple) -> None:
    state = _state
    if state is None or getattr(state.local, "busy", False):
        return
    if event == "sqlite3.connect":
        path = _database_path(args[0]) if args else None
        if path is not None:
            state.ever.add(path)
        return
    index = _WATCHED.get(event)
    if index is None or len(args) <= index or not state.ever:
        return
    state.local.busy = True
    try:
        target = _target(args[index])
        if target is None or target not in state.ever:
            return
        where = _from_package()
        if where is None and not _held(target):
            return
        message = (f"{event} of {args[index]!r} outside SQLite"
                   f"{' at ' + where if where else ''} while this process may hold a "
                   "connection to it")
        state.violations.append(message)
        _log(message)
    finally:
        state.local.busy = False
    raise DatabaseFileOpened(message)


def _log(message: str) -> None:
    path = os.environ.get(LOG_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(message + "\n")
