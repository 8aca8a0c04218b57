"""The datasets of a database, for the picker above the article list."""

from __future__ import annotations


from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from annotator.gui import theme
from annotator.services import browse

NameRole = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


class DatasetListModel(QAbstractListModel):
    def __init__(self, db, parent=None):
        super().__init__(parent)
        self._db = db
        self._rows: list[tuple[str, int]] = []

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = browse.datasets(self._db)
        self.endResetModel()

    def rows(self) -> list[tuple[str, int]]:
        """(name, article count) as last read."""
        return list(self._rows)

    def names(self) -> list[str]:
        return [name for name, _ in self._rows]

    def row_of(self, name: str) -> int | None:
        for i, (n, _) in enumerate(self._rows):
            if n == name:
                return i
        return None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        name, count = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{name}  ({count:,} articles)"
        if role in (NameRole, Qt.ItemDataRole.EditRole):
            return name
        if role == Qt.ItemDataRole.ToolTipRole:
            return theme.plain_tooltip(f"Dataset {name}: {count:,} articles")
        return None
