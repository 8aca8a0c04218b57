"""The status bar: who is reviewing, how far the dataset is, whether work is saved."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

from annotator.services.stats import progress_text

MESSAGE_MS = 5000
PROGRESS_BAR_WIDTH = 90


class ReviewStatusBar(QStatusBar):
    def __init__(self, reviewer: str, parent=None):
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.reviewer_label = QLabel(f"Reviewer: {reviewer}")
        self.reviewer_label.setObjectName("reviewerLabel")
        self.progress_label = QLabel("")
        self.progress_label.setObjectName("progressLabel")
        # The dataset's one progress number as a bar: settled of all figures, the share
        # the label beside it and the dataset overview give (stats.progress_text).
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("datasetProgress")
        self.progress_bar.setFixedWidth(PROGRESS_BAR_WIDTH)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat("")
        self.progress_bar.hide()  # until the dataset's first count: never an empty bar
        self.save_label = QLabel("All changes saved")
        self.save_label.setObjectName("saveLabel")
        for label in (self.reviewer_label, self.progress_bar, self.progress_label,
                      self.save_label):
            if isinstance(label, QLabel):
                # reviewer and dataset names are anyone's text: shown as typed, not markup
                label.setTextFormat(Qt.TextFormat.PlainText)
            self.addPermanentWidget(label)

    def show_reviewer(self, reviewer: str) -> None:
        self.reviewer_label.setText(f"Reviewer: {reviewer}")

    def show_progress(self, dataset: str, settled: int, total: int, inherited: int = 0) -> None:
        """`settled` counts own decisions and inherited states alike, `inherited` the
        latter, so the bar words progress as the dataset overview and `annotator stats`
        do."""
        if not dataset:
            self.progress_label.setText("No dataset")
            self._show_bar(0, 0, "")
            return
        inherited = min(inherited, settled)
        words = progress_text(settled - inherited, inherited, total)
        self.progress_label.setText(f"{dataset}: {words}")
        self._show_bar(settled, total, words)

    def _show_bar(self, settled: int, total: int, words: str) -> None:
        bar = self.progress_bar
        bar.setRange(0, max(total, 1))
        bar.setValue(min(settled, total))
        bar.setFormat(f"{settled * 100 // total}%" if total else "")
        bar.setToolTip(words)
        bar.setVisible(total > 0)

    def show_saved(self, text: str) -> None:
        stamp = _dt.datetime.now().strftime("%H:%M:%S")
        self.save_label.setText(f"{text} · {stamp}")
        self._set_state("saved")

    def show_unsaved(self, text: str) -> None:
        self.save_label.setText(text)
        self._set_state("error")

    def _set_state(self, state: str) -> None:
        """Restyle only when the state changes: a repolish on every confirm cost a style
        pass for a label that already looked right."""
        if self.save_label.property("state") == state:
            return
        self.save_label.setProperty("state", state)
        style = self.save_label.style()
        style.unpolish(self.save_label)
        style.polish(self.save_label)

    def say(self, text: str) -> None:
        self.showMessage(text, MESSAGE_MS)
