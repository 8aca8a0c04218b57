"""The current claim's full sentence and the current figure's reading, warnings and
review state. Everything is plain text: none of it is ever interpreted as HTML."""

from __future__ import annotations


from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QFormLayout, QFrame, QLabel, QPlainTextEdit, QTextEdit, QVBoxLayout,
)

from annotator.gui import theme
from annotator.gui.doctext import DocText
from annotator.services import browse


def _plain_label(object_name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class FigureDetail(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("figureDetail")
        self.heading = _plain_label("detailHeading")
        self.sentence = QPlainTextEdit()
        self.sentence.setObjectName("claimSentence")
        self.sentence.setReadOnly(True)
        self.sentence.setFont(theme.text_font())
        self.sentence.setFrameShape(QFrame.Shape.NoFrame)
        self.sentence.setMaximumHeight(96)
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sentence.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.fields: dict[str, QLabel] = {}
        self._sentence_key: tuple | None = None  # (claim, script text) shown in `sentence`
        self._colours: dict[str, str] = {}
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(10)
        for key, label in (("figure", "Figure"), ("reading", "Read as"), ("status", "Status"),
                           ("correction", "Correction"), ("note", "Note"),
                           ("warnings", "Warnings"), ("decisions", "Decisions")):
            self.fields[key] = _plain_label(f"detail_{key}")
            form.addRow(label, self.fields[key])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.sentence)
        layout.addLayout(form)
        layout.addStretch(1)
        self.show_nothing()

    def show_nothing(self, message: str = "No claim selected") -> None:
        self.heading.setText(message)
        self.sentence.setPlainText("")
        self._sentence_key = None
        for label in self.fields.values():
            label.setText("")

    def show_current(self, article: browse.ArticleView | None,
                     shown: browse.Displayed | None, claim: browse.ClaimView | None,
                     figure: browse.FigureView | None) -> None:
        if article is None or shown is None or claim is None:
            self.show_nothing("No claims in this article" if article is not None
                              and not article.claims else "No claim selected")
            return
        n = article.claims.index(claim) + 1
        self.heading.setText(f"Claim {n} of {len(article.claims)} · "
                             f"{len(claim.figures)} figure(s) · {claim.status}")
        a, b = shown.span_to_display(claim.start, claim.end)
        sentence = DocText(shown.text[a:b])
        key = (claim.id, sentence.text)
        if key != self._sentence_key:  # re-laying out the sentence is the costly part
            self.sentence.setPlainText(sentence.qt_text)
            self._sentence_key = key
        self._mark_in_sentence(sentence, shown, a, figure)
        self._show_figure(shown, figure)

    def _mark_in_sentence(self, sentence: DocText, shown, offset: int, figure) -> None:
        if figure is None:
            self.sentence.setExtraSelections([])
            return
        fa, fb = shown.span_to_display(figure.start, figure.end)
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.sentence.document())
        cursor.setPosition(sentence.to_doc(max(0, fa - offset)))
        cursor.setPosition(sentence.to_doc(min(len(sentence.text), fb - offset)),
                           QTextCursor.MoveMode.KeepAnchor)
        fmt = QTextCharFormat()
        fmt.setBackground(theme.Status.current(figure.status))
        sel.cursor, sel.format = cursor, fmt
        self.sentence.setExtraSelections([sel])

    def _show_figure(self, shown, figure: browse.FigureView | None) -> None:
        f = self.fields
        if figure is None:
            for label in f.values():
                label.setText("")
            f["figure"].setText("Whole claim selected: A confirms, F flags all its figures")
            return
        a, b = shown.span_to_display(figure.start, figure.end)
        surface = shown.text[a:b]
        original = f"  (stored: {figure.text})" if surface != figure.text else ""
        f["figure"].setText(f"{surface}{original}   [{figure.start}:{figure.end}]")
        reading = figure.value_text() or "(no value)"
        extra = [figure.kind] + [x for x in (figure.qualifier, figure.role) if x]
        how = figure.reading or "(stored before readings were recorded: reanalyse to add it)"
        f["reading"].setText(f"{reading}   ·   {' · '.join(extra)}\n{how}")
        status = figure.status + (" — reviewers disagree" if figure.conflict else "")
        if figure.reread:
            status += f" — reanalysed, check again: {figure.reread}"
        f["status"].setText(status)
        self._colour(f["status"], theme.Status.strong(figure.status))
        f["correction"].setText(_correction(figure))
        f["note"].setText(figure.note or "")
        f["warnings"].setText("\n".join(f"⚠ {w.message}" for w in figure.warnings) or "none")
        self._colour(f["warnings"], theme.WARNING if figure.warnings else None)

    def show_decisions(self, decisions: list, total: int) -> None:
        """The figure's latest decisions, oldest first; events without a reviewer's
        signature (made before events were signed, or taken unsigned by a merge) say so."""
        lines = [d.line() for d in decisions]
        if total > len(decisions):
            lines.insert(0, f"… {total - len(decisions)} earlier (annotator history shows all)")
        self.fields["decisions"].setText("\n".join(lines) or "none yet")

    def _colour(self, label: QLabel, colour) -> None:
        """Text colour through the palette: a style sheet per change costs a restyle."""
        name = colour.name() if colour is not None else ""
        if self._colours.get(label.objectName()) == name:
            return
        self._colours[label.objectName()] = name
        pal = label.palette()
        pal.setColor(QPalette.ColorRole.WindowText,
                     colour if colour is not None else self.palette().color(
                         QPalette.ColorRole.WindowText))
        label.setPalette(pal)


def _correction(figure: browse.FigureView) -> str:
    if figure.status == "corrected":
        kind = f" · {figure.corrected_kind}" if figure.corrected_kind else ""
        return f"{figure.corrected_text()}{kind}"
    if figure.status == "flagged" and figure.flag:
        return f"flagged: {figure.flag.replace('_', ' ')}"
    return ""
