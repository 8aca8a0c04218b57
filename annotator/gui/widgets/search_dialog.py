"""Ctrl+F: search every article, in either Chinese script, without blocking the window."""

from __future__ import annotations


from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QCheckBox, QDialog, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QProgressBar, QPushButton, QStyle, QStyledItemDelegate, QStyleOptionViewItem,
    QTableView, QVBoxLayout,
)

from annotator.gui.models.search import HitRole, SearchResultModel
from annotator.gui.workers import Job, Jobs
from annotator.services import browse

SEARCH_LIMIT = 200
SNIPPET = 40  # the context annotator.services.search puts either side of a hit
HIGHLIGHT = QColor("#FFD54F")  # as the hit is marked in the article (theme.SEARCH_HIT)


def match_in_snippet(hit: dict) -> tuple[int, int]:
    """Where the match sits in the hit's snippet: the service cuts SNIPPET characters
    either side of it and puts "…" before when it cut the start. (0, 0) when the snippet
    is not cut that way."""
    start, end = int(hit.get("start", 0)), int(hit.get("end", 0))
    snippet = hit.get("snippet", "")
    lo = max(0, start - SNIPPET)
    a = start - lo + (1 if lo and snippet.startswith("…") else 0)
    b = a + (end - start)
    return (a, b) if 0 <= a < b <= len(snippet) else (0, 0)


_KEEP: list = []


def _warm(_db, _progress, _cancelled) -> bool:
    """Load what the first search needs (jieba's dictionary, the script folding) in a
    worker, so the first query does not wait seconds for it."""
    from annotator.services import search as _service  # noqa: F401
    from annotator.text.segment import match_expression

    match_expression("香港人才 talent 2025")
    return True  # (the job stays in _KEEP: a few bytes, once per dialog)


class SnippetDelegate(QStyledItemDelegate):
    """Paints a snippet with its match on the search-hit colour, keeping the match in
    view: context is cut from the left when the column is narrow."""

    def paint(self, painter, option, index):
        hit = index.data(HitRole)
        a, b = match_in_snippet(hit) if hit else (0, 0)
        if b <= a:
            return super().paint(painter, option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        snippet, opt.text = opt.text, ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        rect = rect.adjusted(margin, 0, -margin, 0)
        before, match, after = snippet[:a], snippet[a:b], snippet[b:]
        plain, bold = QFontMetrics(opt.font), QFont(opt.font)
        bold.setBold(True)
        strong = QFontMetrics(bold)
        room = rect.width()
        match_w = min(strong.horizontalAdvance(match), room)
        left_room = max(0, min(plain.horizontalAdvance(before),
                               max((room - match_w) // 3, room - match_w
                                   - plain.horizontalAdvance(after))))
        before = plain.elidedText(before, Qt.TextElideMode.ElideLeft, left_room) if before else ""
        match = strong.elidedText(match, Qt.TextElideMode.ElideRight, room)
        painter.save()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        colour = opt.palette.highlightedText().color() if selected else opt.palette.text().color()
        painter.setPen(colour)
        align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        x = rect.left()
        painter.drawText(QRect(x, rect.top(), room, rect.height()), align, before)
        x += plain.horizontalAdvance(before)
        match_w = strong.horizontalAdvance(match)
        painter.fillRect(QRect(x, rect.top() + 1, match_w, rect.height() - 2), HIGHLIGHT)
        painter.setPen(QColor("#000000"))
        painter.setFont(bold)
        painter.drawText(QRect(x, rect.top(), match_w, rect.height()), align, match)
        x += match_w
        painter.setPen(colour)
        painter.setFont(opt.font)
        rest = max(0, rect.right() - x)
        painter.drawText(QRect(x, rect.top(), rest, rect.height()), align,
                         plain.elidedText(after, Qt.TextElideMode.ElideRight, rest))
        painter.restore()


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
        self.table.setItemDelegateForColumn(1, SnippetDelegate(self.table))
        self.status = QLabel("")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.busy = QProgressBar()  # no range: it only says "working"
        self.busy.setObjectName("searchBusy")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(10)
        self.busy.hide()
        top = QHBoxLayout()
        top.addWidget(self.query, 1)
        top.addWidget(self.only_dataset)
        top.addWidget(go)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.busy)
        layout.addWidget(self.status)
        go.clicked.connect(self.run_search)
        self.query.returnPressed.connect(self.run_search)
        self.table.activated.connect(self._activated)
        self._job: Job | None = None
        self._token: object | None = None
        self.ready = False
        self.status.setText("Preparing the word search…")
        # Jobs of its own: the window's jobs are the searches and writes it waits for
        self._warming = Jobs(self, pool=jobs.pool)
        self.warm_job = self._warming.start(session.db_path, _warm, finished=self._warmed,
                                            failed=lambda _msg: self._warmed(False))
        _KEEP.append(self.warm_job)  # alive until it has run, even if the dialog goes first

    def _warmed(self, _ok) -> None:
        self.ready = True
        if self._job is None and self.status.text() == "Preparing the word search…":
            self.status.setText("")

    def run_search(self, text: str | None = None) -> None:
        query = (text if isinstance(text, str) else self.query.text()).strip()
        if isinstance(text, str):
            self.query.setText(text)
        if not query:
            return
        if self._job is not None:
            self._job.cancel()
        dataset = self.session.dataset if self.only_dataset.isChecked() else None
        self.status.setText(f"Searching for “{query}”…")
        self.busy.show()
        token = object()
        self._token = token
        self._job = self.jobs.start(
            self.session.db_path,
            lambda db, _progress, _cancelled: browse.search_articles(
                db, query, dataset=dataset, limit=SEARCH_LIMIT),
            finished=lambda hits: self._show(token, hits),
            failed=lambda msg: self._failed(token, msg))

    def _failed(self, token, message: str) -> None:
        if token is self._token:
            self._job = None
            self.busy.hide()
            self.status.setText(f"Search failed: {message}")

    def _show(self, token, hits: list[dict]) -> None:
        if token is not self._token:
            return  # an older search finishing late
        self._job = None
        self.busy.hide()
        ids = list(dict.fromkeys(h["article_id"] for h in hits))
        labels = {aid: s.label for aid, s in browse.article_summaries(self.session.db, ids).items()}
        self.model.set_hits(hits, labels)
        self.status.setText(_count(len(ids), more=len(hits) >= SEARCH_LIMIT))
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


def _count(articles: int, *, more: bool) -> str:
    """The service returns one hit per article (its first match), so the count is of
    articles."""
    if articles == 0:
        return "Not found in any article"
    found = f"Found in {articles} article{'s' if articles != 1 else ''}"
    shown = " (the first match in each" + ("; showing the first ones)" if more else ")")
    return found + shown
