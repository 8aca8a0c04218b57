"""The right-hand panel: the article's claims and figures, and the current one in detail."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QLabel, QSplitter, QTreeView, QVBoxLayout, QWidget,
)

from annotator.gui import theme
from annotator.gui.models.claims import ClaimIdRole, ClaimTreeModel, FigureIdRole
from annotator.gui.widgets.figure_detail import FigureDetail


class ClaimsPanel(QWidget):
    figurePicked = Signal(str)
    claimPicked = Signal(str)

    def __init__(self, model: ClaimTreeModel, parent=None):
        super().__init__(parent)
        self.model = model
        self.title = QLabel("Claims")
        self.title.setObjectName("panelTitle")
        self.tree = QTreeView()
        self.tree.setObjectName("claimsTree")
        theme.opaque_viewport(self.tree)
        self.tree.setModel(model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setAllColumnsShowFocus(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths: sizing to contents re-reads every row on every article switch.
        metrics = self.tree.fontMetrics()
        for col, sample in ((1, "180,000 人 · count"), (2, "unreviewed"), (3, "⚠ 9")):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, metrics.horizontalAdvance(sample) + 24)
        self.detail = FigureDetail()
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("claimsSplitter")
        split.addWidget(self.tree)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        self.splitter = split
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(split)
        self._quiet = False
        self.tree.selectionModel().currentChanged.connect(self._picked)
        model.modelReset.connect(self._after_reset)

    def _after_reset(self) -> None:
        self.tree.expandAll()
        for row in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
        n = self.model.rowCount()
        figures = sum(self.model.rowCount(self.model.index(r, 0)) for r in range(n))
        self.title.setText(f"Claims ({n}) · figures ({figures})")

    def _picked(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet or not current.isValid():
            return
        fid = current.data(FigureIdRole)
        if fid:
            self.figurePicked.emit(fid)
        else:
            cid = current.data(ClaimIdRole)
            if cid:
                self.claimPicked.emit(cid)

    def show_current(self, figure_id: str | None, claim_id: str | None) -> None:
        """Follow the session's cursor without reporting it back as a pick."""
        index = self.model.figure_index(figure_id) if figure_id else QModelIndex()
        if not index.isValid() and claim_id:
            index = self.model.claim_index(claim_id)
        self._quiet = True
        try:
            sel = self.tree.selectionModel()
            if index.isValid():
                sel.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                    | QItemSelectionModel.SelectionFlag.Rows)
                self.tree.scrollTo(index)
            else:
                sel.clearSelection()
        finally:
            self._quiet = False
