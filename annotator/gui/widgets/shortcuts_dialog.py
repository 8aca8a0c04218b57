"""Help > Keyboard shortcuts: the same table as docs/keyboard.md."""

from __future__ import annotations

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QDialog, QDialogButtonBox, QTreeView, QVBoxLayout

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
        self.resize(760, 560)
        self.view = QTreeView()
        self.view.setModel(shortcuts_model(self))
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.expandAll()
        for col in (0, 1):
            self.view.resizeColumnToContents(col)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
