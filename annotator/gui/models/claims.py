"""The claims of one article as a two-level tree: claims, and under each its figures.

Text is shown in the script the reader chose: the model cuts sentences and surfaces out
of the displayed text with the article's offset map, so they always read like the text
beside them.
"""

from __future__ import annotations


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
_DISPLAY, _DECORATION, _TOOLTIP = int(_R.DisplayRole), int(_R.DecorationRole), int(_R.ToolTipRole)
_FOREGROUND, _FONT = int(_R.ForegroundRole), int(_R.FontRole)
_IDS = {int(FigureIdRole), int(ClaimIdRole), int(StatusRole)}
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
        self._article: browse.ArticleView | None = None
        self._shown: browse.Displayed | None = None
        self._claims: list[browse.ClaimView] = []
        self._where: dict[str, tuple[int, int]] = {}  # figure id -> (claim row, figure row)
        self._claim_rows: dict[str, int] = {}
        # What each painted cell shows, by (internal id, row, column): a repaint asks again
        # for rows that did not change, and after a confirm only two rows did.
        self._cells: dict[tuple[int, int, int], dict[int, object]] = {}

    # --- content ----------------------------------------------------------------------

    def set_article(self, article: browse.ArticleView | None,
                    shown: browse.Displayed | None) -> None:
        self.beginResetModel()
        self._article, self._shown = article, shown
        self._cells.clear()
        self._claims = article.claims if article else []
        self._claim_rows = {c.id: i for i, c in enumerate(self._claims)}
        self._where = {f.id: (ci, fi) for ci, c in enumerate(self._claims)
                       for fi, f in enumerate(c.figures)}
        self.endResetModel()

    @property
    def article(self) -> browse.ArticleView | None:
        return self._article

    def set_displayed(self, shown: browse.Displayed | None) -> None:
        self._shown = shown
        self._cells.clear()
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
            self._forget(ci + 1, fi)
            touched_claims.add(ci)
            parent = self.index(ci, 0)
            self.dataChanged.emit(self.index(fi, 0, parent),
                                  self.index(fi, len(COLUMNS) - 1, parent))
        for ci in sorted(touched_claims):
            self._forget(_TOP, ci)
            self.dataChanged.emit(self.index(ci, 0), self.index(ci, len(COLUMNS) - 1))

    def figure_index(self, figure_id: str) -> QModelIndex:
        where = self._where.get(figure_id)
        if where is None:
            return QModelIndex()
        return self.index(where[1], 0, self.index(where[0], 0))

    def claim_index(self, claim_id: str) -> QModelIndex:
        row = self._claim_rows.get(claim_id)
        return QModelIndex() if row is None else self.index(row, 0)

    def figure_at(self, index: _Index) -> browse.FigureView | None:
        if not index.isValid() or index.internalId() == _TOP:
            return None
        claim = self._claims[index.internalId() - 1]
        return claim.figures[index.row()] if index.row() < len(claim.figures) else None

    def claim_at(self, index: _Index) -> browse.ClaimView | None:
        if not index.isValid():
            return None
        row = index.row() if index.internalId() == _TOP else index.internalId() - 1
        return self._claims[row] if 0 <= row < len(self._claims) else None

    def figure_texts(self) -> list[str]:
        """What the Figure column shows for each figure, for sizing the column."""
        return [self._cut(f.start, f.end, f.text) for c in self._claims for f in c.figures]

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
        if not index.isValid():
            return None
        role = int(role)
        if role in _IDS:
            fig = self.figure_at(index)
            if fig is not None:
                return fig.id if role == FigureIdRole else \
                    fig.claim_id if role == ClaimIdRole else fig.status
            claim = self.claim_at(index)
            if claim is None or role == FigureIdRole:
                return None
            return claim.id if role == ClaimIdRole else claim.status
        if role == _TOOLTIP:
            return self._tooltip(index)
        return self._cell(index).get(role)

    def multiData(self, index: _Index, roleDataSpan) -> None:  # noqa: N803 (Qt's name)
        """All the roles a delegate paints with, in one call instead of seven; a few
        percent of a full repaint (most of the saving is the cell cache)."""
        cell = self._cell(index) if index.isValid() else {}
        for item in roleDataSpan:
            value = cell.get(item.role())
            if value is None:
                item.clearData()
            else:
                item.setData(value)

    def _forget(self, internal_id: int, row: int) -> None:
        for col in range(len(COLUMNS)):
            self._cells.pop((internal_id, row, col), None)

    def _cell(self, index: _Index) -> dict[int, object]:
        key = (index.internalId(), index.row(), index.column())
        cell = self._cells.get(key)
        if cell is None:
            fig = self.figure_at(index)
            if fig is not None:
                cell = self._figure_cell(fig, index.column())
            else:
                claim = self.claim_at(index)
                cell = self._claim_cell(claim, index.column()) if claim is not None else {}
            self._cells[key] = cell
        return cell

    def _claim_cell(self, claim: browse.ClaimView, col: int) -> dict[int, object]:
        if col == 0:
            text = self._cut(claim.start, claim.end, claim.text)
            return {_DISPLAY: " ".join(text.split()), _DECORATION: theme.status_icon(claim.status)}
        if col == 2:
            done = sum(1 for f in claim.figures if f.reviewed)
            return {_DISPLAY: f"{done}/{len(claim.figures)}",
                    _FOREGROUND: theme.Status.strong(claim.status)}
        return {}

    def _figure_cell(self, fig: browse.FigureView, col: int) -> dict[int, object]:
        surface = self._cut(fig.start, fig.end, fig.text) if col == 0 else ""
        cell: dict[int, object] = {_DISPLAY: _figure_display(fig, col, surface)}
        if col == 0:
            cell[_DECORATION] = theme.status_icon(fig.status)
            cell[_FONT] = _bold_font()
        elif col == 2:
            cell[_FOREGROUND] = theme.Status.strong(fig.status)
        elif col == 3 and fig.warnings:
            cell[_FOREGROUND] = theme.WARNING
        return cell

    def _tooltip(self, index: _Index) -> str | None:
        fig = self.figure_at(index)
        if fig is not None:
            return theme.plain_tooltip(_figure_tooltip(fig))
        claim = self.claim_at(index)
        if claim is None or index.column() != 0:
            return None
        return theme.plain_tooltip(self._cut(claim.start, claim.end, claim.text))


def is_figure_row(index: _Index) -> bool:
    """A figure's row (a claim's child), told without calling into the model."""
    return index.isValid() and index.internalId() != _TOP


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
