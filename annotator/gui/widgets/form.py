"""The layout every form dialog of the window shares: fields, an error line, OK/Cancel."""

from __future__ import annotations


from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout


def finish_form(dialog: QDialog, form: QFormLayout, error: QLabel,
                ok_text: str | None = None) -> QDialogButtonBox:
    """Lay out `form`, the `error` line under it and the buttons; returns the buttons
    (OK accepts, Cancel rejects)."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    if ok_text:
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(error)
    layout.addWidget(buttons)
    return buttons
