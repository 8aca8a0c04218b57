"""Above the text: title and source, the script switch, and the duplicate-passage banner."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget,
)

from annotator.gui.actions import SCRIPT_ACTIONS
from annotator.services import browse


def _plain(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ArticleHeader(QWidget):
    def __init__(self, script_actions: Iterable[QAction], parent=None):
        super().__init__(parent)
        self.setObjectName("articleHeader")
        self.title = _plain("articleTitle")
        self.title.setWordWrap(True)
        self.meta = _plain("articleMeta")
        self.meta.setWordWrap(True)
        scripts = QHBoxLayout()
        scripts.setSpacing(0)
        label = QLabel("Script")
        label.setObjectName("scriptLabel")
        scripts.addWidget(label)
        scripts.addSpacing(6)
        self.script_buttons: list[QToolButton] = []
        # the title is shown in the script the text is shown in: the checked script action
        # says which (the session checks it before the text is redrawn)
        self.script = "original"
        self.article: browse.ArticleView | None = None
        for action in script_actions:
            script = SCRIPT_ACTIONS.get(action.objectName().removeprefix("action_"))
            if script is not None:
                if action.isChecked():
                    self.script = script
                action.toggled.connect(
                    lambda on, s=script: self._script_shown(s) if on else None)
            button = QToolButton()
            button.setObjectName("scriptButton")
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.script_buttons.append(button)
            scripts.addWidget(button)
        scripts.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 6)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addLayout(scripts)

    def _script_shown(self, script: str) -> None:
        if script != self.script:
            self.script = script
            if self.article is not None:
                self.show_article(self.article)

    def show_article(self, article: browse.ArticleView | None) -> None:
        self.article = article
        if article is None:
            self.title.setText("No article")
            self.meta.setText("")
            return
        title = article.title or _first_line(article.text)
        # converted as the session converts the text (browse.display), so the header and
        # the text below it are in one script
        title = browse.display(title, article.script, self.script).text if title else ""
        self.title.setText(title or article.source)
        parts = [article.source, article.date, _language(article), f"{len(article.text):,} chars",
                 article.id]
        self.meta.setText("  ·  ".join(p for p in parts if p))


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""


def _language(article: browse.ArticleView) -> str:
    script = {"hans": "Simplified", "hant": "Traditional", "mixed": "mixed script"}
    lang = article.language or "?"
    return f"{lang} ({script[article.script]})" if article.script in script else lang


class DuplicateBanner(QFrame):
    """Shown while the cursor is in a duplicated passage: where the other copy is, and
    the keys that settle the pair."""

    def __init__(self, actions: Iterable[QAction], parent=None):
        super().__init__(parent)
        self.setObjectName("duplicateBanner")
        self.text = _plain("duplicateText")
        self.text.setWordWrap(True)
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        # The text takes the banner's whole width and the buttons go under it: beside
        # the three buttons the label was squeezed into a tall column at 1280 px.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(4)
        layout.addWidget(self.text)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.hide()

    def show_pair(self, pair: tuple[dict, dict] | None, other_label: str = "") -> None:
        if pair is None:
            self.hide()
            return
        info, other = pair
        where = "elsewhere in this article" if info.get("scope") == "within" else \
            f"in “{other_label or other['article_id']}”"
        status = info.get("status") or "unreviewed"
        verdict = "not yet reviewed" if status == "unreviewed" else status
        self.text.setText(f"Duplicated passage ({info.get('similarity', 0):.0%} similar): the "
                          f"other copy is {where}. Pair {verdict}.")
        self.show()
