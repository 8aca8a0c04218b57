"""Ctrl+F searches every article in either script and opens the hit."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.gui import highlights

from tests.gui.shared import CTRL, search


def test_a_simplified_query_finds_the_traditional_article(qtbot, window, article_ids):
    dialog, n = search(qtbot, window, "人才缺口")
    ids = {dialog.model.hit(r)["article_id"] for r in range(n)}
    assert article_ids[0] in ids
    dialog, n = search(qtbot, window, "搶人才")  # Traditional query, Simplified article
    ids = {dialog.model.hit(r)["article_id"] for r in range(n)}
    assert {article_ids[0], article_ids[2]} <= ids


def test_activating_a_hit_opens_the_article_at_the_match(qtbot, window, article_ids):
    dialog, n = search(qtbot, window, "内地")  # Simplified query
    rows = [r for r in range(n) if dialog.model.hit(r)["article_id"] == article_ids[2]]
    assert rows, "the Traditional article (內地) was not found"
    hit = dialog.model.hit(rows[0])
    dialog.table.setCurrentIndex(dialog.model.index(rows[0], 0))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    s = window.session
    assert s.article.id == article_ids[2]
    assert s.search_hit == (hit["start"], hit["end"])
    assert s.article.text[hit["start"]:hit["end"]] == "內地"
    marks = [sel.cursor.selectedText() for sel in window.text_view.extraSelections()
             if sel.format == highlights.SEARCH]
    assert marks == ["內地"]


def test_an_empty_query_searches_nothing(qtbot, window):
    qtbot.keyClick(window.text_view, Qt.Key.Key_F, CTRL)
    window.search_dialog.run_search("   ")
    assert not window.jobs.busy()
    assert window.search_dialog.model.rowCount() == 0
