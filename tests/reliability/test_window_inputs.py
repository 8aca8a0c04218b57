"""The bad input corpus in the window (offscreen): every article shows as its own text,
markup included, and every figure's highlight covers exactly that figure, whatever
emoji, line separators or CRLF stand before it. Skipped without PySide6."""

from __future__ import annotations

import os

import pytest

pytest.importorskip("PySide6")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QModelIndex, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtGui import Qt as GuiQt  # noqa: E402

from annotator.gui import compat  # noqa: E402
from annotator.gui.doctext import DocText  # noqa: E402
from annotator.services.importing import import_paths  # noqa: E402
from annotator.storage.db import open_db  # noqa: E402

from tests.reliability.corpus import build  # noqa: E402

pytestmark = pytest.mark.skipif(compat.binding_loses_references(), reason=compat.ADVICE)

# Paragraph breaks as QTextCursor.selectedText() reports them.
_BREAKS = str.maketrans({"\n": "\u2029", "\r": "\u2029"})


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    root = tmp_path_factory.mktemp("window corpus")
    corpus = build(root / "corpus", big_mb=1)
    # the articles with odd characters and markup; the long ones only cost time here
    cases = [c for c in corpus.cases if c.articles and c.path.parent.name != "big"]
    db = open_db(root / "corpus.db")
    summary = import_paths(db, [c.path for c in cases], dataset="bad inputs", workers=1)
    assert summary.articles_added == sum(c.articles for c in cases)
    db.close()
    return root / "corpus.db"


@pytest.fixture
def window(qapp, corpus_db, tmp_path):
    from annotator.gui.main_window import MainWindow

    db = open_db(corpus_db)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(db, "ana", db_path=corpus_db, settings=settings)
    w.show()
    qapp.processEvents()
    yield w
    w.close()
    db.close()


def _articles(window, qapp):
    s = window.session
    for row in range(s.articles.rowCount()):
        assert s.open_row(row)
        qapp.processEvents()
        yield s.article


def test_every_article_shows_its_text_and_every_figure_selects_its_surface(window, qapp):
    checked = 0
    for article in _articles(window, qapp):
        view = window.text_view
        assert view.shown_text == article.text
        doc = DocText(article.text)
        expected_plain = doc.qt_text.translate(_BREAKS).replace("\u2029", "\n").replace(
            "\u2028", "\n")
        assert view.toPlainText() == expected_plain
        for f in article.figures:
            cursor = QTextCursor(view.document())
            cursor.setPosition(doc.to_doc(f.start))
            cursor.setPosition(doc.to_doc(f.end), QTextCursor.MoveMode.KeepAnchor)
            surface = f.text.replace("\r\n", " \n").translate(_BREAKS)
            assert cursor.selectedText() == surface, (article.source, f.text)
            checked += 1
    assert checked > 20


def _tooltips(model, parent=QModelIndex()):
    for row in range(model.rowCount(parent)):
        for col in range(model.columnCount(parent)):
            index = model.index(row, col, parent)
            tip = index.data(Qt.ItemDataRole.ToolTipRole)
            if tip:
                yield tip
        yield from _tooltips(model, model.index(row, 0, parent))


def test_markup_in_article_text_is_never_rendered_in_tooltips(window, qapp):
    # Qt renders a tooltip as HTML when it looks like markup; ours are escaped inside
    # <qt>, so the only tags Qt sees are our own
    tips = list(_tooltips(window.session.articles))
    for _article in _articles(window, qapp):
        tips += list(_tooltips(window.session.claims))
    assert tips
    for tip in tips:
        if GuiQt.mightBeRichText(tip):
            inner = tip.removeprefix("<qt>").removesuffix("</qt>").replace("<br>", "")
            assert tip.startswith("<qt>") and "<" not in inner and ">" not in inner, tip