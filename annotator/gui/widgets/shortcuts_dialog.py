"""Help > Keyboard shortcuts: the same table as docs/keyboard.md."""

from __future__ import annotations

from PySide6.QtCore import Qt

from PySide6.QtGui import QGuiApplication, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QTreeView, QVBoxLayout,
)

from annotator.gui.actions import BINDINGS


def shortcuts_model(parent=None) -> QStandardItemModel:
    model = QStandardItemModel(parent)
    model.setHorizontalHeaderLabels(["Keys", "Command", "What it does"])
    groups: dict[str, QStandardItem] = {}
    for b in BINDINGS:
        group = groups.get(b.group)
        if group is None:
            group = groups[b.group] = QStandardItem(b.group)
            model.appendRow([group, QStandardItem(""), QStandardItem("")])
        row = [QStandardItem(" / ".join(b.keys)), QStandardItem(b.label.replace("&", "")),
               QStandardItem(b.help)]
        for item in row:
            item.setEditable(False)
        group.appendRow(row)
    return model


class ShortcutsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.view = QTreeView()
        self.view.setModel(shortcuts_model(self))
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        # descriptions wrap in their column rather than end in "…"
        self.view.setWordWrap(True)
        self.view.setUniformRowHeights(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.view.expandAll()
        for col in (0, 1, 2):
            self.view.resizeColumnToContents(col)
        header = self.view.header()
        wanted = sum(header.sectionSize(c) for c in (0, 1, 2)) + 60
        header.setStretchLastSection(True)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # as wide as the descriptions need, within the screen; past that they wrap
        screen = (parent.screen() if parent is not None else None) \
            or QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else None
        width = min(wanted, int(room.width() * 0.9)) if room is not None else 760
        height = min(640, int(room.height() * 0.85)) if room is not None else 560
        self.resize(max(width, 560), height)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
