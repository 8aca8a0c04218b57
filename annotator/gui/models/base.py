"""What the read-only table and tree models share: fixed column titles.

Their rows are selectable and enabled, which is Qt's own default `flags()`; it is left
to Qt because a Python override is called for every painted cell (a tree repaint asked
it about a hundred times per confirm).
"""

from __future__ import annotations

from PySide6.QtCore import Qt


class FixedColumns:
    """Mixin for a Qt item model whose columns are a fixed tuple of titles (`COLUMNS`)."""

    COLUMNS: tuple[str, ...] = ()

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(self.COLUMNS):
                return self.COLUMNS[section]
        return None
