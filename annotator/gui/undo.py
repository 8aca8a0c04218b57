"""Undo and Redo as the database has them: one history, whoever wrote it.

The window keeps no undo stack of its own. A stack of the window's commands disagreed
with the database as soon as the same reviewer also decided from the command line (the
window's Ctrl+Z undid the command line's decision and then had nothing left). Undo and
Redo are enabled exactly when the core's undo and redo for this reviewer would act
(`review.next_steps`, read again after every write and every change from elsewhere),
and they call the core's undo and redo.

A decision still waiting for a locked database (writes.Writer) is the newest thing the
reviewer did: Undo takes it back before it is ever written; Redo waits until the
waiting decisions are saved (a new decision ends what could be redone anyway).
"""

from __future__ import annotations


from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from annotator.gui.writes import Writer
from annotator.services import review as review_service
from annotator.services.common import Changes


class History(QObject):
    def __init__(self, session, writer: Writer, undo_action: QAction, redo_action: QAction,
                 parent=None):
        super().__init__(parent)
        self.session, self.writer = session, writer
        self.undo_action, self.redo_action = undo_action, redo_action
        self._tips = (undo_action.toolTip(), redo_action.toolTip())
        self.steps = review_service.NextSteps(None, None)
        writer.written.connect(self.refresh)
        session.externallyChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Enable Undo and Redo as the core would act; cheap (one indexed read of the
        reviewer's newest events), since it runs after every keystroke's write. Only
        `enabled` changes here: a new text on an action makes every widget holding it
        lay out again, which doubled the time a confirm took to paint."""
        s = self.session
        self.steps = review_service.next_steps(s.db, s.reviewer, described=False)
        waiting = bool(self.writer.waiting)
        self.undo_action.setEnabled(waiting or self.steps.undo is not None)
        self.redo_action.setEnabled(not waiting and self.steps.redo is not None)

    def describe_actions(self) -> None:
        """Name what Undo and Redo would do, in their text and tips: when the menu that
        shows them opens, not on every keystroke."""
        s = self.session
        self.steps = review_service.next_steps(s.db, s.reviewer)
        waiting = self.writer.waiting
        undo_text = f"{self.writer.queue[-1].label} (not saved yet)" if waiting \
            else self.steps.undo
        redo_text = None if waiting else self.steps.redo
        self._show(self.undo_action, "Undo", undo_text, self._tips[0])
        self._show(self.redo_action, "Redo", redo_text, self._tips[1])

    @staticmethod
    def _show(action: QAction, verb: str, what: str | None, tip: str) -> None:
        action.setEnabled(what is not None)
        action.setText(f"&{verb} {what}" if what else f"&{verb}")
        action.setToolTip(f"{verb}: {what}" if what else tip)

    def undo(self) -> bool:
        s = self.session
        if self.writer.waiting:
            item = self.writer.drop_last()
            if item is None:  # being written this moment: undone right after it is
                return self._core("undo", review_service.undo, "Undid")
            s.message.emit(f"Undid: {item.label} (it was never saved)")
            if item.target:
                if not s.select_figure(item.target):
                    s.select_claim(item.target)
            return True
        return self._core("undo", review_service.undo, "Undid")

    def redo(self) -> bool:
        if self.writer.waiting:
            self.session.message.emit("Redo waits until the decisions waiting are saved")
            return False
        return self._core("redo", review_service.redo, "Redid")

    def _core(self, kind: str, fn, said: str) -> bool:
        s = self.session
        reviewer = s.reviewer

        def tell(changes: Changes) -> None:
            what = review_service.describe(s.db, changes.acted_on)
            s.message.emit(f"{said}: {what}" if what else said)

        outcome = self.writer.write(kind, lambda db: fn(db, reviewer=reviewer), reveal=True,
                                    done=tell)
        return outcome.value != "refused"
