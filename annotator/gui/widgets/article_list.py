"""The left-hand panel: dataset picker, filter box and the (lazy) article table."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout,
    QWidget,
)

from annotator.gui import theme
from annotator.gui.models.articles import ArticleListModel
from annotator.gui.models.datasets import DatasetListModel, NameRole

FILTER_DELAY_MS = 250
ROW_HEIGHT = 26


class ArticleListPanel(QWidget):
    datasetPicked = Signal(str)
    rowPicked = Signal(int)

    def __init__(self, datasets: DatasetListModel, articles: ArticleListModel, parent=None):
        super().__init__(parent)
        self.datasets_model, self.model = datasets, articles
        title = QLabel("Datasets and articles")
        title.setObjectName("panelTitle")
        self.dataset_box = QComboBox()
        self.dataset_box.setObjectName("datasetBox")
        self.dataset_box.setModel(datasets)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("articleFilter")
        self.filter_edit.setPlaceholderText("Filter by title, source or id")
        self.filter_edit.setClearButtonEnabled(True)
        self.table = self._make_table(articles)
        self.count_label = QLabel()
        self.count_label.setObjectName("listCount")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for w in (title, self.dataset_box, self.filter_edit, self.table, self.count_label):
            layout.addWidget(w)
        self._filter_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(lambda _t: self._filter_timer.start())
        self.dataset_box.activated.connect(self._dataset_activated)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        articles.modelReset.connect(self._update_count)
        articles.layoutChanged.connect(self._update_count)
        self._quiet = False

    def _make_table(self, model: ArticleListModel) -> QTableView:
        table = QTableView()
        table.setObjectName("articleTable")
        theme.opaque_viewport(table)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        vh = table.verticalHeader()
        vh.setVisible(False)
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # never measures 100k rows
        vh.setDefaultSectionSize(ROW_HEIGHT)
        hh = table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths: sizing to contents would read a thousand rows to measure them.
        metrics = table.fontMetrics()
        for col, sample in ((1, " Reviewed "), (2, " Lang "), (3, " 999 ")):
            hh.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            hh.resizeSection(col, metrics.horizontalAdvance(sample) + 16)
        hh.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        hh.setSortIndicatorClearable(True)
        table.setSortingEnabled(True)
        return table

    def _apply_filter(self) -> None:
        self.model.set_filter(self.filter_edit.text())

    def apply_filter_now(self) -> None:
        self._filter_timer.stop()
        self._apply_filter()

    def stop(self) -> None:
        self._filter_timer.stop()

    def _dataset_activated(self, row: int) -> None:
        name = self.datasets_model.index(row, 0).data(NameRole)
        if name:
            self.datasetPicked.emit(name)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._quiet and current.isValid():
            self.rowPicked.emit(current.row())

    def _update_count(self) -> None:
        n = self.model.rowCount()
        self.count_label.setText(f"{n:,} article(s)" + (" (filtered)" if self.model.filtered else ""))

    def show_dataset(self, name: str) -> None:
        row = self.datasets_model.row_of(name)
        if row is not None:
            self.dataset_box.setCurrentIndex(row)

    def show_article(self, article_id: str) -> None:
        """Select the article's row without reporting it back as a pick."""
        row = self.model.row_of(article_id) if article_id else None
        self._quiet = True
        try:
            sel = self.table.selectionModel()
            if row is None:
                sel.clearSelection()
                return
            index = self.model.index(row, 0)
            sel.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(index)
        finally:
            self._quiet = False
