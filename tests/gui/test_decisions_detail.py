"""The figure detail lists the figure's decisions, and marks the unsigned ones (issue:
events from before signing, or taken unsigned by a merge, are shown as such in the window
as `annotator history` shows them)."""

from __future__ import annotations

from PySide6.QtCore import Qt


def decisions_text(window) -> str:
    return window.claims_panel.detail.fields["decisions"].text()


def test_the_detail_lists_the_figures_decisions_and_marks_unsigned_ones(qtbot, window,
                                                                        review_db):
    s = window.session
    first = s.figure_id
    assert decisions_text(window) == "none yet"
    qtbot.keyClick(window.text_view, Qt.Key.Key_A)
    assert s.select_figure(first)
    qtbot.waitUntil(lambda: "ana  confirm" in decisions_text(window), timeout=5_000)
    assert "(unsigned)" not in decisions_text(window)

    # an event without a signature (as an old database or an --accept-unsigned merge has)
    review_db.execute("UPDATE events SET signer_key = NULL, signature = NULL "
                      "WHERE target_id = ?", [first])
    review_db.conn.commit()
    assert s.select_figure(first)
    window._redraw(False)
    assert "ana  confirm  (unsigned)" in decisions_text(window)


def test_a_figure_with_many_decisions_shows_the_latest_and_counts_the_rest(qtbot, window,
                                                                          review_db):
    from annotator.services import review

    s = window.session
    first = s.figure_id
    for n in range(8):
        review.review(review_db, reviewer=f"r{n}", target_id=first, action="confirm")
    assert s.select_figure(first)
    window._redraw(False)
    lines = decisions_text(window).splitlines()
    assert lines[0] == "… 5 earlier (annotator history shows all)"
    assert len(lines) == 4 and lines[-1].endswith("r7  confirm")
