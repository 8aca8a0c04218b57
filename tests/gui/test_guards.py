"""Decisions that need a second look: a figure a lead settled, a figure with a warning;
and the messages of sign-off and the lock, which name the window's own commands."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.services import signoff
from annotator.services.review import adjudicate, review
from annotator.storage import reviews as rv
from annotator.storage.reviews import dataset_figure_ids

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
DATASET = "samples"


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(window.text_view, key, modifier)


def events(db, fid):
    return rv.events_for(db, "figure", fid)


def plain_figure(window):
    return next(f for f in window.session.article.figures if not f.warnings)


def warned_figure(window):
    return next(f for f in window.session.article.figures if f.warnings)


# --- a settled figure ---------------------------------------------------------------

def settle(db, fid):
    """ana confirms, ben flags: a conflict the lead settles as confirmed."""
    review(db, reviewer="ana", target_id=fid, action="confirm")
    review(db, reviewer="ben", target_id=fid, action="flag", reason="outdated")
    adjudicate(db, reviewer="lead", figure_id=fid, action="confirm")
    assert rv.figure_state(db, fid)["conflict"] == 0


@pytest.fixture
def settled(window, review_db):
    fig = plain_figure(window)
    settle(review_db, fig.id)
    window.session.check_for_changes()
    window.session.select_figure(fig.id)
    return fig.id


def test_a_on_a_settled_figure_asks_and_keeps_the_settlement_when_cancelled(
        qtbot, window, review_db, dialogs, settled):
    dialogs.confirm_answer = False
    before = len(events(review_db, settled))
    press(qtbot, window, Qt.Key.Key_A)
    assert dialogs.asked[-1] == "confirm Override a settled figure"
    assert len(events(review_db, settled)) == before
    st = rv.figure_state(review_db, settled)
    assert st["status"] == "confirmed" and not st["conflict"]
    assert window.status.currentMessage().startswith("Kept lead's final decision")
    assert window.session.figure_id == settled  # the cursor stays on it


def test_a_on_a_settled_figure_overrides_it_only_when_the_reviewer_says_so(
        qtbot, window, review_db, dialogs, settled):
    press(qtbot, window, Qt.Key.Key_A)
    assert dialogs.asked[-1] == "confirm Override a settled figure"
    assert events(review_db, settled)[-1].action == "confirm"
    assert rv.figure_state(review_db, settled)["conflict"]  # as the question said


@pytest.mark.parametrize("key", [Qt.Key.Key_E, Qt.Key.Key_F])
def test_e_and_f_on_a_settled_figure_ask_before_their_form(qtbot, window, review_db,
                                                           dialogs, settled, key):
    dialogs.confirm_answer = False
    press(qtbot, window, key)
    assert dialogs.asked[-1] == "confirm Override a settled figure"
    assert not any(a.startswith(("correct", "flag")) for a in dialogs.asked)


def test_a_settlement_undone_or_decided_again_is_not_asked_about(qtbot, window, review_db,
                                                                 dialogs):
    fig = plain_figure(window)
    settle(review_db, fig.id)
    review(db := review_db, reviewer="ben", target_id=fig.id, action="confirm")  # later
    window.session.check_for_changes()
    window.session.select_figure(fig.id)
    press(qtbot, window, Qt.Key.Key_A)
    assert not any("Override" in a for a in dialogs.asked)
    assert events(db, fig.id)[-1].reviewer == "ana"


# --- a figure with a warning ----------------------------------------------------------

def test_a_warned_figure_is_confirmed_by_a_second_a_only(qtbot, window, review_db):
    s = window.session
    fig = warned_figure(window)
    s.select_figure(fig.id)
    press(qtbot, window, Qt.Key.Key_A)
    assert rv.figure_state(review_db, fig.id)["status"] == "unreviewed"
    assert s.figure_id == fig.id
    assert window.status.currentMessage() == (
        "This figure has a warning: press A again to confirm anyway (E corrects, F flags)")
    press(qtbot, window, Qt.Key.Key_A)
    assert rv.figure_state(review_db, fig.id)["status"] == "confirmed"
    assert s.figure_id != fig.id


def test_a_second_a_too_late_or_after_moving_away_asks_again(qtbot, window, review_db):
    s = window.session
    now = [100.0]
    window.commands.clock = lambda: now[0]
    fig = warned_figure(window)
    s.select_figure(fig.id)
    press(qtbot, window, Qt.Key.Key_A)
    now[0] += 5.0  # more than the 4 s
    press(qtbot, window, Qt.Key.Key_A)
    assert rv.figure_state(review_db, fig.id)["status"] == "unreviewed"
    press(qtbot, window, Qt.Key.Key_A)  # now within the time: confirmed
    assert rv.figure_state(review_db, fig.id)["status"] == "confirmed"

    other = [f for f in s.article.figures if f.warnings and f.id != fig.id][0]
    plain = [f for f in s.article.figures if not f.warnings and not f.reviewed][0]
    s.select_figure(other.id)
    press(qtbot, window, Qt.Key.Key_A)       # armed on `other`
    s.select_figure(plain.id)
    press(qtbot, window, Qt.Key.Key_A)       # a figure without a warning: one A
    assert rv.figure_state(review_db, plain.id)["status"] == "confirmed"
    s.select_figure(other.id)
    press(qtbot, window, Qt.Key.Key_A)       # the earlier A on it no longer counts
    assert rv.figure_state(review_db, other.id)["status"] == "unreviewed"


def test_a_on_a_claim_with_a_warned_figure_needs_a_second_a(qtbot, window, review_db):
    s = window.session
    fig = warned_figure(window)
    s.select_claim(fig.claim_id)
    press(qtbot, window, Qt.Key.Key_A)
    assert rv.figure_state(review_db, fig.id)["status"] == "unreviewed"
    assert "of this claim have a warning: press A again" in window.status.currentMessage()
    press(qtbot, window, Qt.Key.Key_A)
    assert rv.figure_state(review_db, fig.id)["status"] == "confirmed"


# --- sign-off and the lock: the window's own commands, whole --------------------------

def test_sign_off_with_open_work_is_refused_before_asking(qtbot, window, review_db, dialogs):
    fid = dataset_figure_ids(review_db, DATASET)[0]
    review(review_db, reviewer="ana", target_id=fid, action="confirm")
    review(review_db, reviewer="ben", target_id=fid, action="flag", reason="outdated")
    with qtbot.waitSignal(window.team.signFinished, timeout=20_000) as blocker:
        press(qtbot, window, Qt.Key.Key_S, CTRL | SHIFT)
    assert blocker.args[0] is False
    assert not any(a == "confirm Sign off" for a in dialogs.asked)  # not asked first
    title, text = dialogs.errors[-1]
    assert title == "Sign-off refused"
    assert "1 conflict(s) unresolved" in text
    assert "Dataset > Conflicts (Ctrl+Shift+C)" in text
    assert "Navigate > Next unreviewed (N)" in text
    assert "annotator conflicts" not in text
    assert signoff.signoff_state(review_db, DATASET).signatures == []


@pytest.fixture
def locked(window, review_db):
    for fid in dataset_figure_ids(review_db, DATASET):
        review(review_db, reviewer="ben", target_id=fid, action="confirm")
    for who in ("ben", "cy"):
        signoff.sign(review_db, dataset=DATASET, reviewer=who)
    window.session.refresh_signoff()
    assert window.session.locked


@pytest.mark.parametrize("key", [Qt.Key.Key_A, Qt.Key.Key_E, Qt.Key.Key_F])
def test_a_locked_dataset_names_reopen_in_the_window_and_shows_it_whole(
        qtbot, window, review_db, dialogs, locked, key):
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: window.width() == 1280)
    window.status.clearMessage()
    press(qtbot, window, key)
    text = window.status.currentMessage()
    assert "Dataset > Reopen (Ctrl+Shift+R)" in text
    assert "annotator reopen" not in text
    assert window.fits_status(text) or ("annotator", text) in dialogs.infos


def test_a_message_too_long_for_the_status_line_is_shown_whole(qtbot, window, dialogs):
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: window.width() == 1280)
    long = "dataset 'samples' is signed off and locked; " + "x" * 300
    window.session.message.emit(long)
    assert not window.fits_status(long)
    assert dialogs.infos[-1] == ("annotator", long)
    window.session.message.emit("short")
    assert dialogs.infos[-1] == ("annotator", long)  # a short one stays on the line


def test_the_core_s_command_line_hints_become_the_window_s_commands(window):
    from annotator.gui.actions import in_window_terms

    said = in_window_terms("dataset 'x' is signed off and locked; reopen it first "
                           "(annotator reopen --dataset x --reviewer NAME --reason TEXT)")
    assert said == "dataset 'x' is signed off and locked; reopen it first: Dataset > Reopen " \
                   "(Ctrl+Shift+R)"
    said = in_window_terms("dataset 'x' cannot be signed off: 1 figure(s) unreviewed, 0 "
                           "conflict(s) unresolved (see: annotator conflicts --dataset x)")
    assert said.endswith("; settle them in Dataset > Conflicts (Ctrl+Shift+C)")
