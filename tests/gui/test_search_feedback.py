"""The search dialog says what it is doing: it prepares the word cutter as it opens,
shows it is busy while a search runs, marks the match in each result and counts
truthfully."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.shared import CTRL, search


def test_opening_the_dialog_prepares_the_search_off_the_gui_thread(qtbot, window):
    qtbot.keyClick(window.text_view, Qt.Key.Key_F, CTRL)
    dialog = window.search_dialog
    assert dialog.warm_job is not None  # started through the window's jobs
    qtbot.waitUntil(lambda: dialog.ready, timeout=30_000)


def test_a_running_search_shows_it_is_busy(qtbot, window):
    qtbot.keyClick(window.text_view, Qt.Key.Key_F, CTRL)
    dialog = window.search_dialog
    with qtbot.waitSignal(dialog.searchFinished, timeout=30_000):
        dialog.run_search("人才")
        assert dialog.busy.isVisible()
        assert "Searching" in dialog.status.text()
    assert not dialog.busy.isVisible()


def test_the_count_says_articles_not_matches(qtbot, window):
    dialog, n = search(qtbot, window, "人才")
    assert n >= 2
    text = dialog.status.text()
    assert "match(es)" not in text
    assert f"{n} articles" in text


def test_each_result_marks_the_match_in_its_snippet(qtbot, window, review_db):
    from annotator.gui.widgets.search_dialog import HIGHLIGHT, match_in_snippet
    from annotator.storage import articles as repo

    dialog, n = search(qtbot, window, "内地")
    assert n
    for row in range(n):
        hit = dialog.model.hit(row)
        a, b = match_in_snippet(hit)
        text = repo.get_article(review_db, hit["article_id"]).text
        assert hit["snippet"][a:b] == text[hit["start"]:hit["end"]].replace("\n", " ")
        assert b > a
    image = dialog.table.viewport().grab().toImage()
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 2)
               for y in range(0, min(image.height(), 60))}
    assert HIGHLIGHT.name() in colours
