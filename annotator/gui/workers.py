"""Long work (import, export, search) off the GUI thread.

A job is an ordinary core function `fn(db, progress, cancelled)`; the worker gives it a
database connection of its own (SQLite connections are not shared across threads) and
reports back only through signals, which Qt delivers in the GUI thread. A worker never
touches a widget.
"""

from __future__ import annotations

import threading
import traceback
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from annotator.storage.db import open_db

JobFn = Callable[[Any, Callable[[int, int], None], Callable[[], bool]], Any]


class JobSignals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)


class Job(QRunnable):
    def __init__(self, db_path: Path, fn: JobFn):
        super().__init__()
        self.setAutoDelete(False)  # Python owns it; `Jobs` drops it once it has reported
        self.db_path = Path(db_path)
        self.fn = fn
        self.signals = JobSignals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        db = None
        try:
            db = open_db(self.db_path, check=False, migrate=False)
            result = self.fn(db, self.signals.progress.emit, self._cancel.is_set)
        except Exception as e:  # reported to the window, which shows it
            traceback.print_exc()
            self.signals.failed.emit(f"{type(e).__name__}: {e}")
        else:
            self.signals.finished.emit(result)
        finally:
            if db is not None:
                db.close()


class Jobs(QObject):
    """Starts jobs on a thread pool and keeps them alive until they report."""

    def __init__(self, parent=None, pool: QThreadPool | None = None):
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._running: set[Job] = set()

    def start(self, db_path: Path, fn: JobFn) -> Job:
        job = Job(db_path, fn)
        self._running.add(job)
        job.signals.finished.connect(lambda _r, j=job: self._running.discard(j))
        job.signals.failed.connect(lambda _m, j=job: self._running.discard(j))
        self.pool.start(job)
        return job

    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, msecs: int = 30_000) -> bool:
        return self.pool.waitForDone(msecs)
