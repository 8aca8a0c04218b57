"""Ctrl+F: search every article, in either Chinese script, without blocking the window."""

from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPushButton, QTableView, QVBoxLayout,
)

from annotator.gui.models.search import HitRole, SearchResultModel
from annotator.gui.workers import Jobs
from annotator.services import browse

SEARCH_LIMIT = 200


class SearchDialog(QDialog):
    hitActivated = Signal(dict)
    searchFinished = Signal(int)  # number of hits

    def __init__(self, session, jobs: Jobs, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Search all articles")
        self.setModal(False)
        self.resize(720, 460)
        self.session, self.jobs = session, jobs
        self.query = QLineEdit()
        self.query.setObjectName("searchQuery")
        self.query.setPlaceholderText("Words or figures; 简体 finds 繁體 and the other way round")
        self.only_dataset = QCheckBox("Only this dataset")
        self.only_dataset.setChecked(True)
        go = QPushButton("Search")
        go.setDefault(True)
        self.model = SearchResultModel(self)
        self.table = QTableView()
        self.table.setObjectName("searchResults")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 200)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.status = QLabel("")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        top = QHBoxLayout()
        top.addWidget(self.query, 1)
        top.addWidget(self.only_dataset)
        top.addWidget(go)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        go.clicked.connect(self.run_search)
        self.query.returnPressed.connect(self.run_search)
        self.table.activated.connect(self._activated)
        self._job = None
        self._token = None

    def run_search(self, text: Optional[str] = None) -> None:
        query = (text if isinstance(text, str) else self.query.text()).strip()
        if isinstance(text, str):
            self.query.setText(text)
        if not query:
            return
        if self._job is not None:
            self._job.cancel()
        dataset = self.session.dataset if self.only_dataset.isChecked() else None
        self.status.setText(f"Searching for “{query}”…")
        token = object()
        self._token = token
        self._job = self.jobs.start(
            self.session.db_path,
            lambda db, _progress, _cancelled: browse.search(db, query, dataset=dataset,
                                                            limit=SEARCH_LIMIT),
            finished=lambda hits: self._show(token, hits),
            failed=lambda msg: self.status.setText(f"Search failed: {msg}"))

    def _show(self, token, hits: list[dict]) -> None:
        if token is not self._token:
            return  # an older search finishing late
        ids = list(dict.fromkeys(h["article_id"] for h in hits))
        labels = {aid: s.label for aid, s in browse.article_summaries(self.session.db, ids).items()}
        self.model.set_hits(hits, labels)
        more = " (showing the first ones)" if len(hits) >= SEARCH_LIMIT else ""
        self.status.setText(f"{len(hits)} match(es) in {len(ids)} article(s){more}")
        if hits:
            self.table.selectRow(0)
            self.table.setFocus()
        self.searchFinished.emit(len(hits))

    def _activated(self, index) -> None:
        hit = index.data(HitRole)
        if hit:
            self.hitActivated.emit(hit)

    def showEvent(self, event):
        super().showEvent(event)
        self.query.setFocus()
        self.query.selectAll()
