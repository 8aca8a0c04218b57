"""The questions the window asks: a correction, a flag reason, the reviewer's name, files.

`Dialogs` is the one object actions ask; tests hand the window a subclass that answers
without showing anything, so no test ever waits on a modal dialog.
"""

from __future__ import annotations

import math
from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QInputDialog, QLabel,
    QLineEdit, QListWidget, QMessageBox, QVBoxLayout, QWidget,
)

from annotator.domain import FIGURE_KINDS, FLAG_REASONS
from annotator.gui.widgets.export_dialog import ExportDialog, ExportRequest
from annotator.gui.widgets.form import finish_form
from annotator.services import browse

REASON_LABELS = {
    "wrong_figure": "Wrong figure",
    "unsupported": "Unsupported by the source",
    "outdated": "Outdated",
    "garbled_text": "Garbled text",
    "not_a_claim": "Not a claim",
    "duplicate": "Duplicate",
    "other": "Other",
}


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def parse_number(text: str) -> Optional[float]:
    """'50,200' / '5.02e4' / ' 4.3 ' -> float; '' -> None; anything else raises."""
    t = text.strip().replace(",", "").replace("_", "")
    if not t:
        return None
    value = float(t)
    if not math.isfinite(value):
        raise ValueError("not a finite number")
    return value


def plain_number(value: Optional[float]) -> str:
    """A number as a reviewer would type it, without losing digits."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.15g}"


class CorrectDialog(QDialog):
    """The original stays in view while the reviewer types the right reading."""

    def __init__(self, figure: browse.FigureView, surface: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Correct figure")
        self.setMinimumWidth(420)
        self.figure = figure
        self.value = QLineEdit(plain_number(
            figure.corrected_value if figure.corrected_value is not None else figure.value))
        self.unit = QLineEdit(figure.corrected_unit or figure.unit or "")
        self.currency = QLineEdit(figure.corrected_currency or figure.currency or "")
        self.currency.setPlaceholderText("ISO 4217, e.g. CNY, HKD, USD")
        self.kind = QComboBox()
        self.kind.addItems(FIGURE_KINDS)
        self.kind.setCurrentText(figure.corrected_kind or figure.kind)
        self.note = QLineEdit(figure.note or "")
        self.error = _plain("")
        self.error.setObjectName("dialogError")
        form = QFormLayout()
        form.addRow("Original", _plain(f"{surface}   read as {figure.value_text() or '(no value)'}"
                                       f" · {figure.kind}"))
        for label, widget in (("Value", self.value), ("Unit", self.unit),
                              ("Currency", self.currency), ("Kind", self.kind),
                              ("Note", self.note)):
            form.addRow(label, widget)
        self.buttons = finish_form(self, form, self.error)
        self.value.selectAll()
        self.value.setFocus()

    def result_values(self) -> dict:
        """What to pass to review(action="correct"); raises ValueError on a bad number."""
        return {
            "value": parse_number(self.value.text()),
            "unit": self.unit.text().strip() or None,
            "currency": self.currency.text().strip().upper() or None,
            "kind": self.kind.currentText() or None,
            "note": self.note.text().strip() or None,
        }

    def accept(self) -> None:
        try:
            self.result_values()
        except ValueError:
            self.error.setText(f"“{self.value.text()}” is not a number")
            self.value.setFocus()
            return
        super().accept()


class FlagDialog(QDialog):
    """Reasons are numbered: 1-7 picks one, Enter flags."""

    def __init__(self, what: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Flag")
        self.setMinimumWidth(360)
        self.reasons = QListWidget()
        for i, reason in enumerate(FLAG_REASONS, start=1):
            self.reasons.addItem(f"{i}  {REASON_LABELS.get(reason, reason)}")
        self.reasons.setCurrentRow(0)
        self.note = QLineEdit()
        self.note.setPlaceholderText("Note (optional)")
        for i in range(len(FLAG_REASONS)):
            shortcut = QShortcut(QKeySequence(str(i + 1)), self.reasons)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda row=i: self.reasons.setCurrentRow(row))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Flag")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.reasons.itemActivated.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(_plain(f"Flag {what}"))
        layout.addWidget(self.reasons)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.reasons.setFocus()

    def result_values(self) -> tuple[str, Optional[str]]:
        reason = FLAG_REASONS[max(self.reasons.currentRow(), 0)]
        return reason, self.note.text().strip() or None


class Dialogs:
    """Asks the reviewer; every method returns None (or empty) when they cancel."""

    def correct(self, parent, figure: browse.FigureView, surface: str) -> Optional[dict]:
        dlg = CorrectDialog(figure, surface, parent)
        return dlg.result_values() if dlg.exec() == QDialog.DialogCode.Accepted else None

    def flag(self, parent, what: str) -> Optional[tuple[str, Optional[str]]]:
        dlg = FlagDialog(what, parent)
        return dlg.result_values() if dlg.exec() == QDialog.DialogCode.Accepted else None

    def reviewer_name(self, parent) -> Optional[str]:
        name, ok = QInputDialog.getText(
            parent, "Reviewer", "Your name (recorded with every review decision):")
        return name.strip() if ok and name.strip() else None

    def import_paths(self, parent, folder: bool) -> list[str]:
        if folder:
            path = QFileDialog.getExistingDirectory(parent, "Import a folder of articles")
            return [path] if path else []
        files, _ = QFileDialog.getOpenFileNames(
            parent, "Import articles", "",
            "Articles (*.txt *.md *.html *.htm *.jsonl *.ndjson *.json *.csv *.tsv);;All files (*)")
        return list(files)

    def dataset_name(self, parent, default: str) -> Optional[str]:
        name, ok = QInputDialog.getText(parent, "Import", "Add the articles to dataset:",
                                        text=default)
        return name.strip() if ok and name.strip() else None

    def export_options(self, parent, *, dataset: Optional[str], signoff,
                       default_path: str) -> Optional[ExportRequest]:
        dlg = ExportDialog(dataset, signoff, default_path, parent)
        return dlg.request() if dlg.exec() == QDialog.DialogCode.Accepted else None

    def confirm(self, parent, title: str, text: str, ok: str) -> bool:
        """A yes/no question whose yes button says what it does."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        yes = box.addButton(ok, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(yes)
        box.exec()
        return box.clickedButton() is yes

    def reopen_reason(self, parent, dataset: str) -> Optional[str]:
        """The reason is recorded with the reopen event; an empty one is not accepted."""
        reason, ok = QInputDialog.getText(
            parent, "Reopen dataset",
            f"Why is {dataset!r} being reopened? (recorded; its signatures stop counting)")
        return reason.strip() if ok and reason.strip() else None

    def info(self, parent, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()

    def error(self, parent, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()
