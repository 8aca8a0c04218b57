"""The right-hand panel: the article's claims and figures, and the current one in detail."""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent, QItemSelectionModel, QModelIndex, QObject, QRect, QSize, Qt, QTimer, Signal,
)
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QLabel, QSplitter, QStackedWidget, QStyle,
    QStyledItemDelegate, QStyleOptionViewItem, QTreeView, QVBoxLayout, QWidget,
)

from annotator.gui import theme
from annotator.gui.languages import no_claims_note
from annotator.gui.models.claims import ClaimIdRole, ClaimTreeModel, FigureIdRole, is_figure_row
from annotator.gui.widgets.figure_detail import FigureDetail


READ_AS_KEPT = "57,600 · number"


class FigureCellDelegate(QStyledItemDelegate):
    """A figure too long for its column is cut in the middle, so both ends read
    ("around of 45…Hong Kong dollars": the qualifier and the unit); its tooltip has it
    whole. A claim's sentence is cut at its end, as text is."""

    def initStyleOption(self, option, index) -> None:  # noqa: N802 (Qt's name)
        super().initStyleOption(option, index)
        if is_figure_row(index):
            option.textElideMode = Qt.TextElideMode.ElideMiddle


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
        self.figure_delegate = FigureCellDelegate(self.tree)
        self.tree.setItemDelegateForColumn(0, self.figure_delegate)
        self.tree.setAllColumnsShowFocus(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        # The Figure column is as wide as the article's widest figure needs (up to a cap)
        # and "Read as" takes the rest, eliding: the figure is what is being checked, and
        # its reading is in the detail pane below. Claim rows span every column.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        metrics = self.tree.fontMetrics()
        for col, sample in ((2, "unreviewed"), (3, "⚠ 9")):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, metrics.horizontalAdvance(sample) + 16)
        # "Read as" keeps room for a common reading whole; a figure longer than the
        # Figure column then has is cut in its middle (FigureCellDelegate)
        self._read_as_min = metrics.horizontalAdvance(READ_AS_KEPT) + 12
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.timeout.connect(self.fit_figure_column)
        self.tree.viewport().installEventFilter(self)
        self.detail = FigureDetail()
        # An article without claims says why in place of the empty list (a language the
        # figure engine does not read, or no figures found)
        self.note = QLabel("")
        self.note.setObjectName("claimsNote")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.note.setMargin(12)
        self.list_or_note = QStackedWidget()
        self.list_or_note.addWidget(self.tree)
        self.list_or_note.addWidget(self.note)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("claimsSplitter")
        split.addWidget(self.list_or_note)
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
        # a script switch changes the surfaces (繁體 may be longer than 简体)
        model.dataChanged.connect(lambda *_: self._fit_timer.start(0))

    # --- the Figure column's width ------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tree.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_timer.start(0)
        return super().eventFilter(watched, event)

    def figure_cap(self) -> int:
        """The widest the Figure column gets: what is left once "Read as" keeps a few
        characters, and never more than a long qualified money figure needs."""
        header = self.tree.header()
        room = (self.tree.viewport().width() - header.sectionSize(2) - header.sectionSize(3)
                - self._read_as_min)
        longest = self._chrome() + self._bold_metrics().horizontalAdvance("as high as HKD 45,000,000,000")
        return max(min(room, longest), self._header_min())

    def figure_need(self) -> int:
        """The Figure column's width that shows every figure of the article in full."""
        metrics = self._bold_metrics()
        widest = max((metrics.horizontalAdvance(t) for t in self.model.figure_texts()),
                     default=0)
        return max(self._chrome() + widest, self._header_min())

    def fit_figure_column(self) -> None:
        self._fit_timer.stop()
        width = min(self.figure_need(), self.figure_cap())
        if self.tree.header().sectionSize(0) != width:
            self.tree.header().resizeSection(0, width)

    def _bold_metrics(self) -> QFontMetrics:
        font = QFont(self.tree.font())
        font.setBold(True)  # as the model shows figures
        return QFontMetrics(font)

    def _chrome(self) -> int:
        """A figure row's width besides its text, as the style lays the cell out: the
        indentation (the claim's branch and the figure's own step), the status dot, the
        spacing and the text's margins."""
        style = self.tree.style()
        option = QStyleOptionViewItem()
        option.initFrom(self.tree)
        option.features |= QStyleOptionViewItem.ViewItemFeature.HasDisplay \
            | QStyleOptionViewItem.ViewItemFeature.HasDecoration
        size = self.tree.iconSize()
        if not size.isValid():
            side = style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, self.tree)
            size = QSize(side, side)
        option.decorationSize = size
        option.text = "0"
        option.rect = QRect(0, 0, 1000, 20)
        text = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, self.tree)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.tree) + 1
        steps = 2 if self.tree.rootIsDecorated() else 1
        return steps * self.tree.indentation() + (1000 - text.width()) + 2 * margin + 2

    def _header_min(self) -> int:
        return self.tree.header().fontMetrics().horizontalAdvance("Figure") + 24

    def _after_reset(self) -> None:
        self.tree.expandAll()
        for row in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
        n = self.model.rowCount()
        figures = sum(self.model.rowCount(self.model.index(r, 0)) for r in range(n))
        self.title.setText(f"Claims ({n}) · figures ({figures})")
        article = self.model.article
        if n == 0 and article is not None:
            self.note.setText(no_claims_note(article.language))
            self.list_or_note.setCurrentWidget(self.note)
        else:
            self.note.setText("")
            self.list_or_note.setCurrentWidget(self.tree)
        self.fit_figure_column()

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
