"""The dataset view's tables: reviewers' progress, pairwise agreement, signatures.

Each is a handful of rows from `team.dataset_overview`, so the models hold plain dicts
and format them; the numbers are the service's, only rounded for reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from annotator.gui import theme

_Index = QModelIndex | QPersistentModelIndex
RecordRole = Qt.ItemDataRole.UserRole + 1
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column:
    header: str
    text: Callable[[dict], str]
    numeric: bool = False
    tip: str = ""


def count(key: str) -> Callable[[dict], str]:
    return lambda row: f"{row.get(key) or 0:,}"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def coefficient(value: float | None) -> str:
    """Kappa and alpha to three places; undefined (no variation to measure) as a dash."""
    return "—" if value is None else f"{value:.3f}"


def when(at: str | None) -> str:
    """An event time as people read it: date and minute, UTC kept visible."""
    if not at:
        return ""
    text = at.replace("T", " ")
    return text[:16] + (" UTC" if at.endswith(("Z", "+00:00")) else "")


class RecordTableModel(QAbstractTableModel):
    columns: Sequence[Column] = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[dict] = []

    def set_rows(self, rows: Sequence[dict]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[dict]:
        return list(self._rows)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows) \
                or not 0 <= index.column() < len(self.columns):
            return None
        row, col = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if col.numeric else _LEFT)
        if role == Qt.ItemDataRole.ToolTipRole:
            return theme.plain_tooltip(col.tip or col.text(row))
        if role == RecordRole:
            return dict(row)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        if role == Qt.ItemDataRole.ToolTipRole and self.columns[section].tip:
            return self.columns[section].tip
        return None


class ReviewerProgressModel(RecordTableModel):
    """Rows of `team.reviewer_progress`."""

    columns = (
        Column("Reviewer", lambda r: r["reviewer"]),
        Column("Reviewed", lambda r: f"{r['reviewed']:,} / {r['figures']:,}", True,
               "Figures of the dataset with this reviewer's own decision"),
        Column("%", lambda r: percent(r.get("percent")), True),
        Column("Confirmed", count("confirmed"), True),
        Column("Corrected", count("corrected"), True),
        Column("Flagged", count("flagged"), True),
    )


class AgreementPairsModel(RecordTableModel):
    """Rows of `Agreement.pairs` (as dicts): two reviewers over the figures both decided."""

    columns = (
        Column("Reviewers", lambda r: f"{r['a']} · {r['b']}"),
        Column("Both decided", count("figures"), True),
        Column("Agreed", count("agreed"), True),
        Column("Agreement", lambda r: percent(r.get("percent")), True,
               "Share of the figures both decided on which their verdicts agree"),
        Column("Cohen's κ", lambda r: coefficient(r.get("kappa")), True,
               "Agreement corrected for chance; — when undefined (both always gave the "
               "same verdict)"),
    )


class SignaturesModel(RecordTableModel):
    """The sign-off state's signatures since the last reopen; stale ones say so."""

    columns = (
        Column("Signed by", lambda r: r["reviewer"]),
        Column("At", lambda r: when(r.get("at"))),
        Column("Figures", count("figures"), True),
        Column("Counts", lambda r: "yes" if r.get("counts") else "no (content changed since)"),
    )
