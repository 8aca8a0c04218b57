"""The article list: a table over article ids whose rows are read a page at a time.

Only the id list of a dataset is held (100,000 ids are a few MB); titles and progress
counts are fetched for the pages the view asks for and kept in a bounded cache, so a
large dataset costs nothing until it is scrolled through.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from annotator.gui import theme
from annotator.gui.models.base import FixedColumns
from annotator.services import browse

PAGE_ROWS = 50
MAX_PAGES = 80

COLUMNS = ("Article", "Reviewed", "Lang", "⚠")
# Column -> the sort key of browse.article_ids; -1 is Qt's "not sorted" (dataset order).
SORT_KEYS = {-1: "seq", 0: "title", 1: "progress", 2: "language", 3: "warnings"}

IdRole = Qt.ItemDataRole.UserRole + 1
SummaryRole = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex
_R = Qt.ItemDataRole
# Views ask every cell for a dozen roles on each repaint; answer the others at once.
_SERVED = {_R.DisplayRole, _R.ToolTipRole, _R.ForegroundRole, _R.TextAlignmentRole, IdRole,
           SummaryRole}


class ArticleListModel(FixedColumns, QAbstractTableModel):
    COLUMNS = COLUMNS

    def __init__(self, db, parent=None):
        super().__init__(parent)
        self._db = db
        self._dataset: str | None = None
        self._filter = ""
        self._sort = ("seq", False)
        self._ids: list[str] = []
        self._rows: dict[str, int] = {}
        self._pages: OrderedDict[int, list[browse.ArticleSummary | None]] = OrderedDict()

    # --- what is listed ---------------------------------------------------------------

    @property
    def dataset(self) -> str | None:
        return self._dataset

    @property
    def ids(self) -> list[str]:
        return self._ids

    @property
    def filtered(self) -> bool:
        return bool(self._filter.strip())

    def set_dataset(self, dataset: str | None) -> None:
        self._dataset = dataset
        self.reload()

    def set_filter(self, text: str) -> None:
        if text != self._filter:
            self._filter = text
            self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        if self._dataset is None:
            self._ids = []
        else:
            key, desc = self._sort
            self._ids = browse.article_ids(self._db, self._dataset, filter_text=self._filter,
                                           sort=key, descending=desc)
        self._rows = {aid: i for i, aid in enumerate(self._ids)}
        self._pages.clear()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column, "seq")
        self._sort = (key, order == Qt.SortOrder.DescendingOrder)
        self.layoutAboutToBeChanged.emit()
        old = list(self.persistentIndexList())
        old_ids = [self._ids[i.row()] if 0 <= i.row() < len(self._ids) else None for i in old]
        if self._dataset is not None:
            self._ids = browse.article_ids(self._db, self._dataset, filter_text=self._filter,
                                           sort=key, descending=self._sort[1])
        self._rows = {aid: i for i, aid in enumerate(self._ids)}
        self._pages.clear()
        new = [self.index(self._rows[a], i.column()) if a in self._rows else QModelIndex()
               for a, i in zip(old_ids, old)]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def row_of(self, article_id: str) -> int | None:
        return self._rows.get(article_id)

    def id_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def summary(self, row: int) -> browse.ArticleSummary | None:
        if not 0 <= row < len(self._ids):
            return None
        page, offset = divmod(row, PAGE_ROWS)
        rows = self._pages.get(page)
        if rows is None:
            rows = self._load_page(page)
        else:
            self._pages.move_to_end(page)
        return rows[offset]

    def cached_pages(self) -> int:
        return len(self._pages)

    def _load_page(self, page: int) -> list[browse.ArticleSummary | None]:
        ids = self._ids[page * PAGE_ROWS:(page + 1) * PAGE_ROWS]
        found = browse.article_summaries(self._db, ids)
        rows = [found.get(aid) for aid in ids]
        self._pages[page] = rows
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return rows

    def refresh_articles(self, article_ids: Iterable[str]) -> None:
        """Re-read the listed rows of these articles (after a review changed them)."""
        rows = sorted(r for r in (self._rows.get(a) for a in article_ids) if r is not None)
        cached = [r for r in rows if r // PAGE_ROWS in self._pages]
        fresh = browse.article_summaries(self._db, [self._ids[r] for r in cached])
        for r in cached:
            page, offset = divmod(r, PAGE_ROWS)
            self._pages[page][offset] = fresh.get(self._ids[r])
        for r in rows:
            self.dataChanged.emit(self.index(r, 0), self.index(r, len(COLUMNS) - 1))

    def refresh_all(self) -> None:
        """Forget every cached row (another program reviewed): the view reads again only
        the rows it shows."""
        self._pages.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    # --- Qt model ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in _SERVED or not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == IdRole:
            return self._ids[index.row()]
        s = self.summary(index.row())
        if s is None:
            return None
        if role == SummaryRole:
            return s
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(s, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return theme.plain_tooltip(_tooltip(s, col))
        if role == Qt.ItemDataRole.ForegroundRole and col == 1:
            return theme.Status.strong("confirmed" if s.done else "unreviewed")
        if role == Qt.ItemDataRole.ForegroundRole and col == 3 and s.warned:
            return theme.WARNING
        if role == Qt.ItemDataRole.ForegroundRole and col == 3:
            return QColor("#9AA0A6")
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (1, 2, 3):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


def _tooltip(s: browse.ArticleSummary, column: int) -> str:
    if column == 1:
        return s.progress_tooltip
    if column == 3:
        return f"{s.warned} figure(s) with warnings"
    return f"{s.label}\n{s.source}\n{s.id}"


def _display(s: browse.ArticleSummary, column: int) -> str:
    if column == 0:
        return s.label
    if column == 1:
        return s.progress_text
    if column == 2:
        return s.language or ""
    if column == 3:
        return str(s.warned) if s.warned else "–"
    return ""
