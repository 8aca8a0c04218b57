import pytest

from annotator.services import review as svc
from annotator.storage import reviews as rv
from annotator.services.review.undo import next_batches

from tests.core.factories import claim_ids, figure_ids, make_article


@pytest.fixture
def art(db):
    return make_article(db)


def state(db, fid):
    return rv.figure_state(db, fid)


def test_confirm_correct_flag_are_events_and_state(db, art):
    f = figure_ids(db, art)
    ch = svc.review(db, reviewer="ana", target_id=f[0], action="confirm")
    assert ch.figures == {f[0]} and len(ch.events) == 1
    assert state(db, f[0])["status"] == "confirmed"
    svc.review(db, reviewer="ana", target_id=f[1], action="correct", value=60300, note="typo")
    s = state(db, f[1])
    assert s["status"] == "corrected" and s["value"] == 60300 and s["note"] == "typo"
    svc.review(db, reviewer="ana", target_id=f[2], action="flag", reason="garbled text")
    assert state(db, f[2])["flag"] == "garbled_text"
    events = rv.events_for(db, "figure", f[1])
    assert events[0].old_state == {"status": "unreviewed"}
    assert events[0].new_state["value"] == 60300


def test_claim_target_reviews_all_its_figures_as_one_action(db, art):
    c = claim_ids(db, art)
    ch = svc.review(db, reviewer="ana", target_id=c[1], action="confirm")
    assert len(ch.figures) == 2 and ch.claims == {c[1]}
    svc.undo(db, reviewer="ana")
    assert all(state(db, f)["status"] == "unreviewed" for f in figure_ids(db, art)[1:3])


def test_undo_redo_stack(db, art):
    f = figure_ids(db, art)
    svc.review(db, reviewer="ana", target_id=f[0], action="confirm")
    svc.review(db, reviewer="ana", target_id=f[0], action="correct", value=1)
    svc.undo(db, reviewer="ana")
    assert state(db, f[0])["status"] == "confirmed"
    svc.undo(db, reviewer="ana")
    assert state(db, f[0])["status"] == "unreviewed"
    with pytest.raises(svc.ReviewError, match="nothing to undo"):
        svc.undo(db, reviewer="ana")
    svc.redo(db, reviewer="ana")
    assert state(db, f[0])["status"] == "confirmed"
    svc.redo(db, reviewer="ana")
    assert state(db, f[0])["value"] == 1
    with pytest.raises(svc.ReviewError, match="nothing to redo"):
        svc.redo(db, reviewer="ana")
    svc.undo(db, reviewer="ana")
    svc.review(db, reviewer="ana", target_id=f[1], action="confirm")  # a new action clears redo
    assert not svc.can_redo(db, "ana")


def test_undo_is_per_reviewer(db, art):
    f = figure_ids(db, art)
    svc.review(db, reviewer="ana", target_id=f[0], action="confirm")
    svc.review(db, reviewer="ben", target_id=f[1], action="confirm")
    svc.undo(db, reviewer="ana")
    assert state(db, f[0])["status"] == "unreviewed"
    assert state(db, f[1])["status"] == "confirmed"


def test_disagreeing_reviewers_conflict_and_adjudication_settles(db, art):
    f = figure_ids(db, art)[0]
    svc.review(db, reviewer="ana", target_id=f, action="confirm")
    svc.review(db, reviewer="ben", target_id=f, action="confirm", note="ok")
    assert state(db, f)["status"] == "confirmed" and not state(db, f)["conflict"]
    svc.review(db, reviewer="ben", target_id=f, action="correct", value=190000)
    assert state(db, f)["conflict"] and state(db, f)["status"] == "unreviewed"
    svc.adjudicate(db, reviewer="lead", figure_id=f, action="correct", value=190000)
    assert state(db, f)["status"] == "corrected" and not state(db, f)["conflict"]
    svc.undo(db, reviewer="lead")
    assert state(db, f)["conflict"]


def test_bad_requests_are_clear_errors(db, art):
    f = figure_ids(db, art)
    with pytest.raises(svc.ReviewError, match="no figure or claim"):
        svc.review(db, reviewer="ana", target_id="f-nope", action="confirm")
    with pytest.raises(svc.ReviewError, match="flag reason"):
        svc.review(db, reviewer="ana", target_id=f[0], action="flag", reason="meh")
    with pytest.raises(svc.ReviewError, match="reviewer"):
        svc.review(db, reviewer=" ", target_id=f[0], action="confirm")
    with pytest.raises(svc.ReviewError, match="finite"):
        svc.review(db, reviewer="ana", target_id=f[0], action="correct", value=float("nan"))
    with pytest.raises(svc.ReviewError, match="2 figures"):
        svc.review(db, reviewer="ana", target_id=claim_ids(db, art)[1], action="correct", value=1)
    assert db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0


def test_duplicate_copy_inherits_unless_overridden(db, art):
    f = figure_ids(db, art)
    db.execute("UPDATE figures SET duplicate_of = ? WHERE id = ?", [f[3], f[4]])
    svc.review(db, reviewer="ana", target_id=f[3], action="confirm")
    s = state(db, f[4])
    assert s["status"] == "confirmed" and s["inherited_from"] == f[3]
    svc.review(db, reviewer="ana", target_id=f[4], action="flag", reason="outdated")
    svc.review(db, reviewer="ana", target_id=f[3], action="correct", value=201)
    assert state(db, f[4])["status"] == "flagged"


def _replayed_tops(db, reviewer):
    """The reference: replay every event forwards into undo and redo stacks."""
    batches = {}
    for e in rv.events_by_reviewer(db, reviewer):
        batches.setdefault(e.batch, []).append(e)
    undo_stack, redo_stack = [], []
    for evs in batches.values():
        action = evs[0].action
        if action in svc.UNDOABLE:
            undo_stack.append(evs[0].batch)
            redo_stack.clear()
        elif action == "undo" and undo_stack:
            undo_stack.pop()
            redo_stack.append(evs[0].batch)
        elif action == "redo" and redo_stack:
            redo_stack.pop()
            undo_stack.append(evs[0].batch)
    return (undo_stack[-1] if undo_stack else None, redo_stack[-1] if redo_stack else None)


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["act", "act", "undo", "undo", "redo"]),
                          st.integers(0, 4), st.sampled_from(["ana", "ben"])), max_size=25))
def test_undo_redo_from_the_newest_events_matches_a_full_replay(tmp_path_factory, steps):
    from annotator.storage.db import open_db

    d = open_db(tmp_path_factory.mktemp("undo") / "u.db")
    f = figure_ids(d, make_article(d))
    for op, i, who in steps:
        try:
            if op == "act":
                svc.review(d, reviewer=who, target_id=f[i], action=("confirm", "flag")[i % 2],
                           reason="other")
            else:
                getattr(svc, op)(d, reviewer=who)
        except svc.ReviewError:
            pass
        for who2 in ("ana", "ben"):
            undo_top, redo_top = next_batches(d, who2)
            got = (undo_top[0].batch if undo_top else None, redo_top[0].batch if redo_top else None)
            assert got == _replayed_tops(d, who2)
    d.close()
