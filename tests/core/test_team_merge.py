import hashlib
import sqlite3

import pytest

from annotator.services import review as svc
from annotator.services import signoff, team
from annotator.storage import articles as repo
from annotator.storage import reviews as rv
from annotator.storage.db import StorageError, open_db

from tests.core.factories import figure_ids
from tests.core.team_helpers import SECOND_TEXT, two_reviewers


def snapshot(d) -> dict:
    tables = ("events", "figure_state", "articles", "claims", "figures", "boilerplate",
              "dataset_articles", "datasets")
    return {t: sorted(map(tuple, d.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}


def file_digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_two_reviewers_merged_into_an_empty_database(tmp_path):
    ana, ben, aid, f = two_reviewers(tmp_path)
    lead = open_db(tmp_path / "lead.db")
    first = team.merge(lead, ana)
    assert (first.events, first.articles, first.figures, first.memberships) == (5, 1, 5, 1)
    second = team.merge(lead, ben)
    assert second.events == 5 and second.articles == 1  # only ben's extra article is new
    assert repo.in_dataset(lead, "ds", repo.article_id_for(SECOND_TEXT))
    # the same file imported on two machines shares ids, so the decisions meet
    assert figure_ids(lead, aid) == f
    states = {fid: rv.figure_state(lead, fid) for fid in f}
    assert states[f[1]]["status"] == "confirmed" and not states[f[1]]["conflict"]
    assert states[f[0]]["conflict"] and states[f[4]]["conflict"]
    assert sorted(second.conflicts) == sorted([f[0], f[4]])
    assert lead.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 10


def test_merging_twice_changes_nothing(tmp_path):
    ana, ben, _, _ = two_reviewers(tmp_path)
    lead = open_db(tmp_path / "lead.db")
    team.merge(lead, ana)
    team.merge(lead, ben)
    before = snapshot(lead)
    again = team.merge(lead, ben)
    assert (again.events, again.articles, again.memberships) == (0, 0, 0)
    assert not again.changes.figures
    assert snapshot(lead) == before


def test_merge_order_does_not_change_state_or_content_hash(tmp_path):
    ana, ben, _, f = two_reviewers(tmp_path)
    one, two = open_db(tmp_path / "one.db"), open_db(tmp_path / "two.db")
    team.merge(one, ana), team.merge(one, ben)
    team.merge(two, ben), team.merge(two, ana)
    assert snapshot(one)["figure_state"] == snapshot(two)["figure_state"]
    # articles keep the source path of whichever database brought them first,
    # which the content hash leaves out
    assert signoff.content_hash(one, "ds") == signoff.content_hash(two, "ds")


def test_merging_back_into_a_reviewer_database(tmp_path):
    ana_path, ben_path, _, f = two_reviewers(tmp_path)
    ana = open_db(ana_path)
    summary = team.merge(ana, ben_path)
    assert summary.events == 5 and summary.articles == 1
    assert rv.figure_state(ana, f[0])["conflict"]


def test_the_other_database_is_only_read(tmp_path):
    ana, ben, _, _ = two_reviewers(tmp_path)
    before = file_digest(ben)
    lead = open_db(tmp_path / "lead.db")
    team.merge(lead, ben)
    assert file_digest(ben) == before


@pytest.mark.parametrize("content", [b"not a database at all" * 10, b""])
def test_refuses_files_that_are_not_annotator_databases(tmp_path, db, content):
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    with pytest.raises((StorageError, team.MergeError)):
        team.merge(db, bad)
    with pytest.raises(team.MergeError, match="no such"):
        team.merge(db, tmp_path / "missing.db")


def test_refuses_a_database_from_a_newer_version(tmp_path, db):
    newer = tmp_path / "newer.db"
    open_db(newer).close()
    conn = sqlite3.connect(newer)
    conn.execute("INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
                 "VALUES ('annotator', '9999_future', 'now')")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError, match="newer version"):
        team.merge(db, newer)


def test_refuses_to_merge_a_database_into_itself(db, db_path):
    with pytest.raises(team.MergeError, match="itself"):
        team.merge(db, db_path)


def test_events_on_figures_this_database_lacks_are_kept_not_applied(tmp_path):
    ana_path, ben_path, aid, f = two_reviewers(tmp_path)
    ben = open_db(ben_path)
    # a figure another version found on the same text: its id is made as every id is
    start, end = ben.execute("SELECT start, end FROM figures WHERE id = ?", [f[0]]).fetchone()
    extra = repo.figure_id_for(aid, start, end, "number")
    ben.execute("INSERT INTO figures(id, claim_id, article_id, seq, start, end, text, kind) "
                "SELECT ?, claim_id, article_id, 99, start, end, text, 'number' "
                "FROM figures WHERE id = ?", [extra, f[0]])
    svc.review(ben, reviewer="ben", target_id=extra, action="confirm")
    ben.close()
    ana = open_db(ana_path)
    summary = team.merge(ana, ben_path)
    assert summary.unknown_targets == 1
    assert ana.execute("SELECT COUNT(*) FROM events WHERE target_id = ?", [extra]).fetchone()[0]
    assert not ana.execute("SELECT 1 FROM figure_state WHERE figure_id = ?", [extra]).fetchone()


def test_conflicts_list_each_reviewers_decision_and_pick_settles(tmp_path):
    ana, ben, _, f = two_reviewers(tmp_path)
    lead = open_db(tmp_path / "lead.db")
    team.merge(lead, ana), team.merge(lead, ben)
    found = {c.figure_id: c for c in team.conflicts(lead, "ds")}
    assert set(found) == {f[0], f[4]}
    assert found[f[0]].reviewers == {"ana": {"status": "confirmed"},
                                     "ben": {"status": "corrected", "value": 190000}}
    assert found[f[0]].figure_text == "18万人"
    team.adjudicate_pick(lead, reviewer="lead", target_id=f[0], pick="ben", note="checked")
    st = rv.figure_state(lead, f[0])
    assert (st["status"], st["value"], st["conflict"]) == ("corrected", 190000, False)
    assert [c.figure_id for c in team.conflicts(lead)] == [f[4]]
    last = rv.events_for(lead, "figure", f[0])[-1]
    assert (last.action, last.reviewer, last.note) == ("adjudicate", "lead", "picked ben: checked")
    svc.undo(lead, reviewer="lead")
    assert rv.figure_state(lead, f[0])["conflict"]
    with pytest.raises(svc.ReviewError, match="no decision"):
        team.adjudicate_pick(lead, reviewer="lead", target_id=f[0], pick="carl")


def test_merge_carries_the_required_number_of_signoffs(tmp_path):
    ana_path, ben_path, _, _ = two_reviewers(tmp_path)
    ben = open_db(ben_path)
    signoff.set_required_signoffs(ben, dataset="ds", reviewer="ben", required=3)
    ben.close()
    ana = open_db(ana_path)
    team.merge(ana, ben_path)
    assert signoff.signoff_state(ana, "ds").required == 3


def test_merge_that_changes_a_signed_dataset_is_reported(tmp_path):
    ana_path, ben_path, aid, f = two_reviewers(tmp_path)
    ana = open_db(ana_path)
    signoff.set_required_signoffs(ana, dataset="ds", reviewer="ana", required=1)
    signoff.sign(ana, dataset="ds", reviewer="ana")
    summary = team.merge(ana, ben_path)
    assert summary.changed_signed == ["ds"]
    with pytest.raises(signoff.SignoffError, match="no longer matches"):
        signoff.verify_signed(ana, "ds")


def test_duplicate_pairs_and_their_decisions_are_merged(tmp_path):
    from annotator.services import pairs as dup_svc
    from annotator.storage.states import link_pair
    from annotator.storage import duplicates as dup_store

    from tests.core.factories import TEXT, make_article

    ana = open_db(tmp_path / "ana.db")
    if "passage_pairs" not in ana.table_names():
        pytest.skip("this schema has no duplicate pairs")
    first = make_article(ana)
    second = make_article(ana, text=SECOND_TEXT)
    end = TEXT.rindex("\n")
    pair = dup_store.insert_pair(ana, first, (0, end), second, (0, end), 1.0, "across")
    link_pair(ana, pair)
    dup_svc.review_pair(ana, reviewer="ana", pair_id=pair.id, action="confirm")
    svc.review(ana, reviewer="ana", target_id=figure_ids(ana, first)[0], action="confirm")
    copy_figure = figure_ids(ana, second)[0]
    assert rv.figure_state(ana, copy_figure)["inherited_from"] == figure_ids(ana, first)[0]
    ana.close()
    lead = open_db(tmp_path / "lead.db")
    summary = team.merge(lead, tmp_path / "ana.db")
    assert summary.pairs == 1 and sorted(summary.article_ids) == sorted([first, second])
    assert dup_store.pair_status(lead, pair.id) == "confirmed"
    st = rv.figure_state(lead, copy_figure)
    assert st["status"] == "confirmed" and st["inherited_from"] == figure_ids(lead, first)[0]
    assert team.merge(lead, tmp_path / "ana.db").pairs == 0


def test_merged_articles_join_search_and_duplicate_indexes(tmp_path):
    from annotator.services import search
    from annotator.services.importing import import_paths
    from annotator.services.team import merge
    from annotator.storage.db import open_db
    from tests.conftest import SAMPLES

    other = open_db(tmp_path / "other.db")
    import_paths(other, [SAMPLES / "101_hk_repost_big5hkscs.txt"], dataset="d")
    other.close()
    mine = open_db(tmp_path / "mine.db")
    import_paths(mine, [SAMPLES / "001_1bdd7b1565627bd6.txt"], dataset="d")
    merge(mine, tmp_path / "other.db")
    hits = {h["source"].rsplit("/", 1)[-1][:3] for h in search.search(mine, "高才通")}
    assert hits == {"001", "101"}
    scopes = [r[0] for r in mine.execute("SELECT scope FROM passage_pairs")]
    assert "across" in scopes


_KILLED_AFTER_COMMIT = """
import contextlib, os, signal, sys
from annotator.services import team
from annotator.storage.db import open_db

real = team.write_tx

@contextlib.contextmanager
def commit_then_die(db):
    with real(db) as d:
        yield d
    os.kill(os.getpid(), signal.SIGKILL)  # right after the merge's commit

team.write_tx = commit_then_die
team.merge(open_db(sys.argv[1]), sys.argv[2])
"""


def test_a_merge_killed_right_after_its_commit_leaves_every_article_searchable(tmp_path):
    """The copied articles are indexed (search and duplicates) in the merge's own
    transaction: nothing is left for a later step that a kill would skip."""
    import json
    import signal
    import subprocess
    import sys

    from annotator.services import search
    from annotator.services.importing import import_paths
    from tests.conftest import ROOT, SAMPLES

    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(
        json.dumps({"text": f"第{i}篇：高才通計劃今年吸引了{i * 100 + 5}名人才來港。"
                            f"Only {i + 7} people left in {2000 + i}.\n"}, ensure_ascii=False)
        + "\n" for i in range(40)), encoding="utf-8")
    other = open_db(tmp_path / "other.db")
    import_paths(other, [feed], dataset="d")
    other.close()
    mine = open_db(tmp_path / "mine.db")
    import_paths(mine, [SAMPLES / "001_1bdd7b1565627bd6.txt"], dataset="d")
    mine.close()
    proc = subprocess.run([sys.executable, "-c", _KILLED_AFTER_COMMIT, str(tmp_path / "mine.db"),
                           str(tmp_path / "other.db")], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    mine = open_db(tmp_path / "mine.db")
    assert mine.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 41
    hits = search.search(mine, "高才通")
    assert len(hits) == 41
    unindexed = mine.execute(
        "SELECT COUNT(*) FROM articles a LEFT JOIN dup_signatures s "
        "ON s.article_rowid = a.rowid WHERE s.article_rowid IS NULL").fetchone()[0]
    assert unindexed == 0
    mine.close()
