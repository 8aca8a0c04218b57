"""What a reviewer reads must fit: the figures in the claims list, the shortcut
descriptions, the duplicate-passage banner, at the window sizes people use."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

from tests.gui.shared import ROOT, themed_window

SIZES = [(1280, 720), (1600, 1000)]
# one English and one Chinese sample, through the real figure engine
SAMPLES = ["samples/000_9a8e113bea1e7b93.txt", "samples/001_1bdd7b1565627bd6.txt"]
TYPICAL = ["2025", "第二季", "HK $ 38,500"]
LONG = "around of 45 billion Hong Kong dollars"


@pytest.fixture(scope="module")
def _engine_template(tmp_path_factory):
    from annotator.services.importing import import_paths
    from annotator.storage.db import open_db

    path = tmp_path_factory.mktemp("engine") / "engine.db"
    db = open_db(path)
    summary = import_paths(db, [str(ROOT / s) for s in SAMPLES], dataset="samples")
    assert not summary.errors
    db.close()
    return path


@pytest.fixture
def engine_window(qtbot, qapp, _engine_template, tmp_path, settings, dialogs):
    from annotator.storage.db import open_db

    path = tmp_path / "engine.db"
    shutil.copy(_engine_template, path)
    db = open_db(path)
    w = themed_window(qtbot, qapp, db, path, settings, dialogs)
    yield w
    w.close()
    db.close()


def _resize(qtbot, window, size):
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size, timeout=3_000)
    qtbot.wait(20)  # the panel fits its columns after the resize is handled


def _figure_rows(model):
    for ci in range(model.rowCount()):
        parent = model.index(ci, 0)
        for fi in range(model.rowCount(parent)):
            yield model.index(fi, 0, parent)


def _shown_width(tree, index: QModelIndex) -> tuple[int, int]:
    """(room for the text in the cell, the text's width) as the delegate lays it out."""
    option = QStyleOptionViewItem()
    option.initFrom(tree)
    tree.itemDelegate().initStyleOption(option, index)
    rect = tree.visualRect(index)
    option.rect = QRect(rect)
    text_rect = tree.style().subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, tree)
    margin = tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree) + 1
    font = QFont(option.font)
    return text_rect.width() - 2 * margin, QFontMetrics(font).horizontalAdvance(option.text)


# figures of up to this many characters show in full at the window size
IN_FULL = {(1280, 720): 12, (1600, 1000): 24}


@pytest.mark.parametrize("size", SIZES)
def test_the_figure_column_shows_each_figure_in_full(qtbot, engine_window, size):
    w = engine_window
    _resize(qtbot, w, size)
    panel, model = w.claims_panel, w.session.claims
    seen = []
    for row in range(w.session.articles.rowCount()):
        w.session.open_row(row)
        qtbot.wait(20)
        for index in _figure_rows(model):
            text = index.data()
            room, need = _shown_width(panel.tree, index)
            seen.append(text)
            if need <= room:
                continue
            assert len(text) > IN_FULL[size], (size, text, need, room)
            # a long figure may be cut, but only once the column is as wide as it gets
            assert panel.tree.columnWidth(0) >= panel.figure_cap() - 1, (size, text)
    for typical in TYPICAL + [LONG]:
        assert any(typical in t for t in seen), typical


@pytest.mark.parametrize("size", SIZES)
def test_read_as_keeps_some_room_and_nothing_scrolls_sideways(qtbot, engine_window, size):
    w = engine_window
    _resize(qtbot, w, size)
    tree = w.claims_panel.tree
    for row in range(w.session.articles.rowCount()):
        w.session.open_row(row)
        qtbot.wait(20)
        assert tree.columnWidth(1) >= tree.fontMetrics().horizontalAdvance("2025 ·…")
        assert not tree.horizontalScrollBar().isVisible()


def test_the_shortcut_descriptions_are_not_cut(qtbot, window):
    from annotator.gui.widgets.shortcuts_dialog import ShortcutsDialog

    dlg = ShortcutsDialog(window)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    view, model = dlg.view, dlg.view.model()
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    checked = 0
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        for r in range(model.rowCount(group)):
            for col in (0, 1, 2):
                index = model.index(r, col, group)
                text = index.data()
                rect = view.visualRect(index)
                metrics = view.fontMetrics()
                width = rect.width() - 2 * margin
                needed = metrics.boundingRect(QRect(0, 0, width, 10_000),
                                              int(Qt.TextFlag.TextWordWrap), text)
                assert needed.width() <= width and needed.height() <= rect.height(), \
                    (text, needed, rect)
                checked += 1
    assert checked > 30


@pytest.mark.parametrize("size", SIZES)
def test_the_duplicate_banner_gives_its_text_the_width(qtbot, window, size):
    _resize(qtbot, window, size)
    banner = window.banner
    pair = ({"scope": "across", "similarity": 1.0, "status": "unreviewed"},
            {"article_id": "a-0000000000000000"})
    banner.show_pair(pair, "香港再出手面向内地「搶人才」 創科人才缺口擴大")
    qtbot.wait(20)
    assert banner.isVisible()
    text = banner.text
    assert text.width() >= 0.75 * banner.width(), (text.width(), banner.width())
    lines = text.height() / text.fontMetrics().lineSpacing()
    assert lines <= 2.5, lines


def _painted_text(tree, index: QModelIndex) -> str:
    """The text the cell paints: elided as the column's delegate asks."""
    option = QStyleOptionViewItem()
    option.initFrom(tree)
    option.textElideMode = tree.textElideMode()
    tree.itemDelegateForIndex(index).initStyleOption(option, index)
    room, _need = _shown_width(tree, index)
    return QFontMetrics(option.font).elidedText(option.text, option.textElideMode, room)


@pytest.mark.parametrize("size", SIZES)
def test_a_long_figure_is_cut_in_its_middle_with_the_whole_in_its_tooltip(qtbot, engine_window,
                                                                         size):
    """At 1280x720 "around of 45 billion Hong Kong dollars" read "around of …": its
    qualifier without its amount or unit. Cut in the middle, both ends read."""
    w = engine_window
    _resize(qtbot, w, size)
    tree, model = w.claims_panel.tree, w.session.claims
    for row in range(w.session.articles.rowCount()):
        w.session.open_row(row)
        qtbot.keyClick(w.text_view, Qt.Key.Key_J)  # a key, as a reviewer moves
        hits = [i for i in _figure_rows(model) if i.data() == LONG]
        if hits:
            break
    assert hits, "the long figure is in the English sample"
    index = hits[0]
    painted = _painted_text(tree, index)
    if painted != LONG:
        head, _, tail = painted.partition("…")
        assert head and tail and LONG.startswith(head) and LONG.endswith(tail), painted
        assert len(head) >= 6 and len(tail) >= 6, painted
    assert LONG in index.data(Qt.ItemDataRole.ToolTipRole)
    # the reading beside it keeps a common reading whole
    from annotator.gui.widgets.claims_panel import READ_AS_KEPT

    assert tree.columnWidth(1) >= tree.fontMetrics().horizontalAdvance(READ_AS_KEPT)
    # a claim's sentence is still cut at its end
    claim = model.index(0, 0)
    option = QStyleOptionViewItem()
    option.textElideMode = Qt.TextElideMode.ElideRight
    tree.itemDelegateForIndex(claim).initStyleOption(option, claim)
    assert option.textElideMode == Qt.TextElideMode.ElideRight
