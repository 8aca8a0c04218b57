"""Moving the write-ahead log into the database file off the GUI thread.

SQLite copies its log into the database (a checkpoint, with an fsync) inside whichever
commit makes the log pass 1,000 pages. In the window that commit is a reviewer's
keystroke: about one confirm in a hundred took 260-560 ms instead of 10. The window's
own connection therefore never checkpoints; a job on a connection of its own does,
once the reviewer has paused for a moment after a change (and the database checkpoints
itself when the last connection closes). A passive checkpoint never waits for a
writer, so a decision made while it runs is not held up.

When the window closes, `final()` copies the whole log into the database file and
empties it (TRUNCATE), through SQLite on the window's own connection: the reviewer's
decisions are then in the .db file itself even while another program keeps the
database open (so SQLite's own checkpoint on the last close does not happen), and a
copy of that one file carries them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from annotator.gui.workers import Jobs
from annotator.storage import changes as db_changes

IDLE_MS = 1500  # after the last change, so a run of keystrokes is one checkpoint
FINAL_WAIT_MS = 2000  # at close, for readers and writers of other programs to let it finish


def _checkpoint(db, _progress, _cancelled) -> tuple:
    return tuple(db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone())


class Checkpoints(QObject):
    def __init__(self, db, db_path: Path | None, jobs: Jobs, parent=None):
        super().__init__(parent)
        self.db = db
        self.db_path = Path(db_path) if db_path is not None else None
        self.jobs = jobs
        self.runs = 0
        self.last: tuple | None = None  # (busy, log frames, frames checkpointed)
        self._running = False
        self._pending = False
        if self.db_path is not None:  # else SQLite keeps checkpointing on commit
            db.execute("PRAGMA wal_autocheckpoint = 0")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(IDLE_MS)
        self._timer.timeout.connect(self.run_now)

    def changed(self, *_args) -> None:
        """A change was written: checkpoint once the reviewer pauses."""
        self._pending = True
        self._timer.start()

    def run_now(self) -> None:
        if not self._pending or self.db_path is None:
            return
        if self._running:
            self._timer.start()  # one at a time; try again after the next pause
            return
        self._pending = False
        self._running = True
        self.jobs.start(self.db_path, _checkpoint, finished=self._done, failed=self._failed)

    def _done(self, result: tuple) -> None:
        self._running = False
        self.runs += 1
        self.last = result

    def _failed(self, _message: str) -> None:
        # a checkpoint that could not run (the database busy) is retried after the next
        # change; the log only grows meanwhile, nothing is lost
        self._running = False
        self._pending = True

    def stop(self) -> None:
        self._timer.stop()

    def final(self) -> tuple | None:
        """The full checkpoint at close: (busy, log frames, frames checkpointed), busy 1
        if another program's reader or writer kept it from emptying the log (what it
        copied is in the file; the rest stays safe in the log)."""
        self._timer.stop()
        saved = db_changes.lock_wait_ms(self.db)
        db_changes.set_lock_wait_ms(self.db, FINAL_WAIT_MS)
        try:
            self.last = db_changes.checkpoint_truncate(self.db)
        except sqlite3.Error:
            self.last = None  # the log keeps every decision; SQLite checkpoints later
        finally:
            db_changes.set_lock_wait_ms(self.db, saved)
        return self.last
