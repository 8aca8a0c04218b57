"""The claims of one article as a two-level tree: claims, and under each its figures.

Text is shown in the script the reader chose: the model cuts sentences and surfaces out
of the displayed text with the article's offset map, so they always read like the text
beside them.
"""

from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from annotator.gui import theme
from annotator.gui.models.base import FixedColumns
from annotator.services import browse

COLUMNS = ("Figure", "Read as", "Status", "⚠")
FigureIdRole = Qt.ItemDataRole.UserRole + 1
ClaimIdRole = Qt.ItemDataRole.UserRole + 2
StatusRole = Qt.ItemDataRole.UserRole + 3

_Index = QModelIndex | QPersistentModelIndex
_TOP = 0  # internal id of claim rows; a figure row stores its claim's row + 1
_R = Qt.ItemDataRole
# Views ask every cell for a dozen roles on each repaint; answer the others at once.
_SERVED = {_R.DisplayRole, _R.ToolTipRole, _R.DecorationRole, _R.ForegroundRole, _R.FontRole,
           FigureIdRole, ClaimIdRole, StatusRole}
_bold: list[QFont] = []


def _bold_font() -> QFont:
    if not _bold:
        font = QFont()
        font.setBold(True)
        _bold.append(font)
    return _bold[0]


class ClaimTreeModel(FixedColumns, QAbstractItemModel):
    COLUMNS = COLUMNS

    def __init__(self, parent=None):
        super().__init__(parent)
        self._article: Optional[browse.ArticleView] = None
        self._shown: Optional[browse.Displayed] = None
        self._claims: list[browse.ClaimView] = []
        self._where: dict[str, tuple[int, int]] = {}  # figure id -> (claim row, figure row)
        self._claim_rows: dict[str, int] = {}

    # --- content ----------------------------------------------------------------------

    def set_article(self, article: Optional[browse.ArticleView],
                    shown: Optional[browse.Displayed]) -> None:
        self.beginResetModel()
        self._article, self._shown = article, shown
        self._claims = article.claims if article else []
        self._claim_rows = {c.id: i for i, c in enumerate(self._claims)}
        self._where = {f.id: (ci, fi) for ci, c in enumerate(self._claims)
                       for fi, f in enumerate(c.figures)}
        self.endResetModel()

    def set_displayed(self, shown: Optional[browse.Displayed]) -> None:
        self._shown = shown
        if self._claims:
            last = self.index(len(self._claims) - 1, 0)
            self.dataChanged.emit(self.index(0, 0), last.siblingAtColumn(len(COLUMNS) - 1))
            for ci, c in enumerate(self._claims):
                if c.figures:
                    parent = self.index(ci, 0)
                    self.dataChanged.emit(self.index(0, 0, parent),
                                          self.index(len(c.figures) - 1, len(COLUMNS) - 1, parent))

    def update_figures(self, figures: dict[str, browse.FigureView]) -> None:
        """Replace the state of these figures (the ones a review touched) in place."""
        touched_claims: set[int] = set()
        for fid, fig in figures.items():
            where = self._where.get(fid)
            if where is None:
                continue
            ci, fi = where
            self._claims[ci].figures[fi] = fig
            touched_claims.add(ci)
            parent = self.index(ci, 0)
            self.dataChanged.emit(self.index(fi, 0, parent),
                                  self.index(fi, len(COLUMNS) - 1, parent))
        for ci in sorted(touched_claims):
            self.dataChanged.emit(self.index(ci, 0), self.index(ci, len(COLUMNS) - 1))

    def figure_index(self, figure_id: str) -> QModelIndex:
        where = self._where.get(figure_id)
        if where is None:
            return QModelIndex()
        return self.index(where[1], 0, self.index(where[0], 0))

    def claim_index(self, claim_id: str) -> QModelIndex:
        row = self._claim_rows.get(claim_id)
        return QModelIndex() if row is None else self.index(row, 0)

    def figure_at(self, index: _Index) -> Optional[browse.FigureView]:
        if not index.isValid() or index.internalId() == _TOP:
            return None
        claim = self._claims[index.internalId() - 1]
        return claim.figures[index.row()] if index.row() < len(claim.figures) else None

    def claim_at(self, index: _Index) -> Optional[browse.ClaimView]:
        if not index.isValid():
            return None
        row = index.row() if index.internalId() == _TOP else index.internalId() - 1
        return self._claims[row] if 0 <= row < len(self._claims) else None

    def _cut(self, start: int, end: int, fallback: str) -> str:
        if self._shown is None:
            return fallback
        a, b = self._shown.span_to_display(start, end)
        return self._shown.text[a:b]

    # --- Qt model ---------------------------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:
        if column < 0 or column >= len(COLUMNS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _TOP) if row < len(self._claims) else QModelIndex()
        if parent.internalId() != _TOP or parent.row() >= len(self._claims):
            return QModelIndex()
        if row >= len(self._claims[parent.row()].figures):
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _TOP)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._claims)
        if parent.internalId() == _TOP and parent.column() == 0 and parent.row() < len(self._claims):
            return len(self._claims[parent.row()].figures)
        return 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return len(COLUMNS)

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:
        return self.rowCount(parent) > 0

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in _SERVED or not index.isValid():
            return None
        fig = self.figure_at(index)
        if fig is not None:
            return self._figure_data(fig, index.column(), role)
        claim = self.claim_at(index)
        if claim is None:
            return None
        return self._claim_data(claim, index.column(), role)

    def _claim_data(self, claim: browse.ClaimView, col: int, role: int):
        if role == ClaimIdRole:
            return claim.id
        if role == StatusRole:
            return claim.status
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == 0:
                text = self._cut(claim.start, claim.end, claim.text)
                return " ".join(text.split()) if role == Qt.ItemDataRole.DisplayRole \
                    else theme.plain_tooltip(text)
            if col == 2 and role == Qt.ItemDataRole.DisplayRole:
                done = sum(1 for f in claim.figures if f.reviewed)
                return f"{done}/{len(claim.figures)}"
            return None
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return theme.status_icon(claim.status)
        if role == Qt.ItemDataRole.ForegroundRole and col == 2:
            return theme.Status.strong(claim.status)
        return None

    def _figure_data(self, fig: browse.FigureView, col: int, role: int):
        if role == FigureIdRole:
            return fig.id
        if role == ClaimIdRole:
            return fig.claim_id
        if role == StatusRole:
            return fig.status
        if role == Qt.ItemDataRole.DisplayRole:
            return _figure_display(fig, col, self._cut(fig.start, fig.end, fig.text))
        if role == Qt.ItemDataRole.ToolTipRole:
            return theme.plain_tooltip(_figure_tooltip(fig))
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return theme.status_icon(fig.status)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 2:
                return theme.Status.strong(fig.status)
            if col == 3 and fig.warnings:
                return theme.WARNING
        if role == Qt.ItemDataRole.FontRole and col == 0:
            return _bold_font()
        return None


def _figure_display(fig: browse.FigureView, col: int, surface: str) -> str:
    if col == 0:
        return surface
    if col == 1:
        reading = f"{fig.value_text()} · {fig.kind}" if fig.value_text() else fig.kind
        corrected = fig.corrected_text()
        return f"{reading} → {corrected}" if corrected else reading
    if col == 2:
        return fig.status + (" !" if fig.conflict else "")
    if col == 3:
        return f"⚠ {len(fig.warnings)}" if fig.warnings else ""
    return ""


def _figure_tooltip(fig: browse.FigureView) -> str:
    lines = [f"{fig.text}  →  {fig.value_text() or '(no value)'}  [{fig.kind}]"]
    status = fig.status + (f": {fig.flag.replace('_', ' ')}" if fig.flag else "")
    lines.append(status + (" (reviewers disagree)" if fig.conflict else ""))
    if fig.corrected_text():
        lines.append(f"Corrected to {fig.corrected_text()}")
    lines += [f"⚠ {w.message} ({w.code})" for w in fig.warnings]
    if fig.note:
        lines.append(f"Note: {fig.note}")
    return "\n".join(lines)
