"""Figures in conflict: one row per figure, one column per reviewer's decision.

The reviewer columns are the union over the listed conflicts, so a lead moves along a
row with ← → and takes the decision under the cursor; a reviewer who did not decide a
figure has an empty cell there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from annotator.gui import theme
from annotator.gui.dialogs import REASON_LABELS
from annotator.services import browse
from annotator.services.team import Conflict

FIXED = ("Article", "Figure")
FigureIdRole = Qt.ItemDataRole.UserRole + 1
ArticleIdRole = Qt.ItemDataRole.UserRole + 2
ReviewerRole = Qt.ItemDataRole.UserRole + 3

_Index = QModelIndex | QPersistentModelIndex


def describe_decision(state: dict | None, kind: str | None = None) -> str:
    """One reviewer's verdict in a few words: what the lead compares across a row."""
    if not state:
        return ""
    status = state.get("status", "unreviewed")
    if status == "corrected":
        value = browse.format_value(state.get("value"), None, state.get("unit"),
                                    state.get("currency"), state.get("kind") or kind)
        new_kind = f" ({state['kind']})" if state.get("kind") and state.get("kind") != kind else ""
        return f"corrected → {value or '(same value)'}{new_kind}"
    if status == "flagged":
        flag = state.get("flag") or "other"
        return f"flagged: {REASON_LABELS.get(flag, flag).lower()}"
    return status


class ConflictTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[Conflict] = []
        self._reviewers: list[str] = []

    # --- content ----------------------------------------------------------------------

    def set_conflicts(self, conflicts: Sequence[Conflict]) -> None:
        self.beginResetModel()
        self._rows = list(conflicts)
        self._reviewers = sorted({r for c in self._rows for r in c.reviewers})
        self.endResetModel()

    def remove_figures(self, figure_ids: Iterable[str]) -> int:
        """Drop the rows of these figures (settled elsewhere); returns how many went.
        Reviewer columns stay, so the lead's place in the row does not jump."""
        gone = set(figure_ids)
        removed = 0
        for row in range(len(self._rows) - 1, -1, -1):
            if self._rows[row].figure_id in gone:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
                removed += 1
        return removed

    def reviewers(self) -> list[str]:
        return list(self._reviewers)

    def figure_ids(self) -> list[str]:
        return [c.figure_id for c in self._rows]

    def conflict_at(self, row: int) -> Conflict | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, figure_id: str) -> int | None:
        return next((i for i, c in enumerate(self._rows) if c.figure_id == figure_id), None)

    def reviewer_of_column(self, column: int) -> str | None:
        i = column - len(FIXED)
        return self._reviewers[i] if 0 <= i < len(self._reviewers) else None

    def column_of_reviewer(self, reviewer: str) -> int | None:
        return len(FIXED) + self._reviewers.index(reviewer) if reviewer in self._reviewers \
            else None

    # --- Qt -----------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(FIXED) + len(self._reviewers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows) \
                or not 0 <= index.column() < self.columnCount():
            return None
        c, col = self._rows[index.row()], index.column()
        if role == FigureIdRole:
            return c.figure_id
        if role == ArticleIdRole:
            return c.article_id
        if role == ReviewerRole:
            return self.reviewer_of_column(col)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(c, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return theme.plain_tooltip(self._tip(c, col))
        if role == Qt.ItemDataRole.DecorationRole and col >= len(FIXED):
            state = c.reviewers.get(self.reviewer_of_column(col) or "")
            return theme.status_icon(state["status"]) if state else None
        return None

    def _text(self, c: Conflict, col: int) -> str:
        if col == 0:
            return c.title or c.article_id
        if col == 1:
            value = browse.format_value(c.value, None, c.unit, None, c.kind)
            return f"{c.figure_text}  ({value})" if value and value != c.figure_text \
                else c.figure_text
        return describe_decision(c.reviewers.get(self.reviewer_of_column(col) or ""), c.kind)

    def _tip(self, c: Conflict, col: int) -> str:
        if col == 0:
            return f"{c.title or ''}\n{c.article_id}".strip()
        if col == 1:
            return f"{c.figure_text} in: {c.claim_text}"
        reviewer = self.reviewer_of_column(col) or ""
        state = c.reviewers.get(reviewer)
        if not state:
            return f"{reviewer} has not decided this figure"
        note = f"\nNote: {state['note']}" if state.get("note") else ""
        return f"{reviewer}: {describe_decision(state, c.kind)}{note}"

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if 0 <= section < len(FIXED):
            return FIXED[section]
        return self.reviewer_of_column(section)
