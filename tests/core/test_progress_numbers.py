"""One progress number: copies in a duplicated passage that inherit a first copy's review
are settled, and counted apart from the reviewers' own decisions, in every place that
shows progress (CONTEXT.md, Duplicate). And agreement follows conflict detection on flags."""

from __future__ import annotations

import json

from click.testing import CliRunner

from annotator.cli import main
from annotator.services import browse, review, stats, team

DATASET = "samples"


def _first_copies(db, n):
    return [r[0] for r in db.execute(
        "SELECT DISTINCT duplicate_of FROM figures WHERE duplicate_of IS NOT NULL "
        "ORDER BY duplicate_of LIMIT ?", [n])]


def _reviewed_by_hand(db):
    """Two first copies and two figures outside any passage confirmed or flagged."""
    sources = _first_copies(db, 2)
    plain = [r[0] for r in db.execute(
        "SELECT id FROM figures WHERE duplicate_of IS NULL AND id NOT IN "
        "(SELECT duplicate_of FROM figures WHERE duplicate_of IS NOT NULL) ORDER BY id LIMIT 2")]
    assert len(sources) == 2 and len(plain) == 2, "the samples have a duplicated passage"
    for fid in sources + plain[:1]:
        review.review(db, reviewer="ana", target_id=fid, action="confirm")
    review.review(db, reviewer="ana", target_id=plain[1], action="flag", reason="unsupported")
    copies = db.execute(
        f"SELECT COUNT(*) FROM figures WHERE duplicate_of IN ({','.join('?' * len(sources))})",
        sources).fetchone()[0]
    assert copies >= 2
    return 4, copies


def test_every_place_gives_the_same_progress(samples_db, tmp_path):
    db = samples_db
    own, inherited = _reviewed_by_hand(db)
    total = browse.dataset_total(db, DATASET)

    progress = browse.dataset_progress(db, DATASET)
    assert (progress.reviewed, progress.inherited, progress.total) == (own, inherited, total)
    assert browse.dataset_reviewed(db, DATASET) == own + inherited  # the session's signal

    summaries = browse.article_summaries(db, browse.article_ids(db, DATASET)).values()
    assert sum(s.reviewed for s in summaries) == own
    assert sum(s.inherited for s in summaries) == inherited
    assert sum(s.settled for s in summaries) == own + inherited
    assert sum(s.figures for s in summaries) == total

    st = stats.dataset_stats(db, DATASET)[0]
    assert (st["reviewed"], st["inherited"], st["settled"], st["figures"]) == \
        (own, inherited, own + inherited, total)

    overview = team.dataset_overview(db, DATASET)
    assert overview["stats"] == st
    assert overview["open_work"]["unreviewed"] == total - own - inherited
    # ana's own decisions are the dataset's own decisions (she is its only reviewer)
    assert [(p["reviewer"], p["reviewed"]) for p in overview["progress"]] == [("ana", own)]

    path = db.execute("PRAGMA database_list").fetchone()[2]
    out = CliRunner().invoke(main, ["stats", "--dataset", DATASET, "--db", path, "--json"])
    assert out.exit_code == 0, out.output
    row = json.loads(out.output)[0]
    assert (row["reviewed"], row["inherited"], row["settled"]) == (own, inherited, own + inherited)
    text = CliRunner().invoke(main, ["stats", "--dataset", DATASET, "--db", path]).output
    words = progress.text()
    assert words == (f"{own + inherited}/{total} figures settled "
                     f"({(own + inherited) * 100 // total}%): {own} reviewed + "
                     f"{inherited} inherited")
    assert f"{DATASET}: {words}" in text


def test_a_copy_reviewed_itself_stops_counting_as_inherited(samples_db):
    db = samples_db
    source = _first_copies(db, 1)[0]
    copy = db.execute("SELECT id FROM figures WHERE duplicate_of = ? LIMIT 1",
                      [source]).fetchone()[0]
    review.review(db, reviewer="ana", target_id=source, action="confirm")
    before = browse.dataset_progress(db, DATASET)
    review.review(db, reviewer="ana", target_id=copy, action="confirm")
    after = browse.dataset_progress(db, DATASET)
    assert (after.reviewed, after.inherited) == (before.reviewed + 1, before.inherited - 1)
    assert after.settled == before.settled


def test_without_copies_progress_reads_as_before():
    assert stats.progress_text(3, 0, 12) == "3/12 figures reviewed (25%)"
    assert stats.progress_text(0, 0, 0) == "0/0 figures reviewed"


# --- agreement and conflicts on flags ----------------------------------------------------

def test_flags_with_different_reasons_are_a_conflict_and_a_disagreement(samples_db):
    db = samples_db
    a, b, c = [r[0] for r in db.execute("SELECT id FROM figures ORDER BY id LIMIT 3")]
    review.review(db, reviewer="ana", target_id=a, action="flag", reason="unsupported")
    review.review(db, reviewer="ben", target_id=a, action="flag", reason="outdated")
    for who in ("ana", "ben"):
        review.review(db, reviewer=who, target_id=b, action="flag", reason="outdated")
        review.review(db, reviewer=who, target_id=c, action="confirm")

    conflicts = [x.figure_id for x in team.conflicts(db, DATASET)]
    assert conflicts == [a]
    overview = team.dataset_overview(db, DATASET)
    (pair,) = overview["agreement"]["pairs"]
    assert (pair["a"], pair["b"], pair["figures"], pair["agreed"]) == ("ana", "ben", 3, 2)
    # a pair's disagreements are exactly the conflicts no lead has settled
    assert pair["figures"] - pair["agreed"] == len(conflicts) == overview["conflicts"]
    assert overview["agreement"]["by_reason"] is True
