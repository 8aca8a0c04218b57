"""The team views: conflicts settled by a lead, the dataset overview, sign-off and the lock.

Two reviewers' decisions are written with the services into one database; the window
(reviewer "lead") settles, signs and reopens, and every outcome is read back from the
database or from the services themselves.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.gui.models.conflicts import ConflictTableModel, FigureIdRole, describe_decision
from annotator.gui.models.reviewers import (
    AgreementPairsModel, RecordRole, ReviewerProgressModel, SignaturesModel,
)
from annotator.services import signoff, team
from annotator.services.common import ReviewError
from annotator.services.review import review
from annotator.storage import reviews as rv
from tests.gui.shared import (
    CTRL, DATASET, SHIFT, activate as _activate, disagree, open_conflicts, open_overview,
    settle_everything, team_figures as figures,
)

NO = Qt.KeyboardModifier.NoModifier


def state(db, fid) -> dict:
    return rv.figure_state(db, fid)


def event_count(db) -> int:
    return db.execute("SELECT COUNT(*) FROM events").fetchone()[0]


# --- models -----------------------------------------------------------------------------

def test_conflict_model(qtmodeltester, review_db):
    three = disagree(review_db)
    model = ConflictTableModel()
    model.set_conflicts(team.conflicts(review_db, DATASET))
    qtmodeltester.check(model, force_py=True)
    assert model.reviewers() == ["ana", "ben"]
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == \
        ["Article", "Figure", "ana", "ben"]
    assert [model.index(r, 0).data(FigureIdRole) for r in range(3)] == three
    assert model.index(0, 2).data() == "confirmed"
    assert model.index(0, 3).data().startswith("corrected → 123")
    assert "typo" in model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(1, 3).data() == "flagged: outdated"
    assert model.index(2, 2).data() == "flagged: unsupported by the source"
    assert model.remove_figures([three[1]]) == 1
    assert model.figure_ids() == [three[0], three[2]]
    qtmodeltester.check(model, force_py=True)


def test_describe_decision_names_a_changed_kind():
    assert describe_decision({"status": "corrected", "value": 5.0, "kind": "money",
                              "currency": "HKD"}, "number").endswith("(money)")
    assert describe_decision(None) == ""


def test_reviewer_models(qtmodeltester, review_db):
    disagree(review_db)
    progress = ReviewerProgressModel()
    progress.set_rows(team.reviewer_progress(review_db, DATASET))
    qtmodeltester.check(progress, force_py=True)
    pairs = AgreementPairsModel()
    pairs.set_rows(team.agreement(review_db, DATASET).as_dict()["pairs"])
    qtmodeltester.check(pairs, force_py=True)
    signatures = SignaturesModel()
    signatures.set_rows([{"reviewer": "ana", "at": "2025-03-01T09:15:00.000001+00:00",
                          "figures": 10, "counts": True}])
    qtmodeltester.check(signatures, force_py=True)
    assert signatures.index(0, 1).data() == "2025-03-01 09:15 UTC"
    assert progress.index(0, 0).data() == "ana"
    assert pairs.index(0, 0).data() == "ana · ben"
    assert pairs.index(0, 0).data(RecordRole)["agreed"] == 7


# --- the conflicts view -----------------------------------------------------------------

def test_conflicts_view_lists_them_and_taking_a_decision_settles_one(qtbot, lead, review_db):
    three = disagree(review_db)
    dialog = open_conflicts(qtbot, lead)
    assert dialog.model.figure_ids() == [c.figure_id for c in team.conflicts(review_db, DATASET)]
    assert dialog.model.rowCount() == 3
    assert dialog.heading.text() == f"Conflicts in {DATASET}: 3 figure(s)"
    # the first conflict is open in the article; moving down opens the next one
    assert lead.session.figure_id == three[0]
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    assert dialog.current_figure_id() == three[1]
    assert lead.session.figure_id == three[1]
    # the cursor starts in ana's column: → goes to ben's, and T takes his flag
    assert dialog.model.reviewer_of_column(dialog.table.currentIndex().column()) == "ana"
    qtbot.keyClick(dialog.table, Qt.Key.Key_Right)
    qtbot.keyClick(dialog.table, Qt.Key.Key_T)
    st = state(review_db, three[1])
    assert (st["status"], st["flag"], st["conflict"]) == ("flagged", "outdated", False)
    last = rv.events_for(review_db, "figure", three[1])[-1]
    assert (last.reviewer, last.action, last.note) == ("lead", "adjudicate", "picked ben")
    # the row is gone, and the cursor moved on to the next conflict, open in the article
    assert dialog.model.figure_ids() == [three[0], three[2]]
    assert dialog.current_figure_id() == three[2]
    assert lead.session.figure_id == three[2]
    assert len(team.conflicts(review_db, DATASET)) == 2


def test_ctrl_z_in_the_conflicts_view_brings_the_conflict_back(qtbot, lead, review_db):
    three = disagree(review_db)
    dialog = open_conflicts(qtbot, lead)
    assert dialog.take("ben")
    assert dialog.model.figure_ids() == three[1:]
    qtbot.keyClick(dialog.table, Qt.Key.Key_Z, CTRL)
    assert state(review_db, three[0])["conflict"]
    assert dialog.model.figure_ids() == three


def test_a_conflict_settled_elsewhere_leaves_without_moving_the_review_window(qtbot, lead,
                                                                              review_db):
    three = disagree(review_db)
    dialog = open_conflicts(qtbot, lead)
    assert lead.session.figure_id == three[0] == dialog.current_figure_id()
    _activate(qtbot, lead)
    # ana comes round to ben's correction (her write, shown in this window)
    lead.session.apply(review(review_db, reviewer="ana", target_id=three[0], action="correct",
                              value=123.0))
    assert dialog.model.figure_ids() == three[1:]
    assert lead.session.figure_id == three[0]


def test_take_buttons_follow_the_reviewers(qtbot, lead, review_db):
    three = disagree(review_db)
    dialog = open_conflicts(qtbot, lead)
    assert sorted(dialog.take_buttons) == ["ana", "ben"]
    qtbot.mouseClick(dialog.take_buttons["ana"], Qt.MouseButton.LeftButton)
    assert state(review_db, three[0])["status"] == "confirmed"
    assert not state(review_db, three[0])["conflict"]


def test_deciding_uses_the_review_dialogs_and_records_an_adjudication(qtbot, lead, review_db,
                                                                      dialogs):
    three = disagree(review_db)
    dialog = open_conflicts(qtbot, lead)
    dialogs.correct_answer = {"value": 125.0, "unit": None, "currency": None,
                              "kind": None, "note": "checked the source"}
    qtbot.keyClick(dialog.table, Qt.Key.Key_E, SHIFT)
    st = state(review_db, three[0])
    assert (st["status"], st["value"], st["note"]) == ("corrected", 125.0, "checked the source")
    assert dialogs.asked[-1].startswith("correct ")
    dialogs.flag_answer = ("wrong_figure", None)
    qtbot.keyClick(dialog.table, Qt.Key.Key_F, SHIFT)
    assert state(review_db, three[1])["flag"] == "wrong_figure"
    qtbot.keyClick(dialog.table, Qt.Key.Key_A, SHIFT)
    assert state(review_db, three[2])["status"] == "confirmed"
    assert dialog.model.rowCount() == 0
    assert dialog.heading.text() == f"No conflicts in {DATASET}"
    actions = [rv.events_for(review_db, "figure", f)[-1] for f in three]
    assert {(e.reviewer, e.action) for e in actions} == {("lead", "adjudicate")}


def test_a_cancelled_decision_changes_nothing(qtbot, lead, review_db, dialogs):
    disagree(review_db)
    dialog = open_conflicts(qtbot, lead)
    before = event_count(review_db)
    dialogs.correct_answer = None
    qtbot.keyClick(dialog.table, Qt.Key.Key_E, SHIFT)
    assert event_count(review_db) == before and dialog.model.rowCount() == 3


def test_conflict_keys_do_nothing_in_the_review_window(qtbot, lead, review_db):
    disagree(review_db)
    before = event_count(review_db)
    for key, mod in ((Qt.Key.Key_T, NO), (Qt.Key.Key_A, SHIFT), (Qt.Key.Key_F, SHIFT)):
        qtbot.keyClick(lead.text_view, key, mod)
    assert event_count(review_db) == before


def test_a_new_conflict_appears_while_the_view_is_open(qtbot, lead, review_db, dialogs):
    disagree(review_db)
    dialog = open_conflicts(qtbot, lead)
    fourth = figures(review_db)[3]  # ana and ben both confirmed it
    assert fourth not in dialog.model.figure_ids()
    # the lead, reviewing in the main window, flags it: now three reviewers disagree
    lead.session.reveal_figure(fourth)
    _activate(qtbot, lead)
    dialogs.flag_answer = ("outdated", None)
    qtbot.keyClick(lead.text_view, Qt.Key.Key_F)
    assert state(review_db, fourth)["conflict"]
    assert fourth in dialog.model.figure_ids()
    assert dialog.model.reviewers() == ["ana", "ben", "lead"]
    assert lead.session.figure_id != fourth  # a reload does not pull the review window back


# --- the dataset view -------------------------------------------------------------------

def test_dataset_view_shows_the_services_numbers(qtbot, lead, review_db):
    disagree(review_db)
    overview = open_overview(qtbot, lead)
    dialog = lead.dataset_dialog
    assert dialog.progress_model.rows() == team.reviewer_progress(review_db, DATASET)
    agreement = team.agreement(review_db, DATASET, by_reason=True)  # as the overview counts
    pair = agreement.pairs[0]
    shown = dialog.agreement_model.rows()[0]
    assert (shown["figures"], shown["agreed"]) == (pair.figures, pair.agreed) == (10, 7)
    assert dialog.agreement_model.index(0, 3).data() == f"{pair.percent:.1f}%"
    assert dialog.agreement_model.index(0, 4).data() == f"{pair.kappa:.3f}"
    assert f"nominal {agreement.alpha_nominal:.3f}" in dialog.alpha.text()
    assert f"interval {agreement.alpha_interval:.3f}" in dialog.alpha.text()
    work = signoff.open_work(review_db, DATASET)
    assert overview["open_work"] == work
    assert f"{work['unreviewed']:,} figure(s) unreviewed · 3 conflict(s)" in \
        dialog.open_work.text()
    ana = dialog.progress_model.rows()[0]
    assert (ana["reviewed"], ana["confirmed"], ana["flagged"]) == (10, 9, 1)
    assert dialog.progress_model.index(0, 1).data() == f"10 / {work['figures']}"
    assert dialog.signoff_state.text() == "Not signed (2 signature(s) needed)"


def test_the_overview_follows_decisions(qtbot, lead, review_db):
    three = disagree(review_db)
    open_overview(qtbot, lead)
    dialog = lead.dataset_dialog
    with qtbot.waitSignal(dialog.overviewShown, timeout=20_000) as blocker:
        dialog_c = open_conflicts(qtbot, lead)
        dialog_c.take("ana")
    assert blocker.args[0]["conflicts"] == 2
    assert three[0] not in dialog_c.model.figure_ids()


# --- sign-off and the lock ----------------------------------------------------------------

def test_sign_off_refused_then_accepted_then_locked_then_reopened(qtbot, lead, review_db,
                                                                  dialogs):
    disagree(review_db)
    with pytest.raises(ReviewError):
        signoff.sign(review_db, dataset=DATASET, reviewer="lead")
    with qtbot.waitSignal(lead.team.signFinished, timeout=20_000) as blocker:
        qtbot.keyClick(lead.text_view, Qt.Key.Key_S, CTRL | SHIFT)
    assert blocker.args[0] is False
    refusal = blocker.args[1]  # the window's words: its own Conflicts view, not the CLI's
    assert dialogs.errors[-1] == ("Sign-off refused", refusal)
    assert "3 conflict(s) unresolved" in refusal
    assert "Dataset > Conflicts (Ctrl+Shift+C)" in refusal
    assert lead.status.currentMessage() == refusal.split(". ")[0]

    settle_everything(review_db)
    with qtbot.waitSignal(lead.team.signFinished, timeout=20_000) as blocker:
        qtbot.keyClick(lead.text_view, Qt.Key.Key_S, CTRL | SHIFT)
    assert blocker.args[0] is True
    assert signoff.signoff_state(review_db, DATASET).signers == ["lead"]
    assert not lead.session.locked
    assert lead.signoff_badge.text() == "Signed by lead (1 of 2) — open"

    signoff.sign(review_db, dataset=DATASET, reviewer="ben")  # from ben's own window
    overview = open_overview(qtbot, lead)  # the overview notices it
    assert overview["signoff"]["signed_off"] and overview["content_matches_signature"]
    assert lead.session.locked
    assert lead.signoff_badge.text() == "Signed off by ben, lead — locked"
    assert lead.signoff_badge.isVisible()
    assert "(signed off, locked)" in lead.windowTitle()
    dialog = lead.dataset_dialog
    assert dialog.signoff_state.text() == "Signed off by ben, lead — locked"
    assert dialog.hash_state.text().startswith("The content matches the signed hash")
    assert [r["reviewer"] for r in dialog.signatures_model.rows()] == ["lead", "ben"]

    # A, E and F on the locked dataset: refused with the service's message, nothing asked
    _activate(qtbot, lead)
    lead.text_view.setFocus()
    before = event_count(review_db)
    asked = len(dialogs.asked)
    dialogs.correct_answer = {"value": 1.0, "unit": None, "currency": None, "kind": None,
                              "note": None}
    dialogs.flag_answer = ("other", None)
    for key in (Qt.Key.Key_A, Qt.Key.Key_E, Qt.Key.Key_F):
        lead.status.clearMessage()
        qtbot.keyClick(lead.text_view, key)
        assert "is signed off and locked; reopen it first" in lead.status.currentMessage()
    assert event_count(review_db) == before and len(dialogs.asked) == asked

    # reopening asks for a reason and unlocks
    dialogs.reopen_answer = None
    qtbot.keyClick(lead.text_view, Qt.Key.Key_R, CTRL | SHIFT)
    assert lead.session.locked  # cancelled
    dialogs.reopen_answer = "a wrong total in article 2"
    with qtbot.waitSignal(lead.team.reopenFinished, timeout=5_000) as blocker:
        qtbot.keyClick(lead.text_view, Qt.Key.Key_R, CTRL | SHIFT)
    assert blocker.args[0] is True
    assert not lead.session.locked and not lead.signoff_badge.isVisible()
    reopened = signoff.signoff_state(review_db, DATASET).reopened[-1]
    assert (reopened["reviewer"], reopened["reason"]) == ("lead", "a wrong total in article 2")
    fid = lead.session.figure_id
    qtbot.keyClick(lead.text_view, Qt.Key.Key_F)
    last = rv.events_for(review_db, "figure", fid)[-1]
    assert (last.reviewer, last.action, last.new_state["flag"]) == ("lead", "flag", "other")
    assert state(review_db, fid)["conflict"]  # ana and ben confirmed it


def test_sign_off_cancelled_at_the_question_signs_nothing(qtbot, lead, review_db, dialogs):
    settle_everything(review_db)
    dialogs.confirm_answer = False
    qtbot.keyClick(lead.text_view, Qt.Key.Key_S, CTRL | SHIFT)
    lead.jobs.wait()
    assert signoff.signoff_state(review_db, DATASET).signatures == []
    assert dialogs.asked[-1] == "confirm Sign off"


def test_reopen_without_signatures_says_so_without_asking(qtbot, lead, dialogs):
    with qtbot.waitSignal(lead.team.reopenFinished, timeout=5_000) as blocker:
        qtbot.keyClick(lead.text_view, Qt.Key.Key_R, CTRL | SHIFT)
    assert blocker.args[0] is False and "nothing to reopen" in blocker.args[1]
    assert not any(a.startswith("reopen") for a in dialogs.asked)


def test_taking_a_decision_on_a_locked_dataset_is_refused(qtbot, lead, review_db):
    three = disagree(review_db)
    dialog = open_conflicts(qtbot, lead)
    settle_everything(review_db)
    for who in ("ana", "ben"):
        signoff.sign(review_db, dataset=DATASET, reviewer=who)
    lead.session.refresh_signoff()
    before = event_count(review_db)
    assert dialog.take("ana") is False
    assert event_count(review_db) == before
    assert "signed off and locked" in lead.status.currentMessage()
    assert three  # the list was read before everything was settled
