"""The keyboard flows of reviewing, checked in the database afterwards."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.storage import reviews as rv

NO = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def state(db, figure_id):
    return rv.figure_state(db, figure_id)


def press(qtbot, window, key, modifier=NO, widget=None):
    qtbot.keyClick(widget or window.text_view, key, modifier)


def test_a_confirms_the_current_figure_and_moves_to_the_next_unreviewed(qtbot, window, review_db):
    s = window.session
    first = s.figure_id
    press(qtbot, window, Qt.Key.Key_A)
    assert state(review_db, first)["status"] == "confirmed"
    assert s.figure_id != first and not s.current_figure().reviewed
    events = rv.events_for(review_db, "figure", first)
    assert [(e.reviewer, e.action) for e in events] == [("ana", "confirm")]
    # shown as done: the claims list and the article list read the new state
    assert s.claims.figure_index(first).siblingAtColumn(2).data() == "confirmed"
    assert s.articles.summary(0).reviewed == 1
    assert window.status.save_label.text().startswith("All changes saved")


def test_enter_confirms_in_the_review_area_only(qtbot, window, review_db):
    first = window.session.figure_id
    press(qtbot, window, Qt.Key.Key_Return)
    assert state(review_db, first)["status"] == "confirmed"
    second = window.session.figure_id
    window.article_list.table.setFocus()
    press(qtbot, window, Qt.Key.Key_Return, widget=window.article_list.table)
    assert state(review_db, second)["status"] == "unreviewed"


def test_typing_in_the_filter_box_reviews_nothing(qtbot, window, review_db):
    first = window.session.figure_id
    window.article_list.filter_edit.setFocus()
    qtbot.keyClicks(window.article_list.filter_edit, "aef")
    assert window.article_list.filter_edit.text() == "aef"
    assert state(review_db, first)["status"] == "unreviewed"
    assert review_db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0


def test_e_corrects_with_the_values_the_reviewer_typed(qtbot, window, review_db, dialogs):
    s = window.session
    fig = s.current_figure()
    dialogs.correct_answer = {"value": 2026.0, "unit": None, "currency": "HKD",
                              "kind": "money", "note": "typo in the source"}
    press(qtbot, window, Qt.Key.Key_E)
    assert dialogs.asked == [f"correct {fig.text}"]
    st = state(review_db, fig.id)
    assert (st["status"], st["value"], st["currency"], st["kind"], st["note"]) == \
        ("corrected", 2026.0, "HKD", "money", "typo in the source")
    assert s.figure_id != fig.id
    row = s.claims.figure_index(fig.id)
    assert "→ HKD 2,026" in row.siblingAtColumn(1).data()  # after the original reading
    assert fig.text in row.data()


def test_cancelled_dialogs_change_nothing(qtbot, window, review_db, dialogs):
    fig = window.session.figure_id
    dialogs.correct_answer = None
    dialogs.flag_answer = None
    press(qtbot, window, Qt.Key.Key_E)
    press(qtbot, window, Qt.Key.Key_F)
    assert len(dialogs.asked) == 2
    assert window.session.figure_id == fig
    assert review_db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0


def test_f_flags_with_a_reason_and_a_note(qtbot, window, review_db, dialogs):
    fig = window.session.figure_id
    dialogs.flag_answer = ("garbled_text", "628日 lost a character")
    press(qtbot, window, Qt.Key.Key_F)
    st = state(review_db, fig)
    assert (st["status"], st["flag"], st["note"]) == ("flagged", "garbled_text",
                                                     "628日 lost a character")


def test_a_on_a_claim_row_confirms_all_its_figures_as_one_undoable_step(qtbot, window, review_db):
    s = window.session
    claim = s.article.claims[0]
    s.select_claim(claim.id)
    press(qtbot, window, Qt.Key.Key_A)
    assert [state(review_db, f.id)["status"] for f in claim.figures] == \
        ["confirmed"] * len(claim.figures)
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert [state(review_db, f.id)["status"] for f in claim.figures] == \
        ["unreviewed"] * len(claim.figures)


def test_undo_and_redo_go_through_the_core(qtbot, window, review_db):
    s = window.session
    first = s.figure_id
    press(qtbot, window, Qt.Key.Key_A)
    second = s.figure_id
    press(qtbot, window, Qt.Key.Key_A)
    assert state(review_db, second)["status"] == "confirmed"

    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert state(review_db, second)["status"] == "unreviewed"
    assert state(review_db, first)["status"] == "confirmed"
    assert s.figure_id == second  # the cursor goes back to what was undone
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert state(review_db, first)["status"] == "unreviewed"

    press(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)
    assert state(review_db, first)["status"] == "confirmed"
    assert state(review_db, second)["status"] == "unreviewed"
    actions = [r[0] for r in review_db.execute("SELECT action FROM events ORDER BY at, rowid")]
    assert actions == ["confirm", "confirm", "undo", "undo", "redo"]
    assert s.claims.figure_index(first).siblingAtColumn(2).data() == "confirmed"
    assert s.claims.figure_index(second).siblingAtColumn(2).data() == "unreviewed"


def test_undo_with_nothing_done_is_harmless(qtbot, window, review_db):
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert review_db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0


def test_j_k_and_arrows_walk_the_figures(qtbot, window):
    s = window.session
    ids = [f.id for f in s.article.figures]
    assert s.figure_id == ids[0]
    press(qtbot, window, Qt.Key.Key_J)
    press(qtbot, window, Qt.Key.Key_Down)
    assert s.figure_id == ids[2]
    press(qtbot, window, Qt.Key.Key_K)
    assert s.figure_id == ids[1]
    press(qtbot, window, Qt.Key.Key_Up, widget=window.claims_panel.tree)
    assert s.figure_id == ids[0]
    assert window.claims_panel.tree.currentIndex() == s.claims.figure_index(ids[0])


def test_j_at_the_last_figure_opens_the_next_article(qtbot, window, article_ids):
    s = window.session
    s.select_figure(s.article.figures[-1].id)
    press(qtbot, window, Qt.Key.Key_J)
    assert s.article.id == article_ids[1]
    assert s.figure_id == s.article.figures[0].id
    press(qtbot, window, Qt.Key.Key_K)
    assert s.article.id == article_ids[0]
    assert s.figure_id == s.article.figures[-1].id


def test_n_finds_the_next_unreviewed_figure_in_another_article(qtbot, window, review_db,
                                                               article_ids):
    from annotator.services.review import review

    s = window.session
    for f in s.article.figures:  # everything in the first article is done elsewhere (CLI)
        review(review_db, reviewer="bo", target_id=f.id, action="confirm")
    second = [r[0] for r in review_db.execute(
        "SELECT id FROM figures WHERE article_id = ? ORDER BY seq", [article_ids[1]])]
    review(review_db, reviewer="bo", target_id=second[0], action="confirm")
    press(qtbot, window, Qt.Key.Key_N)
    assert s.article.id == article_ids[1]
    assert s.figure_id == second[1]
    assert window.article_list.table.currentIndex().row() == 1


def test_confirming_the_last_unreviewed_figure_says_so(qtbot, window, review_db):
    from annotator.services.review import review

    s = window.session
    last = s.figure_id
    for (fid,) in review_db.execute("SELECT id FROM figures").fetchall():
        if fid != last:
            review(review_db, reviewer="bo", target_id=fid, action="confirm")
    press(qtbot, window, Qt.Key.Key_A)
    assert state(review_db, last)["status"] == "confirmed"
    assert "reviewed" in window.status.currentMessage()


def test_status_bar_shows_reviewer_and_dataset_progress(qtbot, window):
    assert window.status.reviewer_label.text() == "Reviewer: ana"
    qtbot.waitUntil(lambda: window.status.progress_label.text() ==
                    "samples: 0/121 figures reviewed (0%)", timeout=2000)
    press(qtbot, window, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: "1/121" in window.status.progress_label.text(), timeout=2000)


def test_enter_in_the_claims_list_confirms(qtbot, window, review_db):
    tree = window.claims_panel.tree
    tree.setFocus()
    first = window.session.figure_id
    press(qtbot, window, Qt.Key.Key_Return, widget=tree)
    assert state(review_db, first)["status"] == "confirmed"
    assert tree.currentIndex() == window.session.claims.figure_index(window.session.figure_id)
