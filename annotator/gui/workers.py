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
from typing import Any
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

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


class _Relay(QObject):
    """Receives a job's signals in the GUI thread (it lives there, so Qt queues them) and
    hands them to plain callables, which would otherwise run in the worker's thread."""

    def __init__(self, jobs: Jobs, job: Job, finished, failed, progress):
        super().__init__(jobs)
        self.jobs, self.job = jobs, job
        self._finished, self._failed, self._progress = finished, failed, progress
        job.signals.progress.connect(self.on_progress)
        job.signals.finished.connect(self.on_finished)
        job.signals.failed.connect(self.on_failed)

    @Slot(int, int)
    def on_progress(self, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress(done, total)

    @Slot(object)
    def on_finished(self, result) -> None:
        callback = self._finished
        self._let_go()
        if callback is not None:
            callback(result)

    @Slot(str)
    def on_failed(self, message: str) -> None:
        callback = self._failed
        self._let_go()
        if callback is not None:
            callback(message)

    def _let_go(self) -> None:
        """Drop every reference the relay holds once the job has reported. It held its
        `Jobs` and the callbacks (often bound to a window), and its `Jobs` holds it as a Qt
        child: a reference cycle that only Python's cycle collector could free, in whatever
        thread it happened to run, and a QObject of the GUI thread deleted from a worker
        thread crashes Qt later (tests/gui/test_files.py died so about one run in two)."""
        jobs, job = self.jobs, self.job
        self.jobs = self.job = None
        self._finished = self._failed = self._progress = None
        if jobs is not None:
            jobs.done(self, job)


class Jobs(QObject):
    """Starts jobs on a thread pool and keeps them alive until they report."""

    def __init__(self, parent=None, pool: QThreadPool | None = None):
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._running: dict[Job, _Relay] = {}

    def start(self, db_path: Path, fn: JobFn, *,
              finished: Callable[[Any], None] | None = None,
              failed: Callable[[str], None] | None = None,
              progress: Callable[[int, int], None] | None = None) -> Job:
        """The callbacks run in the GUI thread, and are connected before the job runs, so
        a fast job cannot finish unheard."""
        job = Job(db_path, fn)
        self._running[job] = _Relay(self, job, finished, failed, progress)
        self.pool.start(job)
        return job

    def done(self, relay: _Relay, job: Job) -> None:
        self._running.pop(job, None)
        relay.setParent(None)
        relay.deleteLater()

    def cancel_all(self) -> None:
        for job in list(self._running):
            job.cancel()

    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, msecs: int = 30_000) -> bool:
        return self.pool.waitForDone(msecs)
