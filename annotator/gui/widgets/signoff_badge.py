"""The status bar's word on sign-off: a locked dataset must look locked before anyone
presses A and is refused."""

from __future__ import annotations

from typing import TYPE_CHECKING
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

if TYPE_CHECKING:
    from annotator.services.signoff import SignoffState

LOCKED_STYLE = "color: #B3261E; font-weight: 600;"
SIGNED_STYLE = "color: #1F5FAD;"


def signoff_summary(signed_off: bool, signers: Sequence[str], required: int) -> str:
    if signed_off:
        return f"Signed off by {', '.join(signers)} — locked"
    if signers:
        return f"Signed by {', '.join(signers)} ({len(signers)} of {required}) — open"
    return f"Not signed ({required} signature(s) needed)"


class SignoffBadge(QLabel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("signoffBadge")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.hide()

    def show_state(self, state: SignoffState | None) -> None:
        """`state` is a SignoffState (or None: no dataset); unsigned datasets show nothing."""
        if state is None or not state.signers:
            self.setText("")
            self.setToolTip("")
            self.hide()
            return
        self.setText(signoff_summary(state.signed_off, state.signers, state.required))
        self.setStyleSheet(LOCKED_STYLE if state.signed_off else SIGNED_STYLE)
        self.setToolTip("Review decisions on this dataset are refused until it is reopened "
                        "(Dataset > Reopen)" if state.signed_off else
                        "A signature counts while the content is as it was signed; change a "
                        "decision and it must be signed again")
        self.show()
