"""One undo history: the window's Undo and Redo follow the reviewer's events in the database."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.services.review import review
from annotator.storage import reviews as rv

from tests.gui.shared import CTRL, SHIFT, other_connection, shown_status


def test_undo_follows_the_database_not_the_window(qtbot, window, review_db, review_db_path):
    """The window confirms X, the command line confirms Y as the same reviewer: undo takes
    back Y, then X, as `annotator undo` would, and says what it undid."""
    s = window.session
    x = s.figure_id
    qtbot.keyClick(window.text_view, Qt.Key.Key_A)
    y = s.figure_id
    other = other_connection(review_db_path)
    try:
        review(other, reviewer="ana", target_id=y, action="confirm")
    finally:
        other.close()
    qtbot.waitUntil(lambda: shown_status(window, y) == "confirmed", timeout=5_000)
    undo = window.commands.actions["undo"]
    assert undo.isEnabled()
    messages = []
    s.message.connect(messages.append)
    qtbot.keyClick(window.text_view, Qt.Key.Key_Z, CTRL)
    assert rv.figure_state(review_db, y)["status"] == "unreviewed"
    assert rv.figure_state(review_db, x)["status"] == "confirmed"
    surface = s._figure(y).text
    assert messages[-1].startswith(f"Undid: confirm {surface} in ")
    assert undo.isEnabled()  # X is still the reviewer's to undo
    qtbot.keyClick(window.text_view, Qt.Key.Key_Z, CTRL)
    assert rv.figure_state(review_db, x)["status"] == "unreviewed"
    assert not undo.isEnabled()
    assert window.commands.actions["redo"].isEnabled()
    qtbot.keyClick(window.text_view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert rv.figure_state(review_db, x)["status"] == "confirmed"
    assert messages[-1].startswith("Redid: confirm ")


def test_undo_becomes_possible_when_the_reviewer_decides_elsewhere(qtbot, window,
                                                                   review_db_path):
    undo = window.commands.actions["undo"]
    assert not undo.isEnabled()
    fid = window.session.figure_id
    other = other_connection(review_db_path)
    try:
        review(other, reviewer="ana", target_id=fid, action="confirm")
    finally:
        other.close()
    qtbot.waitUntil(undo.isEnabled, timeout=5_000)
    window.commands.history.describe_actions()  # as the Review menu does when it opens
    surface = window.session.current_figure().text
    assert undo.text().startswith(f"&Undo confirm {surface} in ")
    assert undo.toolTip().startswith(f"Undo: confirm {surface} in ")


def test_another_reviewers_decisions_are_not_ours_to_undo(qtbot, window, review_db_path):
    fid = window.session.figure_id
    other = other_connection(review_db_path)
    try:
        review(other, reviewer="ben", target_id=fid, action="confirm")
    finally:
        other.close()
    qtbot.waitUntil(lambda: shown_status(window, fid) == "confirmed", timeout=5_000)
    assert not window.commands.actions["undo"].isEnabled()


# --- the core's words for an undo (no Qt) -------------------------------------------------

def test_next_steps_names_what_undo_and_redo_would_act_on(review_db, article_ids):
    from annotator.services import review as svc
    from annotator.services.browse import load_article

    article = load_article(review_db, article_ids[0])
    one, claim = article.figures[0], article.claims[1]
    assert svc.next_steps(review_db, "ana") == svc.NextSteps(None, None)
    svc.review(review_db, reviewer="ana", target_id=one.id, action="confirm")
    assert svc.next_steps(review_db, "ana").undo == f"confirm {one.text} in {article.title}"
    assert svc.next_steps(review_db, "ana", described=False) == svc.NextSteps("", None)
    svc.review(review_db, reviewer="ana", target_id=claim.id, action="flag", reason="other")
    names = [f.text for f in claim.figures]
    flagged = svc.next_steps(review_db, "ana").undo
    assert flagged.startswith(f"flag {len(names)} figures ({names[0]}") if len(names) > 1 \
        else flagged == f"flag {names[0]} in {article.title}"
    undone = svc.undo(review_db, reviewer="ana")
    assert svc.describe(review_db, undone.acted_on) == flagged
    assert svc.next_steps(review_db, "ana") == svc.NextSteps(
        f"confirm {one.text} in {article.title}", flagged)
    # a redo of the undo is described as the decision itself, not as "redo"
    svc.redo(review_db, reviewer="ana")
    assert svc.next_steps(review_db, "ana").undo == flagged
    assert svc.next_steps(review_db, "ben") == svc.NextSteps(None, None)


def test_a_final_decision_is_described_with_its_verdict(review_db, article_ids):
    from annotator.services import review as svc
    from annotator.services.browse import load_article

    fig = load_article(review_db, article_ids[1]).figures[0]
    svc.review(review_db, reviewer="ana", target_id=fig.id, action="confirm")
    svc.review(review_db, reviewer="ben", target_id=fig.id, action="flag", reason="other")
    svc.adjudicate(review_db, reviewer="lead", figure_id=fig.id, action="confirm")
    assert svc.next_steps(review_db, "lead").undo.startswith(
        f"final decision (confirmed) on {fig.text} in ")
