"""Ids are content hashes: the database checks itself, and export and merge refuse an
article whose text no longer hashes to its id (or a span that no longer selects its
text) instead of passing it on as sound."""

import pytest

from annotator.services.export import records as ex
from annotator.services import integrity, team
from annotator.services.importing import import_paths
from annotator.storage import articles as repo
from annotator.storage.db import StorageError, backup, open_db

from tests.conftest import SAMPLES
from tests.core.factories import claim_ids, figure_ids, make_article

SAMPLE_000 = SAMPLES / "000_9a8e113bea1e7b93.txt"


def _sample_000(db) -> str:
    aid, = [r[0] for r in db.execute("SELECT id FROM articles WHERE source = ?",
                                     [str(SAMPLE_000)])]
    return aid


def _forge(db, aid: str, old: str = "38,500", new: str = "98,500") -> None:
    """Change an article's text in SQL, keeping its (now false) id."""
    assert db.execute("SELECT instr(text, ?) FROM articles WHERE id = ?", [old, aid]).fetchone()[0]
    db.execute("UPDATE articles SET text = replace(text, ?, ?) WHERE id = ?", [old, new, aid])


def test_a_sound_database_has_no_problems(samples_db):
    report = integrity.check_database(samples_db)
    assert report.problems == []
    counts = [samples_db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in ("articles", "claims", "figures")]
    assert [report.articles, report.claims, report.figures] == counts
    assert report.line() == (f"ok: {counts[0]} articles, {counts[1]} claims, {counts[2]} "
                             "figures checked")


def test_a_changed_text_is_reported_against_its_article(samples_db):
    aid = _sample_000(samples_db)
    _forge(samples_db, aid)
    problems = integrity.check_database(samples_db).problems
    article = [p for p in problems if p.what == "article"]
    assert [p.id for p in article] == [aid]
    assert str(SAMPLE_000) in article[0].line() and "does not match its id" in article[0].line()
    # the figures whose surface held the changed digits no longer select their text
    assert any(p.what in ("claim", "figure") and "38,500" in p.message for p in problems)


def test_spans_ids_and_claims_are_checked(db):
    aid = make_article(db)
    c, f = claim_ids(db, aid), figure_ids(db, aid)
    db.execute("UPDATE claims SET start = start + 1 WHERE id = ?", [c[0]])
    db.execute("UPDATE figures SET kind = 'number' WHERE id = ?", [f[1]])
    db.execute("UPDATE figures SET claim_id = ? WHERE id = ?", [c[0], f[4]])
    db.execute("UPDATE articles SET chars = chars + 1 WHERE id = ?", [aid])
    lines = {p.id: p.line() for p in integrity.check_database(db).problems}
    assert "do not select" in lines[c[0]]
    assert "id does not match" in lines[f[1]] and "'number'" in lines[f[1]]
    assert "outside its claim" in lines[f[4]]
    assert "stored length" in lines[aid]
    assert set(lines) == {aid, c[0], f[1], f[4]}


def test_problem_checks_need_no_database():
    text = "Only 200 people came."
    aid = repo.article_id_for(text)
    cid = repo.claim_id_for(aid, 0, len(text))
    fid = repo.figure_id_for(aid, 5, 15, "count")
    claims = [(cid, 0, len(text), text)]
    assert integrity.article_problems(aid, "s.txt", text, claims,
                                      [(fid, cid, 5, 15, "200 people", "count")]) == []
    # offsets that only select their text by way of Python's negative slicing
    bad = integrity.article_problems(aid, "s.txt", text, claims,
                                     [(fid, cid, -16, -6, "200 people", "count")])
    assert [p.what for p in bad] == ["figure"]
    assert integrity.article_problems(aid, "s.txt", b"bytes", [], [])[0].what == "article"


def test_export_refuses_an_article_whose_text_no_longer_matches_its_id(samples_db):
    aid = _sample_000(samples_db)
    _forge(samples_db, aid, "In fact", "In fakt")  # outside every claim: spans still hold
    with pytest.raises(ex.DamagedArticle) as caught:
        list(ex.iter_claim_records(samples_db))
    assert aid in str(caught.value) and str(SAMPLE_000) in str(caught.value)
    assert "no longer matches its id" in str(caught.value)
    # an ExportError for the export's callers, a StorageError for every other command
    assert isinstance(caught.value, ex.ExportError) and isinstance(caught.value, StorageError)


def test_export_hashes_each_exported_article_once(samples_db, monkeypatch):
    calls = []
    real = repo.id_matches
    monkeypatch.setattr(repo, "id_matches", lambda a, t: calls.append(a) or real(a, t))
    samples_db.execute("INSERT INTO datasets(name, created_at) VALUES ('second', 'now')")
    samples_db.execute("INSERT INTO dataset_articles(dataset, article_id, seq) "
                       "SELECT 'second', article_id, seq FROM dataset_articles")
    records = list(ex.iter_claim_records(samples_db))
    articles = samples_db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    assert records and sorted(calls) == sorted(set(calls)) and len(calls) == articles


def _source_copy(samples_db, tmp_path, name="ben.db"):
    """A copy of the samples database, made through SQLite's backup API."""
    target = tmp_path / name
    backup(samples_db, target)
    return open_db(target)


def _snapshot(d) -> dict:
    return {t: sorted(map(tuple, d.execute(f"SELECT * FROM {t}").fetchall()))
            for t in ("articles", "claims", "figures", "events", "figure_state",
                      "dataset_articles", "datasets", "passage_pairs")}


def test_merge_refuses_a_database_with_a_changed_article(samples_db, tmp_path):
    """A copy whose sample 000 says 98,500 under the id of the text that says 38,500."""
    aid = _sample_000(samples_db)
    ben = _source_copy(samples_db, tmp_path)
    _forge(ben, aid)
    ben.close()
    lead = open_db(tmp_path / "lead.db")
    import_paths(lead, [SAMPLES / "001_1bdd7b1565627bd6.txt"], dataset="lead")
    before = _snapshot(lead)
    with pytest.raises(team.MergeError) as caught:
        team.merge(lead, tmp_path / "ben.db")
    message = str(caught.value)
    assert str(tmp_path / "ben.db") in message and aid in message
    assert "nothing was merged" in message
    assert _snapshot(lead) == before
    # and the real file is not "already present": it imports as new
    summary = import_paths(lead, [SAMPLE_000], dataset="lead")
    assert summary.articles_added == 1
    text = repo.get_article(lead, aid).text
    assert "38,500" in text and "98,500" not in text


@pytest.mark.parametrize("sql", [
    "UPDATE claims SET end = end - 1 WHERE rowid = (SELECT MIN(rowid) FROM claims)",
    "UPDATE figures SET text = 'x' || text WHERE rowid = (SELECT MIN(rowid) FROM figures)",
    "UPDATE figures SET kind = 'ordinal' WHERE rowid = (SELECT MIN(rowid) FROM figures)",
])
def test_merge_refuses_a_database_with_a_span_that_does_not_hold(samples_db, tmp_path, sql):
    ben = _source_copy(samples_db, tmp_path)
    ben.execute(sql)
    ben.close()
    lead = open_db(tmp_path / "lead.db")
    with pytest.raises(team.MergeError, match="nothing was merged"):
        team.merge(lead, tmp_path / "ben.db")
    assert lead.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0


def test_a_sound_copy_still_merges(samples_db, tmp_path):
    _source_copy(samples_db, tmp_path).close()
    lead = open_db(tmp_path / "lead.db")
    summary = team.merge(lead, tmp_path / "ben.db")
    assert summary.articles == samples_db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    assert integrity.check_database(lead).problems == []
