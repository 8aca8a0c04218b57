"""The article's text: read-only, plain text only, highlights as extra selections.

Article text is never interpreted as markup: a scraped page containing <script> or
<img onerror=...> shows those characters. Highlights are QTextEdit.ExtraSelection
overlays, so the document itself is exactly the article (or its script conversion).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextOption
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QTextEdit

from annotator.gui import theme
from annotator.gui.doctext import DocText


_Selection = QTextEdit.ExtraSelection


@dataclass(frozen=True)
class Mark:
    """A highlight over displayed code-point offsets."""

    start: int
    end: int
    fmt: QTextCharFormat


class ArticleTextView(QPlainTextEdit):
    offsetClicked = Signal(int)  # displayed code-point offset under a plain click

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("articleText")
        theme.opaque_viewport(self)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setFont(theme.text_font())
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setCenterOnScroll(False)
        self.document().setDocumentMargin(18)
        self._doc = DocText("")
        # (start, end) -> [(format, selection)] made for the document shown: a confirm
        # changes two or three of the forty-odd marks, and making a cursor for each of
        # the others again cost more than handing the whole list to Qt.
        self._made: dict[tuple[int, int], list[tuple[QTextCharFormat, _Selection]]] = {}

    @property
    def shown_text(self) -> str:
        return self._doc.text

    def show_text(self, text: str) -> None:
        self._doc = DocText(text)
        self._made.clear()
        self.setPlainText(self._doc.qt_text)

    def set_marks(self, marks: list[Mark]) -> None:
        selections = []
        limit = len(self._doc.text)
        for m in marks:
            start, end = max(0, min(m.start, limit)), max(0, min(m.end, limit))
            if end <= start:
                continue
            selections.append(self._selection(start, end, m.fmt))
        self.setExtraSelections(selections)

    def _selection(self, start: int, end: int, fmt: QTextCharFormat) -> _Selection:
        made = self._made.setdefault((start, end), [])
        for f, sel in made:
            if f is fmt or f == fmt:
                return sel
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._doc.to_doc(start))
        cursor.setPosition(self._doc.to_doc(end), QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        sel.format = fmt
        made.append((fmt, sel))
        return sel

    def reveal(self, start: int, end: int) -> None:
        """Scroll so the span is in view, centring it only when it was out of sight."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._doc.to_doc(max(0, min(start, len(self._doc.text)))))
        self.setTextCursor(cursor)
        rect = self.cursorRect(cursor)
        if not self.viewport().rect().adjusted(0, 20, 0, -40).contains(rect):
            self.centerCursor()

    def mouseReleaseEvent(self, event):
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            position = self.cursorForPosition(event.position().toPoint()).position()
            self.offsetClicked.emit(self._doc.to_text(position))

    def doc_position(self, offset: int) -> int:
        return self._doc.to_doc(offset)
