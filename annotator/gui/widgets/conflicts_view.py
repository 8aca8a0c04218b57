"""Dataset > Conflicts: the figures reviewers disagree on, settled by a lead.

A window of its own beside the review window: moving through the list opens each figure
in the article, and the lead's keys here (T, Shift+A/E/F) never reach the review keys of
the main window, so a lead cannot add a vote by mistake when meaning to settle one.
Every settlement is one undoable step on the window's undo stack (Ctrl+Z works here too).
"""

from __future__ import annotations


from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QHBoxLayout, QHeaderView, QLabel, QMenu, QPushButton,
    QTableView, QToolButton, QVBoxLayout,
)

from annotator.gui import theme
from annotator.gui.models.conflicts import ConflictTableModel, FIXED
from annotator.services import browse
from annotator.services import review as review_service
from annotator.services import team

ARTICLE_WIDTH, MIN_WIDTH, MAX_WIDTH = 200, 110, 260
HINT = ("↑ ↓ move through the figures (each opens in the article) · ← → pick a reviewer · "
        "T takes that decision · Shift+A / Shift+E / Shift+F decide yourself · Ctrl+Z undoes")


class ConflictsDialog(QDialog):
    listed = Signal(int)  # number of conflicts shown after a (re)load or a removal

    def __init__(self, session, actions, dialogs, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Conflicts")
        self.setObjectName("conflictsDialog")
        self.setModal(False)
        self.resize(980, 480)
        self.session, self.review_actions, self.dialogs = session, actions, dialogs
        self.model = ConflictTableModel(self)
        self.heading = QLabel("")
        self.heading.setObjectName("panelTitle")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.table = self._make_table()
        self.take_bar = QHBoxLayout()
        self.take_buttons: dict[str, QPushButton] = {}
        hint = QLabel(HINT)
        hint.setObjectName("listCount")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._buttons())
        layout.addWidget(hint)
        self._dirty = True
        self._quiet = False  # a reload keeps the cursor without moving the review window
        self._wire()
        self._update_buttons()

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("conflictsTable")
        table.setModel(self.model)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.verticalHeader().setVisible(False)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setDefaultSectionSize(170)
        return table

    def _size_columns(self) -> None:
        """Room for the figure and each decision; long titles are cut (full in the tooltip)."""
        header = self.table.horizontalHeader()
        header.resizeSection(0, ARTICLE_WIDTH)
        for col in range(1, self.model.columnCount() - 1):  # the last one stretches
            self.table.resizeColumnToContents(col)
            header.resizeSection(col, min(max(header.sectionSize(col) + 12, MIN_WIDTH),
                                          MAX_WIDTH))

    def _buttons(self) -> QHBoxLayout:
        acts = self.review_actions.actions
        decide = QToolButton()
        decide.setText("Decide…")
        decide.setObjectName("decideButton")
        decide.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(decide)
        for name in ("conflict_confirm", "conflict_correct", "conflict_flag"):
            menu.addAction(acts[name])
        decide.setMenu(menu)
        self.decide_button = decide
        close = QPushButton("Close")
        close.setAutoDefault(False)
        close.clicked.connect(self.close)
        row = QHBoxLayout()
        row.addLayout(self.take_bar)
        row.addStretch(1)
        row.addWidget(decide)
        row.addWidget(close)
        return row

    def _wire(self) -> None:
        acts = self.review_actions.actions
        for name in ("conflict_take", "conflict_confirm", "conflict_correct", "conflict_flag",
                     "undo", "redo"):
            self.addAction(acts[name])
        self.review_actions.connect_action("conflict_take", self.take)
        self.review_actions.connect_action("conflict_confirm", lambda: self.decide("confirm"))
        self.review_actions.connect_action("conflict_correct", lambda: self.decide("correct"))
        self.review_actions.connect_action("conflict_flag", lambda: self.decide("flag"))
        self.table.selectionModel().currentChanged.connect(self._current_changed)
        self.table.activated.connect(self._activated)
        self.model.modelReset.connect(self._rebuild_take_buttons)
        self.model.rowsRemoved.connect(lambda *_: self._counted())
        s = self.session
        s.changed.connect(self._follow_changes)
        s.datasetChanged.connect(lambda _name: self._reload_if_shown())
        s.externallyChanged.connect(self._reload_if_shown)  # decisions made elsewhere

    # --- loading --------------------------------------------------------------------

    def reload(self) -> None:
        """Read the conflicts again, keeping the cursor on the same figure if still there."""
        s = self.session
        keep = self.current_figure_id()
        column = max(self.table.currentIndex().column(), len(FIXED))
        found = team.conflicts(s.db, s.dataset) if s.dataset is not None else []
        self._quiet = True
        try:
            self.model.set_conflicts(found)
            self._size_columns()
            row = self.model.row_of(keep) if keep else None
            if self.model.rowCount():
                column = min(column, self.model.columnCount() - 1)
                self.table.setCurrentIndex(self.model.index(row or 0, column))
        finally:
            self._quiet = False
        self._dirty = False
        self._counted()

    def _reload_if_shown(self) -> None:
        if self.isVisible():
            self.reload()
        else:
            self._dirty = True

    def _counted(self) -> None:
        n = self.model.rowCount()
        where = self.session.dataset or "no dataset"
        self.heading.setText(f"Conflicts in {where}: {n:,} figure(s)" if n
                             else f"No conflicts in {where}")
        self._update_buttons()
        self.listed.emit(n)

    def _follow_changes(self, changes) -> None:
        """Settled figures leave the list; a figure newly in conflict (a review, an undo)
        brings a reload, since its row needs every reviewer's decision."""
        if not self.isVisible():
            self._dirty = True
            return
        touched = sorted(changes.figures)
        if not touched:
            return
        views = browse.figures_by_id(self.session.db, touched)
        listed = set(self.model.figure_ids())
        if any(v.conflict and fid not in listed for fid, v in views.items()):
            self.reload()
            return
        settled = [fid for fid in touched
                   if fid in listed and not (fid in views and views[fid].conflict)]
        if settled:
            self.model.remove_figures(settled)  # the cursor moves on, opening the next one

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload()
        self.table.setFocus()
        fid = self.current_figure_id()
        if fid and self.session.figure_id != fid:
            self.session.reveal_figure(fid)

    # --- the cursor -----------------------------------------------------------------

    def current_figure_id(self) -> str | None:
        c = self.model.conflict_at(self.table.currentIndex().row())
        return c.figure_id if c else None

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self._update_buttons()
        moved = current.isValid() and (not previous.isValid() or current.row() != previous.row())
        # only while the lead works here: a row settled from the review window (a reviewer
        # changing their mind) must not pull that window to another figure
        if moved and not self._quiet and self.isActiveWindow():
            fid = self.current_figure_id()
            if fid and self.session.figure_id != fid:
                self.session.reveal_figure(fid)

    def _activated(self, _index: QModelIndex) -> None:
        fid = self.current_figure_id()
        if fid:
            self.session.reveal_figure(fid)
            window = self.parentWidget()
            if window is not None:
                window.raise_()
                window.activateWindow()

    def _rebuild_take_buttons(self) -> None:
        for button in self.take_buttons.values():
            self.take_bar.removeWidget(button)
            button.deleteLater()
        self.take_buttons = {}
        for reviewer in self.model.reviewers():
            button = QPushButton(f"Take {reviewer}'s decision")
            button.setAutoDefault(False)
            button.setToolTip(theme.plain_tooltip(
                f"Make {reviewer}'s decision the final one (T in {reviewer}'s column)") or "")
            button.clicked.connect(lambda _c=False, r=reviewer: self.take(r))
            self.take_bar.addWidget(button)
            self.take_buttons[reviewer] = button

    def _update_buttons(self) -> None:
        """Nothing to settle (an empty list, no row selected): no button, menu entry or key
        of the view stays enabled."""
        index = self.table.currentIndex()
        c = self.model.conflict_at(index.row()) if index.isValid() else None
        for reviewer, button in self.take_buttons.items():
            button.setEnabled(c is not None and reviewer in c.reviewers)
        self.decide_button.setEnabled(c is not None)
        acts = self.review_actions.actions
        for name in ("conflict_take", "conflict_confirm", "conflict_correct", "conflict_flag"):
            acts[name].setEnabled(c is not None)

    # --- settling -------------------------------------------------------------------

    def take(self, reviewer: str | None = None) -> bool:
        """Settle the current figure with `reviewer`'s decision (default: the one under
        the cursor)."""
        s = self.session
        index = self.table.currentIndex()
        c = self.model.conflict_at(index.row())
        if c is None:
            s.message.emit("No conflict selected")
            return False
        reviewer = reviewer or self.model.reviewer_of_column(index.column())
        if reviewer is None:
            s.message.emit("Move to a reviewer's column (← →) to take their decision")
            return False
        if reviewer not in c.reviewers:
            s.message.emit(f"{reviewer} has no decision on “{c.figure_text}”")
            return False
        return self.review_actions.push(
            f"take {reviewer}'s decision on “{c.figure_text}”",
            lambda db, lead=s.reviewer: team.adjudicate_pick(
                db, reviewer=lead, target_id=c.figure_id, pick=reviewer))

    def decide(self, action: str) -> bool:
        """The lead's own final decision, asked with the review window's dialogs."""
        s = self.session
        c = self.model.conflict_at(self.table.currentIndex().row())
        if c is None:
            s.message.emit("No conflict selected")
            return False
        if self.review_actions.refused(c.figure_id):
            return False
        fields = self._ask(action, c)
        if fields is None:
            return False
        return self.review_actions.push(
            f"decide {action} on “{c.figure_text}”",
            lambda db, lead=s.reviewer: review_service.adjudicate(
                db, reviewer=lead, figure_id=c.figure_id, action=action, **fields))

    def _ask(self, action: str, c: team.Conflict) -> dict | None:
        if action == "confirm":
            return {}
        if action == "correct":
            fig = browse.figures_by_id(self.session.db, [c.figure_id]).get(c.figure_id)
            return self.dialogs.correct(self, fig, c.figure_text) if fig else None
        answer = self.dialogs.flag(self, f"figure “{c.figure_text}” (final decision)")
        if answer is None:
            return None
        reason, note = answer
        return {"reason": reason, "note": note}

