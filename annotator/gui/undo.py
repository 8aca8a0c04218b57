"""QUndoStack commands that only call the core.

The decision is recorded by the service the first time the command is pushed; undo and
redo after that are the core's own undo/redo (recorded events), so what the window undoes
is exactly what `annotator undo` would undo.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtGui import QUndoCommand

from annotator.services import review as review_service
from annotator.services.review import Changes, ReviewError


class CoreCommand(QUndoCommand):
    """`perform` writes the decision and returns the service's Changes."""

    def __init__(self, session, label: str, perform: Callable[[], Changes],
                 on_error: Callable[[str], None]):
        super().__init__(label)
        self.session = session
        self._perform = perform
        self._on_error = on_error
        self._done = False
        self.error: str | None = None

    def redo(self) -> None:
        try:
            if self._done:
                changes = review_service.redo(self.session.db, reviewer=self.session.reviewer)
            else:
                changes = self._perform()
        except ReviewError as e:
            self._fail(str(e))
            return
        except Exception as e:  # the service rolled back; say so rather than die mid-key
            self._fail(f"not saved: {type(e).__name__}: {e}")
            return
        reveal = self._done
        self._done = True
        self.session.apply(changes, reveal=reveal)

    def undo(self) -> None:
        try:
            changes = review_service.undo(self.session.db, reviewer=self.session.reviewer)
        except ReviewError as e:
            self._fail(str(e))
            return
        except Exception as e:
            self._fail(f"undo failed: {type(e).__name__}: {e}")
            return
        self.session.apply(changes, reveal=True)

    def _fail(self, message: str) -> None:
        """The stack drops an obsolete command; the database was left as it was."""
        self.error = message
        self.setObsolete(True)
        self._on_error(message)
