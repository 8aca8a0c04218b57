import hashlib
import json
import sqlite3

import pytest

from annotator.services import review as svc
from annotator.services import signoff, team
from annotator.services.export import signed as signed_export
from annotator.services.history import history
from annotator.storage import reviews as rv
from annotator.storage.db import open_db
from annotator.storage.reviews import dataset_figure_ids

from tests.core.factories import figure_ids, make_article
from tests.core.team_helpers import two_reviewers


@pytest.fixture
def art(db):
    return make_article(db)


def confirm_all(d, reviewer, aid):
    svc.review(d, reviewer=reviewer, target_id=figure_ids(d, aid)[0], action="confirm")
    for fid in figure_ids(d, aid)[1:]:
        svc.review(d, reviewer=reviewer, target_id=fid, action="confirm")


def test_signoff_refused_until_reviewed_then_two_signatures_lock(db, art):
    f = figure_ids(db, art)
    svc.review(db, reviewer="ana", target_id=f[0], action="confirm")
    with pytest.raises(signoff.SignoffError, match="4 figure.s. unreviewed, 0 conflict"):
        signoff.sign(db, dataset="ds", reviewer="ana")
    confirm_all(db, "ana", art)
    svc.review(db, reviewer="ben", target_id=f[2], action="correct", value=1)
    with pytest.raises(signoff.SignoffError, match="1 conflict"):
        signoff.sign(db, dataset="ds", reviewer="ana")
    svc.adjudicate(db, reviewer="lead", figure_id=f[2], action="confirm")
    signoff.sign(db, dataset="ds", reviewer="ana")
    state = signoff.signoff_state(db, "ds")
    assert state.signers == ["ana"] and not state.signed_off
    svc.review(db, reviewer="ana", target_id=f[0], action="confirm", note="still open")
    signoff.sign(db, dataset="ds", reviewer="ben")
    state = signoff.signoff_state(db, "ds")
    # ana signed before her note changed the content: only ben's signature counts
    assert state.signers == ["ben"] and [s["reviewer"] for s in state.stale] == ["ana"]
    signoff.sign(db, dataset="ds", reviewer="ana")
    state = signoff.signoff_state(db, "ds")
    assert state.signed_off and state.signers == ["ana", "ben"]
    assert state.hash == signoff.content_hash(db, "ds")


def signed_off(d, aid):
    confirm_all(d, "ana", aid)
    signoff.sign(d, dataset="ds", reviewer="ana")
    signoff.sign(d, dataset="ds", reviewer="ben")
    assert signoff.signoff_state(d, "ds").signed_off


def test_locked_dataset_refuses_review_actions_until_reopened(db, art):
    f = figure_ids(db, art)
    signed_off(db, art)
    events = db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    for call in (lambda: svc.review(db, reviewer="carl", target_id=f[0], action="flag",
                                    reason="other"),
                 lambda: svc.adjudicate(db, reviewer="lead", figure_id=f[0], action="confirm"),
                 lambda: team.adjudicate_pick(db, reviewer="lead", target_id=f[0], pick="ana"),
                 lambda: svc.undo(db, reviewer="ana")):
        with pytest.raises(svc.ReviewError, match="signed off and locked; reopen it first"):
            call()
    assert db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == events
    with pytest.raises(signoff.SignoffError, match="reason"):
        signoff.reopen(db, dataset="ds", reviewer="lead", reason="  ")
    signoff.reopen(db, dataset="ds", reviewer="lead", reason="figure 1 is wrong")
    state = signoff.signoff_state(db, "ds")
    assert not state.signed_off and state.signers == [] and state.reopened[0]["reason"]
    svc.review(db, reviewer="ana", target_id=f[0], action="correct", value=1)
    actions = [e.action for e in history(db, "ds")]
    assert actions == ["signoff", "signoff", "reopen"]


def test_same_reviewer_cannot_sign_the_same_content_twice(db, art):
    confirm_all(db, "ana", art)
    signoff.sign(db, dataset="ds", reviewer="ana")
    with pytest.raises(signoff.SignoffError, match="already signed"):
        signoff.sign(db, dataset="ds", reviewer="ana")
    with pytest.raises(signoff.SignoffError, match=r"no dataset named 'nope' \(datasets: ds\)"):
        signoff.sign(db, dataset="nope", reviewer="ana")


def test_required_signoffs_per_dataset(db, art):
    confirm_all(db, "ana", art)
    with pytest.raises(signoff.SignoffError, match="at least 1"):
        signoff.set_required_signoffs(db, dataset="ds", reviewer="lead", required=0)
    signoff.set_required_signoffs(db, dataset="ds", reviewer="lead", required=1)
    signoff.sign(db, dataset="ds", reviewer="ana")
    assert signoff.signoff_state(db, "ds").signed_off
    with pytest.raises(signoff.SignoffError, match="reopen it before"):
        signoff.set_required_signoffs(db, dataset="ds", reviewer="lead", required=3)


def test_reopen_needs_signatures(db, art):
    with pytest.raises(signoff.SignoffError, match="nothing to reopen"):
        signoff.reopen(db, dataset="ds", reviewer="lead", reason="why not")


def test_hash_ignores_history_and_local_paths(tmp_path):
    a, b = open_db(tmp_path / "a.db"), open_db(tmp_path / "b.db")
    aid = make_article(a, source="here/x.txt")
    make_article(b, source="there/y.txt")
    confirm_all(a, "ana", aid)
    f = figure_ids(b, aid)
    svc.review(b, reviewer="ben", target_id=f[0], action="flag", reason="other")
    svc.undo(b, reviewer="ben")
    confirm_all(b, "ben", aid)
    assert signoff.content_hash(a, "ds") == signoff.content_hash(b, "ds")
    svc.review(b, reviewer="ben", target_id=f[3], action="correct", value=201)
    assert signoff.content_hash(a, "ds") != signoff.content_hash(b, "ds")


def test_signed_export_writes_records_and_a_manifest(db, art, tmp_path):
    signed_off(db, art)
    out = tmp_path / "out" / "ds.jsonl"
    done = signed_export.export_signed(db, out, dataset="ds", reviewer="lead")
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert done.records == len(records) == 3
    manifest = json.loads(signed_export.manifest_path(out).read_text(encoding="utf-8"))
    # the hash can be recomputed from the exported file alone
    assert manifest["hash"] == signoff.records_hash(records) == done.hash
    assert manifest["file"]["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert [s["reviewer"] for s in manifest["signatures"]] == ["ana", "ben"]
    assert manifest["dataset"] == "ds" and manifest["tool"]["name"] == "annotator"
    for r in records:  # spans still select their text
        for fig in r["figures"]:
            assert r["text"][fig["start"] - r["start"]:fig["end"] - r["start"]] == fig["text"]


def test_signed_export_in_other_formats(db, art, tmp_path):
    signed_off(db, art)
    signed_export.export_signed(db, tmp_path / "ds.json", dataset="ds", reviewer="lead",
            fmt="claimreview")
    reviews = json.loads((tmp_path / "ds.json").read_text(encoding="utf-8"))
    assert len(reviews) == 3 and reviews[0]["@type"] == "ClaimReview"
    signed_export.export_signed(db, tmp_path / "ds.csv", dataset="ds", reviewer="lead",
            fmt="csv", script="hk")
    assert "18萬人" in (tmp_path / "ds.csv").read_text(encoding="utf-8")


def test_signed_export_refused_unless_signed_off(db, art, tmp_path):
    confirm_all(db, "ana", art)
    signoff.sign(db, dataset="ds", reviewer="ana")
    with pytest.raises(signoff.SignoffError, match="1 of 2"):
        signed_export.export_signed(db, tmp_path / "x.jsonl", dataset="ds", reviewer="lead")
    with pytest.raises(signoff.SignoffError, match="output file"):
        signed_export.export_signed(db, "-", dataset="ds", reviewer="lead")
    assert not (tmp_path / "x.jsonl").exists()


def tamper(db_path, sql, params=()):
    conn = sqlite3.connect(db_path)
    conn.execute(sql, params)
    conn.commit()
    conn.close()


@pytest.mark.parametrize("sql, message", [
    ("UPDATE articles SET title = 'edited'", "no longer matches"),
    ("UPDATE figure_state SET status = 'corrected', corrected_value = 1 "
     "WHERE figure_id = (SELECT MIN(figure_id) FROM figure_state)", "does not match the event log"),
    ("DELETE FROM events WHERE rowid = (SELECT MAX(rowid) FROM events WHERE target_type = "
     "'figure')", "does not match the event log"),
])
def test_signed_export_refused_after_changes_behind_the_tools_back(db, db_path, art, tmp_path,
                                                                   sql, message):
    signed_off(db, art)
    tamper(db_path, sql)
    out = tmp_path / "x.jsonl"
    with pytest.raises(signoff.SignoffError, match=message):
        signed_export.export_signed(db, out, dataset="ds", reviewer="lead")
    assert not out.exists() and not signed_export.manifest_path(out).exists()


def test_two_reviewers_on_two_databases_merge_sign_and_export(tmp_path):
    ana, ben, aid, f = two_reviewers(tmp_path)
    lead = open_db(tmp_path / "lead.db")
    team.merge(lead, ana), team.merge(lead, ben)
    with pytest.raises(signoff.SignoffError, match="2 conflict"):
        signoff.sign(lead, dataset="ds", reviewer="ana")
    for c in team.conflicts(lead, "ds"):
        team.adjudicate_pick(lead, reviewer="lead", target_id=c.figure_id, pick="ben")
    second = [fid for fid in dataset_figure_ids(lead, "ds") if fid not in f]
    for fid in second:
        svc.review(lead, reviewer="ben", target_id=fid, action="confirm")
    signoff.sign(lead, dataset="ds", reviewer="ana")
    signoff.sign(lead, dataset="ds", reviewer="ben")
    overview = team.dataset_overview(lead, "ds")
    assert overview["signoff"]["signed_off"] and overview["content_matches_signature"]
    assert overview["conflicts"] == 0 and overview["open_work"]["unreviewed"] == 0
    assert rv.figure_state(lead, f[0])["value"] == 190000
    done = signed_export.export_signed(lead, tmp_path / "final.jsonl", dataset="ds",
            reviewer="lead")
    assert done.records == 6
