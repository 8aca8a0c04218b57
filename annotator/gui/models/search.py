"""Search hits: one row per place a query matched."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from annotator.gui import theme
from annotator.gui.models.base import FixedColumns

COLUMNS = ("Article", "Match")
HitRole = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


class SearchResultModel(FixedColumns, QAbstractTableModel):
    COLUMNS = COLUMNS

    def __init__(self, parent=None):
        super().__init__(parent)
        self._hits: list[dict] = []
        self._labels: dict[str, str] = {}

    def set_hits(self, hits: list[dict], labels: dict[str, str]) -> None:
        """`labels`: a readable name per article id (titles come from the caller)."""
        self.beginResetModel()
        self._hits = list(hits)
        self._labels = dict(labels)
        self.endResetModel()

    def hit(self, row: int) -> dict | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == HitRole:
            return hit
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if index.column() == 0:
                text = self._labels.get(hit["article_id"], hit["article_id"])
            else:
                text = hit.get("snippet", "")
            return text if role == Qt.ItemDataRole.DisplayRole else theme.plain_tooltip(text)
        return None
