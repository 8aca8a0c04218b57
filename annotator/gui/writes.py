"""Writing the reviewer's decisions without ever freezing the window on a lock.

Another program (an import, `annotator review --batch`, a merge) may hold the database's
write lock for seconds. The window's own connection waits only LOCK_WAIT_MS for it, on
the GUI thread; a decision refused because of the lock is kept, in order, as not saved:
the save label says so (never "All changes saved" meanwhile), the cursor goes on, and
the decisions that follow join the queue behind it without waiting at all. A worker
with a connection of its own then waits for the lock as a command would (the busy
timeout, trying every few milliseconds) and writes the queue in order, again and again
after RETRY_MS until it gets in; each decision written is shown as done only then.
Nothing is entered twice: the queue holds the calls themselves.

A decision the services refuse (a signed-off dataset, nothing to undo) is not kept: the
status line says why, as before.
"""

from __future__ import annotations

import enum
import sqlite3
import threading
from dataclasses import dataclass, field
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.gui.workers import Jobs
from annotator.services.common import Changes, ReviewError
from annotator.storage import changes as db_changes
from annotator.storage.db import DatabaseBusy, busy_timeout_ms, write_tx

LOCK_WAIT_MS = 150   # a keypress waits at most this long for another program's lock
RETRY_MS = 1000      # after a worker gave up waiting (the busy timeout), try again

Perform = Callable[[object], Changes]  # fn(db) -> Changes: run on whichever connection


class Outcome(enum.Enum):
    SAVED = "saved"
    WAITING = "waiting"    # kept, not saved yet: the database is locked
    REFUSED = "refused"    # not kept: the service refused it, or it failed


@dataclass
class Pending:
    label: str
    perform: Perform
    reveal: bool = False
    done: Callable[[Changes], None] | None = None
    target: str | None = None  # the figure or claim it is about (to go back to it)
    # Undo may take a waiting decision back while a worker waits to write it: the worker
    # looks, under `guard`, once it holds the write lock and before it writes.
    cancelled: bool = False
    started: bool = False
    guard: threading.Lock = field(default_factory=threading.Lock)


_CANCELLED = object()


class _Busy:
    def __init__(self, message: str):
        self.message = message


@dataclass
class _Attempt:
    """One try at writing a decision; its answer is read once (a later signal of a try
    already read, or of an older try, is ignored)."""
    item: Pending
    result: object = None  # Changes, _Busy, _CANCELLED or an exception; set by the try
    answered: threading.Event = field(default_factory=threading.Event)

    def run(self, db, _progress=None, _cancelled=None):
        item = self.item
        try:
            with write_tx(db):  # the lock first; the service's own transaction joins it
                with item.guard:
                    if item.cancelled:
                        self.result = _CANCELLED
                        return self.result
                    item.started = True
                self.result = item.perform(db)
        except DatabaseBusy as e:
            self.result = _Busy(str(e))
        except ReviewError as e:
            self.result = e
        except (sqlite3.Error, OSError, RuntimeError) as e:
            self.result = RuntimeError(f"{type(e).__name__}: {e}")
        finally:
            self.answered.set()
        return self.result


def _plural(n: int) -> str:
    return f"{n} decision{'s' if n != 1 else ''}"


class Writer(QObject):
    written = Signal()   # a write was shown, or the queue changed: undo/redo follow

    def __init__(self, session, jobs: Jobs, parent=None):
        super().__init__(parent)
        self.session, self.jobs = session, jobs
        db_changes.set_lock_wait_ms(session.db, LOCK_WAIT_MS)
        self.queue: list[Pending] = []
        self._attempt: _Attempt | None = None  # the try whose answer is awaited
        self._closing = False
        self._timer = QTimer(self, singleShot=True, interval=RETRY_MS)
        self._timer.timeout.connect(self.flush)

    # --- writing ------------------------------------------------------------------

    def write(self, label: str, perform: Perform, *, reveal: bool = False,
              done: Callable[[Changes], None] | None = None,
              target: str | None = None) -> Outcome:
        item = Pending(label, perform, reveal, done, target)
        if self.queue:  # behind decisions not saved yet: keep the order, do not wait
            self.queue.append(item)
            self._say_waiting()
            self.written.emit()
            return Outcome.WAITING
        try:
            changes = perform(self.session.db)
        except DatabaseBusy:
            self.queue.append(item)
            self._say_waiting()
            self.written.emit()
            self.flush()
            return Outcome.WAITING
        except ReviewError as e:
            self.session.message.emit(str(e))
            return Outcome.REFUSED
        except Exception as e:  # the service rolled back; say so rather than die mid-key
            self._lost(item, f"{type(e).__name__}: {e}")
            return Outcome.REFUSED
        self._shown(item, changes)
        return Outcome.SAVED

    @property
    def waiting(self) -> int:
        return len(self.queue)

    def drop_last(self) -> Pending | None:
        """Take back the newest decision not saved yet; None if there is none, or if a
        worker is writing it at this moment (undo it once it is written)."""
        if not self.queue:
            return None
        item = self.queue[-1]
        with item.guard:
            if item.started:
                return None
            item.cancelled = True
        self.queue.pop()
        if self.queue:
            self._say_waiting()
        else:
            self._timer.stop()
            self.session.not_saved = None
            self.session.report_saved()
        self.written.emit()
        return item

    # --- saving what waits -----------------------------------------------------------

    def flush(self) -> None:
        """Try the first waiting decision again: on a worker's connection when there is
        a file to open one to, else here without waiting."""
        if self._attempt is not None or not self.queue or self._closing:
            return
        attempt = self._attempt = _Attempt(self.queue[0])
        if self.session.db_path is None:
            attempt.run(self.session.db)
            self._answered(attempt)
            return
        self.jobs.start(self.session.db_path, attempt.run,
                        finished=lambda _r: self._answered(attempt),
                        failed=lambda message: self._failed(attempt, message))

    def _failed(self, attempt: _Attempt, message: str) -> None:
        if attempt.result is None:
            attempt.result = RuntimeError(message)  # the worker could not open the database
        self._answered(attempt)

    def _answered(self, attempt: _Attempt) -> None:
        if attempt is not self._attempt:
            return  # read already (finish() does not wait for the signal)
        self._attempt = None
        item, result = attempt.item, attempt.result
        if not self.queue or self.queue[0] is not item:
            self.flush()  # taken back while it was tried
            return
        if isinstance(result, _Busy):
            self._say_waiting()
            self._timer.start()
            return
        self.queue.pop(0)
        if isinstance(result, Exception):  # a refusal (ReviewError) or a failure
            self._lost(item, str(result))
        elif isinstance(result, Changes):
            self._shown(item, result)
        self.flush()

    def _shown(self, item: Pending, changes: Changes) -> None:
        if not self.queue:
            self.session.not_saved = None
        else:
            self.session.not_saved = self._waiting_text()
        self.session.apply(changes, reveal=item.reveal)
        if item.done is not None:
            item.done(changes)
        self.written.emit()

    def _lost(self, item: Pending, why: str) -> None:
        text = f"Not saved: {item.label}: {why}"
        self.session.not_saved = text
        self.session.unsaved.emit(text)
        self.session.message.emit(text)
        self.written.emit()

    def _waiting_text(self) -> str:
        return (f"Not saved: {_plural(len(self.queue))} waiting — another program has the "
                "database locked; saving as soon as it lets go")

    def _say_waiting(self) -> None:
        text = self._waiting_text()
        self.session.not_saved = text
        self.session.unsaved.emit(text)

    # --- closing ----------------------------------------------------------------------

    def finish(self) -> int:
        """Before the window closes: save what waits, waiting for the lock as long as a
        command would. Returns how many decisions are still not saved."""
        self._closing = True
        self._timer.stop()
        attempt = self._attempt
        if attempt is not None:
            if not attempt.answered.wait(busy_timeout_ms() / 1000 + 5):
                return len(self.queue)  # still being written there: not again here
            self._answered(attempt)  # read now, not when its signal comes
        db = self.session.db
        saved_wait = db_changes.lock_wait_ms(db)
        db_changes.set_lock_wait_ms(db, busy_timeout_ms())
        try:
            while self.queue:
                attempt = self._attempt = _Attempt(self.queue[0])
                attempt.run(db)
                busy = isinstance(attempt.result, _Busy)
                self._answered(attempt)
                if busy:
                    break
        finally:
            db_changes.set_lock_wait_ms(db, saved_wait)
            self._timer.stop()
        return len(self.queue)

    def resume(self) -> None:
        """The window stays open after all (its close was called off)."""
        self._closing = False
        self.flush()

    def stop(self) -> None:
        self._timer.stop()
