"""annotator reanalyse on a database with reviews: reviews stay with figures whose span and
value are unchanged; reviewed figures read differently come back with the old and new
reading; unreviewed figures the engine no longer finds go, reviewed ones stay."""

from __future__ import annotations

import json

import pytest

from annotator.domain import RawArticle
from annotator.services import reanalyse as svc
from annotator.services.browse import describe_reread
from annotator.services import review as review_svc
from annotator.services import stats as stats_svc
from annotator.services.common import ReviewError
from annotator.storage import articles as repo
from annotator.storage.db import write_tx
from annotator.text.pipeline import analyse

TEXT = ("香港特區政府表示，整体人力短缺达18万人。去年有200人离职，占15%。\n"
        "会议于3月5日举行，共12名代表出席。")


def _store(db, text=TEXT, dataset="ds") -> str:
    a = analyse(text)
    with write_tx(db):
        aid = repo.insert_article(db, RawArticle(source="t.txt", text=text, title="t"),
                                  language=a.language, script=a.script,
                                  boilerplate=a.boilerplate, claims=a.claims)
        repo.add_to_dataset(db, dataset, aid)
    return aid


def _fig(db, aid, surface):
    return db.execute("SELECT id, value, reading FROM figures WHERE article_id = ? AND text = ?",
                      [aid, surface]).fetchone()


def _status(db, fid):
    row = db.execute("SELECT status FROM figure_state WHERE figure_id = ?", [fid]).fetchone()
    return row[0] if row else "unreviewed"


@pytest.fixture
def reviewed(db):
    """An article stored by an "older engine": one value read wrong, one spurious figure
    reviewed and one not, one figure missing, no readings; three figures reviewed."""
    aid = _store(db)
    people, _, _ = _fig(db, aid, "18万人")
    left, _, _ = _fig(db, aid, "200人")
    reps, _, _ = _fig(db, aid, "12名")
    db.execute("UPDATE figures SET reading = NULL")
    db.execute("UPDATE figures SET value = 20 WHERE id = ?", [left])       # read wrong then
    date_id = _fig(db, aid, "3月5日")[0]
    claim = db.execute("SELECT claim_id FROM figures WHERE id = ?", [date_id]).fetchone()[0]
    db.execute("DELETE FROM figures WHERE id = ?", [date_id])             # missed then
    start = TEXT.index("香港")
    spurious = {}
    for name, s, e in (("reviewed", start, start + 2), ("plain", start + 2, start + 4)):
        fid = spurious[name] = repo.figure_id_for(aid, s, e, "number")
        db.execute("INSERT INTO figures(id, claim_id, article_id, seq, start, end, text, kind, "
                   "value) VALUES (?,?,?,?,?,?,?,?,?)",
                   [fid, claim, aid, 90 + s, s, e, TEXT[s:e], "number", 1])
    db.conn.commit()
    review_svc.review(db, reviewer="ana", target_id=people, action="confirm")
    review_svc.review(db, reviewer="ana", target_id=left, action="confirm")
    review_svc.review(db, reviewer="ben", target_id=spurious["reviewed"], action="flag",
                      reason="wrong_figure")
    review_svc.review(db, reviewer="ana", target_id=reps, action="correct", value=13)
    return aid, people, left, reps, date_id, spurious


def test_reviews_stay_where_span_and_value_are_unchanged(db, reviewed):
    aid, people, left, reps, _, spurious = reviewed
    events_before = db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    s = svc.reanalyse(db, "ds")
    assert (s.articles, s.kept, s.reread, s.added, s.removed) == (1, 3, 2, 1, 1)
    assert _status(db, people) == "confirmed" and _status(db, reps) == "corrected"
    assert db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == events_before
    # every figure now says how it was read
    assert all(r[0] for r in db.execute("SELECT reading FROM figures WHERE article_id = ? "
                                        "AND id != ?", [aid, spurious["reviewed"]]))


def test_a_reviewed_figure_read_differently_is_back_with_old_and_new_value(db, reviewed):
    aid, _, left, _, _, spurious = reviewed
    svc.reanalyse(db)
    assert _fig(db, aid, "200人")[1] == 200
    assert _status(db, left) == "unreviewed"
    found = {r.figure_id: r for r in svc.rereads(db, "ds")}
    assert set(found) == {left, spurious["reviewed"]}
    assert describe_reread(found[left]) == "was 20 人 (200人), now 200 人 (200人)"
    assert "no longer finds" in describe_reread(found[spurious["reviewed"]])
    stats = stats_svc.dataset_stats(db, "ds")[0]
    assert stats["reread"] == 2 and stats["figures_by_status"]["confirmed"] == 1
    # a new decision answers it
    review_svc.review(db, reviewer="ana", target_id=left, action="confirm")
    assert _status(db, left) == "confirmed"
    assert {r.figure_id for r in svc.rereads(db, "ds")} == {spurious["reviewed"]}


def test_unreviewed_figures_no_longer_found_go_and_missed_ones_come(db, reviewed):
    aid, *_, date_id, spurious = reviewed
    svc.reanalyse(db, "ds")
    ids = {r[0] for r in db.execute("SELECT id FROM figures WHERE article_id = ?", [aid])}
    assert spurious["plain"] not in ids and spurious["reviewed"] in ids and date_id in ids
    # a second run changes nothing more and keeps the reread open
    again = svc.reanalyse(db, "ds")
    assert (again.added, again.removed, again.changed_articles) == (0, 0, 1)
    assert len(svc.rereads(db)) == 2


def test_the_reread_keeps_the_reading_reviewers_saw_across_runs(db, reviewed):
    aid, _, left, _, _, spurious = reviewed
    svc.reanalyse(db)
    svc.reanalyse(db)
    r = next(r for r in svc.rereads(db) if r.figure_id == left)
    assert r.old_value == 20 and r.new_value == 200


def test_an_unknown_dataset_is_refused_naming_the_known_ones(db, reviewed):
    with pytest.raises(ReviewError, match="no dataset named 'nope'"):
        svc.reanalyse(db, "nope")


def test_an_export_after_reanalysis_carries_the_new_readings(db, reviewed):
    from annotator.services.export import records as ex

    svc.reanalyse(db)
    figs = [f for r in ex.iter_claim_records(db) for f in r["figures"]]
    assert any(f["reading"] and "10^4" in f["reading"] for f in figs)
    json.dumps(figs)


def test_the_window_data_carries_the_old_and_new_reading(db, reviewed):
    from annotator.services import browse

    aid, _, left, *_ = reviewed
    svc.reanalyse(db)
    figs = {f.id: f for c in browse.load_article(db, aid).claims for f in c.figures}
    assert figs[left].reread == "was 20 人 (200人), now 200 人 (200人)"
    assert browse.figures_by_id(db, [left])[left].reread == figs[left].reread
    review_svc.review(db, reviewer="ana", target_id=left, action="confirm")
    assert browse.figures_by_id(db, [left])[left].reread is None


def test_a_reread_is_open_work_not_a_stale_state(db, reviewed):
    from annotator.services import signoff

    svc.reanalyse(db, "ds")
    assert signoff.stale_figures(db, "ds") == []
    assert signoff.open_work(db, "ds")["unreviewed"] >= 2
    with pytest.raises(signoff.SignoffError, match="unreviewed"):
        signoff.sign(db, dataset="ds", reviewer="ana")


def test_a_signed_off_dataset_is_refused_until_reopened(db):
    from annotator.services import signoff

    aid = _store(db, dataset="locked")
    for (fid,) in db.execute("SELECT id FROM figures WHERE article_id = ?", [aid]).fetchall():
        review_svc.review(db, reviewer="ana", target_id=fid, action="confirm")
    signoff.sign(db, dataset="locked", reviewer="ana")
    signoff.sign(db, dataset="locked", reviewer="ben")
    with pytest.raises(ReviewError, match="signed off and locked; reopen it first"):
        svc.reanalyse(db, "locked")
