"""File > Export: the choices `annotator export` offers, as a form.

Format (JSONL, CSV, schema.org ClaimReview), which claims by status, the script the text
is converted to, and for a signed-off dataset the signed export, which is checked
against the signatures and writes a manifest beside the file. The form only collects
the choices; file_ops runs the export with the same core calls as the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout,
    QLabel, QLineEdit, QPushButton, QWidget,
)

from annotator.services.export.records import CLAIM_STATUSES, SCRIPTS
from annotator.gui.widgets.form import finish_form
from annotator.gui.widgets.signoff_badge import signoff_summary
from annotator.services.export.signed import manifest_path

# format -> (label, file name suffix, file dialog filter)
FORMATS = {
    "jsonl": ("JSON Lines: one claim per line", ".jsonl", "JSON Lines (*.jsonl)"),
    "csv": ("CSV: one row per figure", ".csv", "CSV (*.csv)"),
    "claimreview": ("ClaimReview (schema.org JSON-LD): one per reviewed claim", ".json",
                    "JSON-LD (*.json *.jsonld)"),
}
SCRIPT_LABELS = {
    "original": "Original (as stored)",
    "hans": "Simplified",
    "hant": "Traditional",
    "hk": "Traditional (Hong Kong)",
    "tw": "Traditional (Taiwan)",
}
STATUS_LABELS = {"unreviewed": "Unreviewed", "confirmed": "Confirmed",
                 "corrected": "Corrected", "flagged": "Flagged"}


@dataclass(frozen=True)
class ExportRequest:
    """What to export, as `annotator export` takes it (statuses None = every claim)."""

    path: str
    fmt: str = "jsonl"
    statuses: tuple[str, ...] | None = None
    script: str = "original"
    signed: bool = False
    neutralise: bool = True  # CSV: cells that would start a formula open with '


def _plain(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


class ExportDialog(QDialog):
    """`dataset` None exports every dataset; `signoff` is the dataset's SignoffState."""

    def __init__(self, dataset: str | None, signoff, default_path: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Export claims")
        self.setMinimumWidth(520)
        self.dataset = dataset
        self.can_sign = bool(dataset) and signoff is not None and signoff.signed_off
        where = f"Dataset {dataset!r}" if dataset else "Every dataset"
        if signoff is not None and dataset:
            where += f" · {signoff_summary(signoff.signed_off, signoff.signers, signoff.required)}"
        self.where = _plain(where, "exportDataset")

        self.format = QComboBox()
        self.format.setObjectName("exportFormat")
        for key, (label, _suffix, _filter) in FORMATS.items():
            self.format.addItem(label, key)

        self.statuses: dict[str, QCheckBox] = {}
        status_row = QHBoxLayout()
        for status in CLAIM_STATUSES:
            box = QCheckBox(STATUS_LABELS.get(status, status))
            box.setObjectName(f"exportStatus_{status}")
            box.setChecked(True)
            self.statuses[status] = box
            status_row.addWidget(box)
        status_row.addStretch(1)
        self.status_note = _plain("", "exportStatusNote")

        self.script = QComboBox()
        self.script.setObjectName("exportScript")
        for key in SCRIPTS:
            self.script.addItem(SCRIPT_LABELS.get(key, key), key)

        self.signed = QCheckBox("Signed export: check the content against the signatures "
                                "and write a manifest beside the file")
        self.signed.setObjectName("exportSigned")
        self.signed.setEnabled(self.can_sign)
        self.signed.setChecked(self.can_sign)
        if not self.can_sign:
            self.signed.setToolTip("Only a signed-off dataset has a signed export "
                                   "(Dataset > Sign off)")

        self.neutralise = QCheckBox("Neutralise formulas: a text cell starting with = + - @ "
                                    "gets a leading ' so a spreadsheet never runs it")
        self.neutralise.setObjectName("exportNeutralise")
        self.neutralise.setChecked(True)

        self.path = QLineEdit(default_path)
        self.path.setObjectName("exportPath")
        browse = QPushButton("Choose…")
        browse.setObjectName("exportChoose")
        browse.clicked.connect(self._choose)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        self.path_note = _plain("", "exportPathNote")
        self.error = _plain("", "dialogError")

        form = QFormLayout()
        form.addRow("Export", self.where)
        form.addRow("Format", self.format)
        form.addRow("Claims", status_row)
        form.addRow("", self.status_note)
        form.addRow("Script", self.script)
        form.addRow("", self.neutralise)
        form.addRow("", self.signed)
        form.addRow("File", path_row)
        form.addRow("", self.path_note)
        self.buttons = finish_form(self, form, self.error, ok_text="Export")

        self.format.currentIndexChanged.connect(self._format_changed)
        for box in self.statuses.values():
            box.toggled.connect(lambda _on: self._explain())
        self.signed.toggled.connect(lambda _on: self._explain())
        self.signed.toggled.connect(lambda _on: self._neutralise_shown())
        self.path.textChanged.connect(lambda _t: self._explain())
        self._format_changed()

    # --- the choices ------------------------------------------------------------------

    @property
    def fmt(self) -> str:
        return self.format.currentData()

    def set_format(self, fmt: str) -> None:
        self.format.setCurrentIndex(self.format.findData(fmt))

    def set_script(self, script: str) -> None:
        self.script.setCurrentIndex(self.script.findData(script))

    def chosen_statuses(self) -> tuple[str, ...] | None:
        on = tuple(s for s in CLAIM_STATUSES if self.statuses[s].isChecked())
        return None if len(on) == len(CLAIM_STATUSES) else on

    def request(self) -> ExportRequest:
        signed = self.can_sign and self.signed.isChecked()
        return ExportRequest(path=self.path.text().strip(), fmt=self.fmt,
                             statuses=self.chosen_statuses(), script=self.script.currentData(),
                             signed=signed,
                             neutralise=signed or self.neutralise.isChecked())

    def problem(self) -> str | None:
        """Why the choices cannot be exported as they are, or None."""
        path = self.path.text().strip()
        on = [s for s in CLAIM_STATUSES if self.statuses[s].isChecked()]
        if not on:
            return "Choose at least one status of claims to export"
        if self.fmt == "claimreview" and on == ["unreviewed"]:
            return "ClaimReview leaves unreviewed claims out; choose a reviewed status"
        if not path:
            return "Choose the file to write"
        if Path(path).is_dir():
            return f"{path} is a folder; choose a file name in it"
        return None

    # --- reacting -----------------------------------------------------------------------

    def _format_changed(self) -> None:
        """The file name follows the format when it still ends with a format's suffix."""
        path = self.path.text().strip()
        suffix = FORMATS[self.fmt][1]
        for _label, other, _filter in FORMATS.values():
            if path.lower().endswith(other) and other != suffix:
                self.path.setText(path[: -len(other)] + suffix)
                break
        self._neutralise_shown()
        self._explain()

    def _neutralise_shown(self) -> None:
        """A CSV choice; a signed export is always neutralised (as `annotator export
        --signed-off` writes it)."""
        self.neutralise.setVisible(self.fmt == "csv")
        signed = self.can_sign and self.signed.isChecked()
        self.neutralise.setEnabled(not signed)
        if signed:
            self.neutralise.setChecked(True)

    def _explain(self) -> None:
        notes = []
        if self.fmt == "claimreview" and self.statuses["unreviewed"].isChecked():
            notes.append("ClaimReview has no verdict for unreviewed claims and leaves them out.")
        if self.fmt == "csv":
            notes.append("CSV has one row per figure; its offsets point into the stored text.")
        self.status_note.setText(" ".join(notes))
        self.status_note.setVisible(bool(notes))
        path = self.path.text().strip()
        lines = []
        if path and Path(path).is_file():
            lines.append("The file exists and will be replaced.")
        if path and self.can_sign and self.signed.isChecked():
            lines.append(f"Also writes {manifest_path(path).name} beside it.")
        self.path_note.setText(" ".join(lines))
        self.path_note.setVisible(bool(lines))
        self.error.setText("")

    def _choose(self) -> None:
        _label, suffix, file_filter = FORMATS[self.fmt]
        path, _chosen = QFileDialog.getSaveFileName(self, "Export claims", self.path.text(),
                                                    f"{file_filter};;All files (*)")
        if path:
            if not Path(path).suffix:
                path += suffix
            self.path.setText(path)

    def accept(self) -> None:
        problem = self.problem()
        if problem:
            self.error.setText(problem)
            return
        super().accept()
