import sqlite3

import pytest

from annotator.domain import Claim, Figure, RawArticle
from annotator.storage import articles as repo
from annotator.storage.db import StorageError, open_db, schema_version, write_tx
from annotator.storage.migrations import migrations

from tests.core.factories import TEXT, figure_ids, make_article


def test_new_database_is_wal_with_recorded_migrations(db):
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert schema_version(db) == migrations._migrations[-1].name
    names = [r[0] for r in db.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = 'annotator'")]
    assert names == [m.name for m in migrations._migrations]


def test_ids_are_stable_content_hashes(tmp_path):
    ids = []
    for name in ("one.db", "two.db"):
        d = open_db(tmp_path / name)
        aid = make_article(d, source=f"somewhere/{name}.txt")
        ids.append((aid, figure_ids(d, aid)))
        d.close()
    assert ids[0] == ids[1]
    assert ids[0][0] == repo.article_id_for(TEXT)


def test_change_figures_are_linked(db):
    make_article(db)
    rows = db.execute("SELECT id, role, link_id FROM figures WHERE kind = 'change' "
                      "ORDER BY seq").fetchall()
    assert rows[0][1] == "from" and rows[0][2] == rows[1][0]
    assert rows[1][1] == "to" and rows[1][2] == rows[0][0]


def test_spans_that_do_not_select_their_text_are_refused(db):
    text = "Only 200 people."
    bad = Claim(0, len(text), text, [Figure("200", 6, 9, "count", 200)])  # off by one
    with pytest.raises(repo.SpanMismatch), write_tx(db):
        repo.insert_article(db, RawArticle("x.txt", text), language="en", script=None,
                            boilerplate=[], claims=[bad])
    assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0


def test_emoji_offsets_are_code_points(db):
    aid = make_article(db)
    text = repo.get_article(db, aid).text
    for start, end, surface in db.execute("SELECT start, end, text FROM figures"):
        assert text[start:end] == surface


def test_not_sqlite_is_refused_untouched(tmp_path):
    p = tmp_path / "notes.db"
    p.write_bytes(b"these are my notes, not a database" * 10)
    before = p.read_bytes()
    with pytest.raises(StorageError, match="not an SQLite database"):
        open_db(p)
    assert p.read_bytes() == before


def test_newer_schema_is_refused_untouched(db_path):
    d = open_db(db_path)
    d.execute("INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
              "VALUES ('annotator', '9999_from_the_future', '2099-01-01')")
    d.close()
    with pytest.raises(StorageError, match="newer version"):
        open_db(db_path)


def test_backup_is_written_before_a_migration(db_path, tmp_path):
    d = open_db(db_path)
    make_article(d)
    last = migrations._migrations[-1].name
    d.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [last])
    d.close()
    # re-running the last migration on a database that already has its tables fails,
    # so pretend it was a no-op migration by checking only that a backup appears first
    before = set(tmp_path.iterdir())
    try:
        open_db(db_path)
    except (StorageError, sqlite3.Error):
        pass
    backups = [p for p in set(tmp_path.iterdir()) - before if ".bak-" in p.name]
    assert backups, "no backup written before migrating"
    b = sqlite3.connect(backups[0])
    assert b.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1
    b.close()


def test_damaged_database_is_refused(db_path):
    d = open_db(db_path)
    make_article(d)
    d.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    d.close()
    data = bytearray(db_path.read_bytes())
    page = 4096
    for i in range(page * 2, min(len(data), page * 4)):  # scribble over interior pages
        data[i] = 0xA5
    db_path.write_bytes(bytes(data))
    with pytest.raises(StorageError):
        open_db(db_path)


def test_a_claims_figures_are_read_in_order_through_the_article_index(db):
    aid = make_article(db)
    claims = db.execute("SELECT id FROM claims WHERE article_id = ? ORDER BY seq",
                        [aid]).fetchall()
    for (cid,) in claims:
        expected = db.execute("SELECT id, kind FROM figures WHERE claim_id = ? ORDER BY seq",
                              [cid]).fetchall()
        assert repo.figures_of_claim(db, cid, "id, kind") == expected
    assert any(repo.figures_of_claim(db, cid) for (cid,) in claims)
    assert repo.figures_of_claim(db, "c-unknown") == []
    plan = " ".join(str(r) for r in db.execute(
        "EXPLAIN QUERY PLAN " + repo._FIGURES_OF_CLAIM.format(columns="id"), ["x"]))
    assert "figures_article" in plan and "SCAN figures" not in plan
    assert "figures_claim" not in {r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index'")}
