"""The article text: plain text only, highlights on the right characters in every script,
clicks and claim selection kept in step."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.gui import highlights
from annotator.gui.widgets.text_view import ArticleTextView, Mark
from annotator.services import browse
from annotator.text import chinese

CTRL = Qt.KeyboardModifier.ControlModifier


def selected(view, sel) -> str:
    return sel.cursor.selectedText().replace("\u2029", "\n")


def current_mark_text(window) -> str:
    """Text under the current figure's highlight (the only bold one)."""
    sels = [s for s in window.text_view.extraSelections()
            if s.format.fontWeight() == highlights.CURRENT["unreviewed"].fontWeight()
            and s.format == highlights.CURRENT.get(window.session.current_figure().status)]
    assert sels, "no highlight on the current figure"
    return selected(window.text_view, sels[-1])


def click_at(qtbot, view, offset: int) -> None:
    """A mouse click a few pixels into the character at this displayed offset."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QTextCursor

    view.reveal(offset, offset + 1)
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.doc_position(offset))
    point = view.cursorRect(cursor).center() + QPoint(3, 0)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def open_tricky(window, article_ids):
    window.session.open_article(article_ids[3])
    return window.session


def test_markup_in_an_article_is_shown_as_characters(qtbot, window, article_ids):
    s = open_tricky(window, article_ids)
    shown = window.text_view.toPlainText()
    assert "<script>alert('x')</script>" in shown and "<img src=x onerror=alert(1)>" in shown
    html = window.text_view.document().toHtml()
    assert "&lt;script&gt;" in html and "<img" not in html.split("<body")[1]
    assert window.header.title.textFormat() == Qt.TextFormat.PlainText
    assert s.article.text.replace("\r\n", " \n") == shown


def test_every_highlight_covers_its_figure_despite_emoji_and_crlf(qtbot, window, article_ids):
    s = open_tricky(window, article_ids)
    texts = {f.text for f in s.article.figures}
    figure_formats = list(highlights.FIGURE.values())
    found = [selected(window.text_view, sel) for sel in window.text_view.extraSelections()
             if any(sel.format == f for f in figure_formats)]
    assert sorted(found) == sorted(f.text for f in s.article.figures)
    assert {"12%", "3,400", "5.02万", "4.3%"} <= texts
    for f in s.article.figures:
        s.select_figure(f.id)
        assert current_mark_text(window) == f.text


def test_set_marks_maps_code_points_to_document_positions(qtbot):
    view = ArticleTextView()
    qtbot.addWidget(view)
    text = "😀a𠀋bc\r\nd"
    view.show_text(text)
    fmt = highlights.SEARCH
    view.set_marks([Mark(1, 2, fmt), Mark(3, 5, fmt), Mark(7, 8, fmt), Mark(6, 99, fmt)])
    got = [selected(view, s) for s in view.extraSelections()]
    assert got == ["a", "bc", "d", "\nd"]


def test_clicking_a_figure_selects_it_and_its_claim(qtbot, window, article_ids):
    s = open_tricky(window, article_ids)
    target = next(f for f in s.article.figures if f.text == "3,400")
    click_at(qtbot, window.text_view, target.start + 1)
    assert s.figure_id == target.id
    assert s.claim_id == target.claim_id
    tree_index = window.claims_panel.tree.currentIndex()
    assert tree_index == s.claims.figure_index(target.id)


def test_selecting_a_claim_in_the_list_selects_it_in_the_text(qtbot, window):
    s = window.session
    claim = s.article.claims[3]
    tree = window.claims_panel.tree
    tree.setCurrentIndex(s.claims.claim_index(claim.id))
    assert s.claim_id == claim.id and s.figure_id is None
    claim_marks = [sel for sel in window.text_view.extraSelections()
                   if sel.format == highlights.CLAIM]
    assert [selected(window.text_view, m) for m in claim_marks] == [claim.text]
    cursor = window.text_view.textCursor()
    assert cursor.position() == window.text_view.doc_position(claim.start)
    assert window.claims_panel.detail.sentence.toPlainText() == claim.text


def test_script_switch_keeps_highlights_on_their_figures(qtbot, window, article_ids):
    s = open_tricky(window, article_ids)
    fig = next(f for f in s.article.figures if f.text == "5.02万")
    s.select_figure(fig.id)
    qtbot.keyClick(window.text_view, Qt.Key.Key_4, CTRL)  # Traditional (Taiwan)
    assert s.script == "tw"
    assert window.commands.actions["script_tw"].isChecked()
    assert window.text_view.toPlainText() == \
        chinese.convert(s.article.text, "s2tw").replace("\r\n", " \n")
    assert "內存" in window.text_view.toPlainText()
    assert current_mark_text(window) == "5.02萬"
    assert s.claims.figure_index(fig.id).data() == "5.02萬"
    # clicking the converted figure finds the stored one
    a, _b = s.shown.span_to_display(fig.start, fig.end)
    s.select_figure(s.article.figures[0].id)
    click_at(qtbot, window.text_view, a + 1)
    assert s.figure_id == fig.id
    qtbot.keyClick(window.text_view, Qt.Key.Key_S)  # cycles back to the original
    assert s.script == "original" and current_mark_text(window) == "5.02万"


def test_hk_traditional_article_in_simplified(qtbot, window, article_ids):
    s = window.session
    s.open_article(article_ids[2])
    qtbot.keyClick(window.text_view, Qt.Key.Key_2, CTRL)
    assert s.script == "hans"
    assert "内地" in window.text_view.toPlainText()  # 內地 -> 内地
    for f in s.article.figures:
        s.select_figure(f.id)
        a, b = s.shown.span_to_display(f.start, f.end)
        assert current_mark_text(window) == s.shown.text[a:b] == chinese.convert(f.text, "t2s")


def test_boilerplate_is_greyed(qtbot, window):
    s = window.session
    assert s.article.boilerplate
    grey = [selected(window.text_view, sel) for sel in window.text_view.extraSelections()
            if sel.format == highlights.BOILERPLATE]
    assert grey == [s.article.text[b.start:b.end] for b in s.article.boilerplate]


def test_highlights_follow_a_conversion_that_changes_length(qtbot, review_db, article_ids):
    """s2twp writes 内存 as 記憶體: everything after it moves one place right."""
    art = browse.load_article(review_db, article_ids[3])
    converted, offsets = chinese.convert_with_offsets(art.text, "s2twp")
    shown = browse.Displayed(converted, offsets)
    assert "記憶體" in converted and not offsets.is_identity
    view = ArticleTextView()
    qtbot.addWidget(view)
    view.show_text(converted)
    for fig in art.figures:
        marks = highlights.marks_for(art, shown, figure_id=fig.id, claim_id=fig.claim_id)
        view.set_marks(marks)
        current = [s for s in view.extraSelections()
                   if s.format == highlights.CURRENT["unreviewed"]]
        assert [selected(view, s) for s in current] == [chinese.convert(fig.text, "s2twp")]


def test_marks_made_for_one_text_are_not_reused_for_the_next(qtbot):
    view = ArticleTextView()
    qtbot.addWidget(view)
    view.show_text("abcdef")
    view.set_marks([Mark(1, 3, highlights.SEARCH), Mark(1, 3, highlights.CLAIM)])
    view.show_text("uvwxyz")
    view.set_marks([Mark(1, 3, highlights.SEARCH), Mark(2, 4, highlights.CLAIM)])
    sels = view.extraSelections()
    assert [selected(view, s) for s in sels] == ["vw", "wx"]
    assert [s.format == f for s, f in zip(sels, (highlights.SEARCH, highlights.CLAIM))] == \
        [True, True]
    assert all(s.cursor.document() is view.document() for s in sels)


def test_the_detail_follows_a_decision_on_the_figure_under_the_cursor(qtbot, window,
                                                                      review_db):
    """The cursor stays (a decision made elsewhere): the detail must not keep showing the
    figure as it was."""
    from annotator.services.review import review

    s = window.session
    fig = s.current_figure()
    assert window.claims_panel.detail.fields["status"].text() == "unreviewed"
    s.apply(review(review_db, reviewer="ben", target_id=fig.id, action="flag",
                   reason="outdated"))
    assert s.figure_id == fig.id
    detail = window.claims_panel.detail
    assert detail.fields["status"].text() == "flagged"
    assert detail.fields["correction"].text() == "flagged: outdated"


def _marked(window, fig, fmt) -> bool:
    """Is the figure's span drawn with this format?"""
    a, b = window.session.shown.span_to_display(fig.start, fig.end)
    view = window.text_view
    return any(sel.format == fmt for sel in view.extraSelections()
               if sel.cursor.selectionStart() == view.doc_position(a)
               and sel.cursor.selectionEnd() == view.doc_position(b))


def test_a_confirm_draws_the_marks_once_with_the_new_state(qtbot, window, monkeypatch):
    s = window.session
    first = s.current_figure()
    drawn = []
    real = window.text_view.set_marks
    monkeypatch.setattr(window.text_view, "set_marks", lambda marks: (drawn.append(1),
                                                                        real(marks)))
    qtbot.keyClick(window.text_view, Qt.Key.Key_A)
    assert drawn == [1]  # the decision and the move, drawn together
    assert _marked(window, first, highlights.FIGURE["confirmed"])
    assert not _marked(window, first, highlights.CURRENT["confirmed"])
    assert _marked(window, s.current_figure(), highlights.CURRENT["unreviewed"])
    assert window.claims_panel.detail.fields["status"].text() == "unreviewed"


def test_the_last_confirm_with_nowhere_to_go_is_still_drawn(qtbot, window, review_db):
    from annotator.services.review import review

    s = window.session
    last = s.article.figures[-1]
    for article_id in s.articles.ids:
        for fid, in review_db.execute("SELECT id FROM figures WHERE article_id = ?",
                                      [article_id]).fetchall():
            if fid != last.id:
                review(review_db, reviewer="ben", target_id=fid, action="confirm")
    s.select_figure(last.id)
    qtbot.keyClick(window.text_view, Qt.Key.Key_A)
    assert window.status.currentMessage() == "Every figure in the list is reviewed"
    assert s.figure_id == last.id
    assert _marked(window, last, highlights.CURRENT["confirmed"])
    assert window.claims_panel.detail.fields["status"].text() == "confirmed"


def test_the_detail_shows_how_the_figure_was_read(qtbot, window):
    from dataclasses import replace

    s = window.session
    fig = replace(s.current_figure(), reading="5.02万 -> 5.02 × 10^4 = 50,200; 元 -> CNY")
    window.claims_panel.detail._show_figure(s.shown, fig)
    assert "5.02万 -> 5.02 × 10^4 = 50,200; 元 -> CNY" in \
        window.claims_panel.detail.fields["reading"].text()


def test_the_detail_says_a_figure_stored_before_readings_has_none(qtbot, window):
    from dataclasses import replace

    s = window.session
    fig = replace(s.current_figure(), reading=None)
    window.claims_panel.detail._show_figure(s.shown, fig)
    assert "reanalyse" in window.claims_panel.detail.fields["reading"].text()


def test_the_detail_shows_a_reviewed_figure_read_differently_by_reanalyse(qtbot, window):
    from dataclasses import replace

    s = window.session
    fig = replace(s.current_figure(), reread="was 1 人 (18万人), now 180,000 人 (18万人)")
    window.claims_panel.detail._show_figure(s.shown, fig)
    text = window.claims_panel.detail.fields["status"].text()
    assert "reanalysed" in text and "was 1 人 (18万人), now 180,000 人" in text
