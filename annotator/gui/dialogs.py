"""The questions the window asks: a correction, a flag reason, the reviewer's name, files.

`Dialogs` is the one object actions ask; tests hand the window a subclass that answers
without showing anything, so no test ever waits on a modal dialog.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QInputDialog,
    QLabel, QLineEdit, QListWidget, QMessageBox, QVBoxLayout, QWidget,
)

from annotator.domain import FIGURE_KINDS, FLAG_REASONS
from annotator.gui.widgets.export_dialog import ExportDialog, ExportRequest
from annotator.gui.widgets.form import finish_form
from annotator.services import browse
from annotator.text.figures.describe import describe_value

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


def _line_edit(combo: QComboBox) -> QLineEdit:
    """The line edit of an editable combo box (it has one once setEditable(True))."""
    edit = combo.lineEdit()
    assert edit is not None, "the combo box is not editable"
    return edit


def parse_number(text: str) -> float | None:
    """'50,200' / '5.02e4' / ' 4.3 ' -> float; '' -> None; anything else raises."""
    t = text.strip().replace(",", "").replace("_", "")
    if not t:
        return None
    value = float(t)
    if not math.isfinite(value):
        raise ValueError("not a finite number")
    return value


def plain_number(value: float | None) -> str:
    """A number as a reviewer would type it, without losing digits."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.15g}"


# The currencies of the papers reviewed here first; any other ISO 4217 code may be typed.
CURRENCIES = ("HKD", "CNY", "TWD", "USD", "EUR", "GBP", "JPY", "MOP", "SGD", "AUD", "CAD",
              "KRW", "MYR", "THB", "INR", "CHF", "NZD")
PERCENT_UNITS = ("%", "pp", "‰")
PERCENT_LABELS = {"%": "% (percent)", "pp": "pp (percentage points)", "‰": "‰ (per mille)"}
_ISO_DATE = re.compile(r"^\s*(\d{1,4}|\?{4})\s*[-/.年]\s*(\d{1,2}|\?\?)"
                       r"(?:\s*[-/.月]\s*(\d{1,2}))?\s*日?\s*$")


def date_parts(value: float | None) -> tuple[str, str, str]:
    """A stored date (Y*10000 + M*100 + D, 0 for a part not given) as the three fields."""
    if value is None:
        return "", "", ""
    v = int(value)
    y, m, d = v // 10000, (v // 100) % 100, v % 100
    return (str(y) if y else "", str(m) if m else "", str(d) if d else "")


def split_date(text: str) -> tuple[str, str, str] | None:
    """'2025-06-28', '2025/6/28', '2024-10', '????-06-28', '2025年6月28日' -> its parts;
    None when `text` is not a whole date (a bare year is not split)."""
    m = _ISO_DATE.match(text)
    if m is None:
        return None
    y, mo, d = (g or "" for g in m.groups())
    return ("" if "?" in y else y, "" if "?" in mo else mo, d)


def parse_date(year: str, month: str, day: str) -> float:
    """The stored form of a date whose parts may be missing (docs/figures.md: 2024年10月 is
    20241000, 6月28日 is 628); ValueError says what is wrong."""
    parts = []
    for text, name, low, high in ((year, "year", 1, 9999), (month, "month", 1, 12),
                                  (day, "day", 1, 31)):
        t = text.strip()
        if not t:
            parts.append(0)
            continue
        if not t.isdigit():
            raise ValueError(f"the {name} “{t}” is not a whole number")
        n = int(t)
        if not low <= n <= high:
            raise ValueError(f"the {name} must be {low}–{high}, not {n}")
        parts.append(n)
    y, m, d = parts
    if not (y or m or d):
        raise ValueError("give at least one of year, month and day")
    if d and m:
        last = calendar.monthrange(y or 2024, m)[1]  # a date without a year may be 29 Feb
        if d > last:
            raise ValueError(f"{calendar.month_name[m]} has no day {d}"
                             + (f" in {y}" if y and m == 2 and d == 29 else ""))
    return float(y * 10000 + m * 100 + d)


def _family(kind: str, unit: str | None) -> str:
    """Which inputs a kind needs. A range or a change takes the input of its ends' unit."""
    if kind in ("range", "change"):
        return {"date": "date", "year": "year", "%": "percent", "pp": "percent",
                "‰": "percent"}.get(unit or "", "count")
    return {"date": "date", "year": "year", "percent": "percent", "money": "money"}.get(
        kind, "count")


class CorrectDialog(QDialog):
    """The original stays in view while the reviewer types the right reading.

    Each kind gets the input it needs: a date its year, month and day (any may be left
    empty), money an amount and an ISO currency, a percent its unit (%, pp, ‰), a count
    its unit. Under the fields the form says how the window will show what is saved, and
    refuses, with the reason, what it cannot save.
    """

    def __init__(self, figure: browse.FigureView, surface: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Correct figure")
        self.setMinimumWidth(460)
        self.figure = figure
        value = figure.corrected_value if figure.corrected_value is not None else figure.value
        kind = figure.corrected_kind or figure.kind
        self._unit0 = figure.corrected_unit or figure.unit or None
        currency = figure.corrected_currency or figure.currency or ""
        family = _family(kind, self._unit0)

        self.kind = QComboBox()
        self.kind.addItems(FIGURE_KINDS)
        self.kind.setCurrentText(kind)
        self.value = QLineEdit(plain_number(value) if family not in ("date",) else "")
        self.value.setPlaceholderText("e.g. 50200, 4.3, 1,200,000")
        self.year, self.month, self.day = QLineEdit(), QLineEdit(), QLineEdit()
        for field, hint, width in ((self.year, "year", 70), (self.month, "month", 56),
                                   (self.day, "day", 48)):
            field.setPlaceholderText(hint)
            field.setMinimumWidth(width)
        if family == "date":
            for field, text in zip((self.year, self.month, self.day), date_parts(value)):
                field.setText(text)
        self.date_box = QWidget()
        row = QHBoxLayout(self.date_box)
        row.setContentsMargins(0, 0, 0, 0)
        for field, sep in ((self.year, "–"), (self.month, "–"), (self.day, "")):
            row.addWidget(field, 1)
            if sep:
                row.addWidget(QLabel(sep))
        self.date_hint = _plain("Year – month – day. Leave a part empty when the text "
                                "does not give it "
                                "(6月28日: month 6, day 28). Typing 2025-06-28 in the "
                                "year fills all three.")
        self.date_hint.setObjectName("dialogHint")
        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.percent_unit = QComboBox()
        for u in PERCENT_UNITS:
            self.percent_unit.addItem(PERCENT_LABELS[u], u)
        self.percent_unit.setCurrentIndex(max(self.percent_unit.findData(self._unit0), 0))
        self.currency = QComboBox()
        self.currency.setEditable(True)
        self.currency.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.currency.addItems(CURRENCIES)
        self.currency.setCurrentText(currency)
        _line_edit(self.currency).setPlaceholderText("ISO 4217, e.g. HKD, CNY, USD")
        self.note = QLineEdit(figure.note or "")
        self.preview = _plain("")
        self.preview.setObjectName("dialogPreview")
        self.error = _plain("")
        self.error.setObjectName("dialogError")
        self._set_unit_choices(family, self._unit0)
        self._shown_family = family

        self.form = form = QFormLayout()
        form.addRow("Original", _plain(f"{surface}   read as {figure.value_text() or '(no value)'}"
                                       f" · {figure.kind}"))
        form.addRow("Kind", self.kind)
        form.addRow("Value", self.value)
        form.addRow("Date", self.date_box)
        form.addRow("", self.date_hint)
        form.addRow("Unit", self.unit)
        form.addRow("Unit", self.percent_unit)
        form.addRow("Currency", self.currency)
        form.addRow("Note", self.note)
        form.addRow("", self.preview)
        self.buttons = finish_form(self, form, self.error)
        self.year.textEdited.connect(self._year_edited)
        self.month.textEdited.connect(lambda t: self._part_edited(self.month, self.day, t))
        for field in (self.value, self.year, self.month, self.day, self.note):
            field.textChanged.connect(self._show_reading)
        for combo in (self.unit, self.currency):
            combo.currentTextChanged.connect(self._show_reading)
        self.percent_unit.currentIndexChanged.connect(self._show_reading)
        self.kind.currentTextChanged.connect(self._kind_changed)
        self._show_fields()
        self._show_reading()
        first = self.year if self.family() == "date" else self.value
        first.selectAll()
        first.setFocus()

    # --- which inputs ------------------------------------------------------------------

    def family(self) -> str:
        return _family(self.kind.currentText(), self._unit0)

    def _set_unit_choices(self, family: str, unit: str | None) -> None:
        """A count keeps its unit; a unit that belongs to another kind is not offered."""
        self.unit.clear()
        own = unit if unit not in ("date", "year", *PERCENT_UNITS) else None
        if family == "money":
            self.unit.addItems(["", "cent", "pence"])
            _line_edit(self.unit).setPlaceholderText("a sub-unit, if any (cent)")
        else:
            self.unit.addItems(["", "人", "家", "個", "宗", "名", "people", "positions"])
            _line_edit(self.unit).setPlaceholderText("人, 家, positions … (optional)")
        self.unit.setCurrentText(own or "")

    def _show_fields(self) -> None:
        family = self.family()
        rows = {self.value: family != "date", self.date_box: family == "date",
                self.date_hint: family == "date",
                self.unit: family in ("count", "money"),
                self.percent_unit: family == "percent", self.currency: family == "money"}
        for widget, visible in rows.items():
            self.form.setRowVisible(widget, visible)
        self._shown_family = family
        self.adjustSize()

    def _kind_changed(self, _kind: str) -> None:
        was = self._shown_family
        family = self.family()
        if family != was and "date" in (family, was):  # 20250628 is no count, 75000 no date
            self.value.clear()
            for field in (self.year, self.month, self.day):
                field.clear()
        if family in ("count", "money") and was not in ("count", "money"):
            self._set_unit_choices(family, self._unit0)
        self._show_fields()
        self._show_reading()

    def _year_edited(self, text: str) -> None:
        """A whole date pasted or typed in the year fills the three fields; a separator
        typed after a part moves on to the next one (2025-06-28 typed as it is written)."""
        parts = split_date(text)
        if parts is not None:
            for field, part in zip((self.year, self.month, self.day), parts):
                field.setText(part)
            (self.day if parts[2] or not parts[1] else self.month).setFocus()
        else:
            self._part_edited(self.year, self.month, text)

    @staticmethod
    def _part_edited(field: QLineEdit, following: QLineEdit, text: str) -> None:
        if len(text) > 1 and text[-1] in "-/.年月":
            field.setText(text[:-1])
            following.setFocus()
            following.selectAll()

    # --- what will be saved ------------------------------------------------------------

    def result_values(self) -> dict:
        """What to pass to review(action="correct"); ValueError says what is wrong."""
        family = self.family()
        kind = self.kind.currentText() or None
        unit: str | None = None
        currency: str | None = None
        if family == "date":
            value: float | None = parse_date(self.year.text(), self.month.text(),
                                                self.day.text())
            unit = "date"
        else:
            try:
                value = parse_number(self.value.text())
            except ValueError:
                raise ValueError(f"“{self.value.text().strip()}” is not a number") from None
            if family == "year":
                if value is not None and (not value.is_integer() or not 1 <= value <= 9999):
                    raise ValueError(f"a year is a whole number 1–9999, not "
                                     f"{plain_number(value)}")
                unit = "year"
            elif family == "percent":
                unit = self.percent_unit.currentData()
            else:
                unit = self.unit.currentText().strip() or None
                if unit is None and self._unit0 in ("date", "year"):
                    raise ValueError(f"give a unit (人, positions …): without one the figure "
                                     f"keeps its unit “{self._unit0}”")
            if family == "money":
                currency = self.currency.currentText().strip().upper() or None
                if currency is None:
                    raise ValueError("choose the currency (HKD, CNY, USD …)")
                if not re.fullmatch(r"[A-Z]{3}", currency):
                    raise ValueError(f"“{currency}” is not an ISO 4217 currency code "
                                     "(three letters: HKD, CNY, USD …)")
        return {"value": value, "unit": unit, "currency": currency, "kind": kind,
                "note": self.note.text().strip() or None}

    def reading(self, values: dict) -> str:
        """How the window will show the corrected figure (describe_value, as for figures)."""
        f = self.figure
        kind = values["kind"] or f.kind
        value = values["value"] if values["value"] is not None else f.value
        vmax = None if values["value"] is not None else f.value_max
        described = describe_value(kind, value, vmax, values["unit"] or f.unit,
                                   values["currency"] or f.currency)
        return f"{described or '(no value)'} · {kind}"

    def _show_reading(self, *_args) -> None:
        try:
            values = self.result_values()
        except ValueError as e:
            self.preview.setText("")
            self.error.setText(f"Cannot be saved: {e}")
            return
        self.error.setText("")
        self.preview.setText(f"will be saved as {self.reading(values)}")

    def accept(self) -> None:
        try:
            self.result_values()
        except ValueError as e:
            self.error.setText(f"Cannot be saved: {e}")
            self.preview.setText("")
            (self.year if self.family() == "date" else self.value).setFocus()
            return
        super().accept()


class FlagDialog(QDialog):
    """Reasons are numbered: a digit picks one and flags at once, no Enter after it; the
    arrows and Enter do the same, and a note is typed after Tab (Enter in it flags)."""

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
        self.reasons.installEventFilter(self)  # a digit on the list: see eventFilter
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Flag")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.reasons.itemActivated.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(_plain(f"Flag {what}"))
        self.hint = _plain(f"A digit (1–{len(FLAG_REASONS)}) flags with that reason at once. "
                           "To add a note first, pick the reason with the arrows, Tab to the "
                           "note and press Enter.")
        self.hint.setObjectName("dialogHint")
        layout.addWidget(self.hint)
        layout.addWidget(self.reasons)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.reasons.setFocus()

    def eventFilter(self, watched, event) -> bool:
        """A digit pressed on the reason list picks that reason and flags; in the note
        a digit is text. (A key press, not a shortcut: the list's own type-ahead search
        would otherwise take the digit.)"""
        if watched is self.reasons and event.type() == QEvent.Type.KeyPress \
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            text = event.text()
            if len(text) == 1 and text.isdigit() and 1 <= int(text) <= len(FLAG_REASONS):
                self.pick(int(text) - 1)
                return True
        return super().eventFilter(watched, event)

    def pick(self, row: int) -> None:
        """A digit: that reason, and the flag is made."""
        self.reasons.setCurrentRow(row)
        self.accept()

    def result_values(self) -> tuple[str, str | None]:
        reason = FLAG_REASONS[max(self.reasons.currentRow(), 0)]
        return reason, self.note.text().strip() or None


class DatasetNameDialog(QDialog):
    """The dataset an import goes to: one of the existing ones (the current one chosen),
    or a new name, which the dialog calls a new dataset, so a typo is seen before it
    makes one."""

    def __init__(self, default: str, existing: Sequence[str] = (),
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import")
        self.setMinimumWidth(360)
        self.existing = list(existing)
        self.combo = QComboBox()
        self.combo.setObjectName("datasetName")
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.addItems(self.existing)
        at = self.combo.findText(default, Qt.MatchFlag.MatchExactly)
        if at >= 0:
            self.combo.setCurrentIndex(at)
        else:
            self.combo.setCurrentText(default)
        _line_edit(self.combo).selectAll()
        self.hint = _plain("")
        self.hint.setObjectName("dialogHint")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(_plain("Add the articles to dataset:"))
        layout.addWidget(self.combo)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self.combo.currentTextChanged.connect(self._show_hint)
        self._show_hint()
        self.combo.setFocus()

    def name(self) -> str:
        return self.combo.currentText().strip()

    def is_new(self) -> bool:
        return bool(self.name()) and self.name() not in self.existing

    def _show_hint(self, *_args) -> None:
        name = self.name()
        self.ok.setEnabled(bool(name))
        if not name:
            self.hint.setText("Give a dataset name")
        elif self.is_new():
            self.hint.setText(f"“{name}” (new dataset)")
        else:
            self.hint.setText("")


class Dialogs:
    """Asks the reviewer; every method returns None (or empty) when they cancel."""

    def correct(self, parent, figure: browse.FigureView, surface: str) -> dict | None:
        dlg = CorrectDialog(figure, surface, parent)
        return dlg.result_values() if dlg.exec() == QDialog.DialogCode.Accepted else None

    def flag(self, parent, what: str) -> tuple[str, str | None] | None:
        dlg = FlagDialog(what, parent)
        return dlg.result_values() if dlg.exec() == QDialog.DialogCode.Accepted else None

    def reviewer_name(self, parent) -> str | None:
        name, ok = QInputDialog.getText(
            parent, "Reviewer",
            "Your name (recorded with every review decision).\n"
            "annotator cannot open without one: Cancel quits.")
        return name.strip() if ok and name.strip() else None

    def new_reviewer_name(self, parent, current: str) -> str | None:
        """File > Change reviewer: the name typed (not yet checked), None on Cancel."""
        name, ok = QInputDialog.getText(
            parent, "Change reviewer",
            f"Reviewing as {current}. Decisions from now on are recorded under the name "
            "you give:", text=current)
        return name if ok else None

    def database_path(self, parent, title: str, new_ok: bool = False) -> str | None:
        """A database file to open or merge (File > Open database, File > Merge); with
        `new_ok` a name not yet taken may be typed (the window then offers to create it)."""
        dlg = QFileDialog(parent, title, "",
                          "annotator databases (*.db *.sqlite *.sqlite3);;All files (*)")
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dlg.setFileMode(QFileDialog.FileMode.AnyFile if new_ok
                        else QFileDialog.FileMode.ExistingFile)
        if dlg.exec() != QDialog.DialogCode.Accepted or not dlg.selectedFiles():
            return None
        return dlg.selectedFiles()[0]

    def import_paths(self, parent, folder: bool) -> list[str]:
        if folder:
            path = QFileDialog.getExistingDirectory(parent, "Import a folder of articles")
            return [path] if path else []
        files, _ = QFileDialog.getOpenFileNames(
            parent, "Import articles", "",
            "Articles (*.txt *.md *.html *.htm *.jsonl *.ndjson *.json *.csv *.tsv);;All files (*)")
        return list(files)

    def dataset_name(self, parent, default: str,
                     existing: Sequence[str] = ()) -> str | None:
        dlg = DatasetNameDialog(default, existing, parent)
        return (dlg.name() or None) if dlg.exec() == QDialog.DialogCode.Accepted else None

    def export_options(self, parent, *, dataset: str | None, signoff,
                       default_path: str) -> ExportRequest | None:
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

    def reopen_reason(self, parent, dataset: str) -> str | None:
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
