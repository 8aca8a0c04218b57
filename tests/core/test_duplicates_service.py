from annotator.storage import duplicate_finder as dup_finder
from annotator.storage.duplicate_finder import KeyFilter
from annotator.services import pairs as dup
from annotator.services import review as svc
from annotator.storage import articles as repo
from annotator.storage import reviews as rv
from annotator.text import duplicates as dups

from tests.conftest import SAMPLES


def _aid(db, name):
    return db.execute("SELECT id FROM articles WHERE source LIKE ?", [f"%{name}%"]).fetchone()[0]


def test_body_pasted_twice_is_one_within_pair(samples_db):
    a = _aid(samples_db, "002_")
    pairs = [p for p in dup.pairs_for_article(samples_db, a) if p["scope"] == "within"]
    assert len(pairs) == 1
    p = pairs[0]
    text = repo.get_article(samples_db, a).text
    assert text[p["a"]["start"]:p["a"]["end"]] == text[p["b"]["start"]:p["b"]["end"]]
    assert p["b"]["end"] - p["b"]["start"] > 4000 and p["similarity"] == 1.0


def test_traditional_repost_is_found_across_scripts_with_exact_spans(samples_db):
    src, copy = _aid(samples_db, "001_"), _aid(samples_db, "101_")
    pairs = [p for p in dup.pairs_for_article(samples_db, copy) if p["scope"] == "across"]
    assert pairs and all(p["a"]["article_id"] == src and p["b"]["article_id"] == copy
                         for p in pairs)
    b_text = repo.get_article(samples_db, copy).text
    covered = sum(p["b"]["end"] - p["b"]["start"] for p in pairs)
    assert covered > 0.8 * len(b_text.split("（轉載")[0].split("\n", 1)[1].strip())


def test_copies_point_at_the_first_copy_and_inherit_its_review(samples_db):
    copy = _aid(samples_db, "101_")
    rows = samples_db.execute("SELECT id, text, duplicate_of FROM figures WHERE article_id = ? "
                              "AND duplicate_of IS NOT NULL", [copy]).fetchall()
    assert len(rows) >= 5
    fid, text, source = rows[0]
    src_text = samples_db.execute("SELECT text FROM figures WHERE id = ?", [source]).fetchone()[0]
    assert src_text.replace("万", "萬") == text or src_text == text
    svc.review(samples_db, reviewer="ana", target_id=source, action="confirm")
    assert rv.figure_state(samples_db, fid)["status"] == "confirmed"
    claim = samples_db.execute("SELECT duplicate_of FROM claims WHERE id = "
                               "(SELECT claim_id FROM figures WHERE id = ?)", [fid]).fetchone()[0]
    assert claim is not None


def test_rejecting_a_pair_stops_inheritance_and_undo_restores_it(samples_db):
    copy = _aid(samples_db, "101_")
    pair = dup.pairs_for_article(samples_db, copy)[0]
    fid, source = samples_db.execute(
        "SELECT f.id, f.duplicate_of FROM figures f JOIN duplicate_links l ON l.copy_id = f.id "
        "WHERE l.pair_id = ? AND l.kind = 'figure'", [pair["pair_id"]]).fetchone()
    svc.review(samples_db, reviewer="ana", target_id=source, action="confirm")
    ch = dup.review_pair(samples_db, reviewer="ana", pair_id=pair["pair_id"], action="reject")
    assert pair["pair_id"] in ch.pairs and fid in ch.figures
    assert rv.figure_state(samples_db, fid)["status"] == "unreviewed"
    assert samples_db.execute("SELECT duplicate_of FROM figures WHERE id = ?",
                              [fid]).fetchone()[0] is None
    svc.undo(samples_db, reviewer="ana")
    assert rv.figure_state(samples_db, fid)["status"] == "confirmed"
    assert dup.pairs_for_article(samples_db, copy)[0]["status"] == "unreviewed"


# Which sample each input was built from (see samples/README.md); records carry URLs.
ORIGIN = {"hk-youth-employment": "000", "hk-graduate-salaries": "000",
          "hk-it-blueprint": "003", "innohk": "003", "101": "001", "102": "001", "103": "004",
          "104": "000", "105": "003"}


def _origin(source):
    name = source.rsplit("/", 1)[-1]
    return ORIGIN.get(name, ORIGIN.get(name[:3], name[:3]))


def test_only_copies_of_the_same_sample_are_paired(samples_db):
    pairs = list(dup.list_pairs(samples_db))
    assert len(pairs) >= 10
    for p in pairs:
        assert _origin(p["a"]["source"]) == _origin(p["b"]["source"]), p


def test_index_is_incremental(samples_db, tmp_path):
    """A new re-post is compared with the indexed articles only; nothing is re-found."""
    before = samples_db.execute("SELECT COUNT(*) FROM passage_pairs").fetchone()[0]
    assert dup_finder.index_missing_pairs(samples_db) == 0
    text = (SAMPLES / "004_05ed09abc584fe42.txt").read_text(encoding="utf-8")
    (tmp_path / "again.txt").write_text("Re-posted:\n\n" + text, encoding="utf-8")
    from annotator.services.importing import import_paths

    s = import_paths(samples_db, [tmp_path / "again.txt"])
    assert s.duplicate_pairs >= 1
    after = samples_db.execute("SELECT COUNT(*) FROM passage_pairs").fetchone()[0]
    assert after == before + s.duplicate_pairs


def _lookups(db):
    """Every indexed article's digest postings and band candidates, read back."""
    from annotator.storage import duplicates as store

    out = {}
    for (rowid,) in db.execute("SELECT article_rowid FROM dup_signatures ORDER BY 1"):
        digests = [d for (d,) in db.execute(
            "SELECT digest FROM dup_digests WHERE article_rowid = ? UNION "
            "SELECT digest FROM dup_digests_recent WHERE article_rowid = ?", [rowid, rowid])]
        bands = [b for (b,) in db.execute(
            "SELECT band_key FROM dup_bands WHERE article_rowid = ? UNION "
            "SELECT band_key FROM dup_bands_recent WHERE article_rowid = ?", [rowid, rowid])]
        postings = store.digest_postings(db, digests, 50)
        out[rowid] = ({k: sorted(v) for k, v in postings.items()},
                      sorted(store.band_holders(db, bands)))
    return out


def test_recent_keys_are_merged_without_changing_an_answer(samples_db):
    from annotator.storage import duplicates as store
    from annotator.storage.db import write_tx

    def count(table):
        return samples_db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    assert count("dup_bands_recent") > 0 and count("dup_digests_recent") > 0
    before = _lookups(samples_db)
    # the re-posts share sentences with their sources
    assert any(len(v) > 1 for p, _ in before.values() for v in p.values())
    keys = count("dup_bands_recent") + count("dup_bands")
    with write_tx(samples_db):
        assert store.merge_recent(samples_db) is False   # a dozen articles: not yet
        assert store.merge_recent(samples_db, force=True) is True
    assert count("dup_bands_recent") == 0 and count("dup_digests_recent") == 0
    assert count("dup_bands") == keys
    assert _lookups(samples_db) == before


def test_merging_waits_for_the_square_root_of_the_index(samples_db, monkeypatch):
    from annotator.storage import duplicates as store
    from annotator.storage.db import write_tx

    recent = samples_db.execute("SELECT COUNT(*) FROM dup_bands_recent").fetchone()[0]
    articles = samples_db.execute("SELECT max(article_rowid) FROM dup_signatures").fetchone()[0]
    monkeypatch.setattr(store, "RECENT_MIN_ROWS", 1)
    # just above and just below the threshold sqrt(factor * articles)
    monkeypatch.setattr(store, "RECENT_FACTOR", (recent + 1) ** 2 / articles)
    with write_tx(samples_db):
        assert store.merge_recent(samples_db) is False
    monkeypatch.setattr(store, "RECENT_FACTOR", (recent - 1) ** 2 / articles)
    with write_tx(samples_db):
        assert store.merge_recent(samples_db) is True


def test_a_copy_of_a_merged_article_is_found(samples_db, tmp_path):
    from annotator.services.importing import import_paths
    from annotator.storage import duplicates as store
    from annotator.storage.db import write_tx

    with write_tx(samples_db):
        store.merge_recent(samples_db, force=True)
    text = (SAMPLES / "004_05ed09abc584fe42.txt").read_text(encoding="utf-8")
    (tmp_path / "again.txt").write_text("Re-posted:\n\n" + text, encoding="utf-8")
    s = import_paths(samples_db, [tmp_path / "again.txt"])
    assert s.duplicate_pairs >= 1


def test_lookups_read_the_merged_and_the_recent_keys(db):
    from annotator.storage import duplicates as store
    from annotator.storage.db import write_tx

    with write_tx(db):
        store.add_to_index(db, 1, [11, 12], [101, 102], b"s1")
        store.merge_recent(db, force=True)
        store.add_to_index(db, 2, [12, 13], [102, 103], b"s2")
        store.add_to_index(db, 3, [12], [103], b"s3")
    assert sorted(store.band_holders(db, [102])) == [(102, 1), (102, 2)]
    assert {r for _, r in store.band_holders(db, [101, 103])} == {1, 2, 3}
    postings = store.digest_postings(db, [11, 12, 13], limit=1)
    assert postings[11] == [1] and postings[13] == [2]
    assert len(postings[12]) == 2   # limit + 1, to tell a common digest from a rare one


def test_a_band_many_articles_hold_is_no_lead_on_its_own(db):
    from annotator.storage import duplicates as store
    from annotator.storage.db import write_tx

    common, other = 900, 901
    n = dup_finder.MAX_POSTINGS + 1
    with write_tx(db):
        for rowid in range(1, n + 1):             # they all hold the common band
            store.add_to_index(db, rowid, [], [common, 1000 + rowid], b"")
        store.add_to_index(db, n + 1, [], [common, other], b"")   # and a second one
        store.add_to_index(db, n + 2, [], [other], b"")           # a rare band only
    leads = dup_finder._band_leads(db, 0, [common, other, 1001])
    assert leads == {1, n + 1, n + 2}      # two bands each, and a rare band
    # under the limit, the common band is a lead again
    assert dup_finder._band_leads(db, 0, [common]) == set()
    with write_tx(db):
        db.execute("DELETE FROM dup_bands_recent WHERE article_rowid > 3 AND band_key = ?",
                   [common])
    assert dup_finder._band_leads(db, 0, [common]) == {1, 2, 3}



def _index(db, cache, rowid, bands, signature=b""):
    from annotator.storage import duplicates as store

    store.add_to_index(db, rowid, [], bands, signature)
    cache.indexed(rowid, [], bands)


def test_the_index_cache_answers_as_the_database_does(db, db_path):
    """Leads and signatures through an IndexCache equal those read from the database,
    while a band becomes common, new articles join it, and another connection writes."""
    from annotator.storage import duplicates as store
    from annotator.storage.db import open_db, write_tx

    common, rare = 900, 901
    cache = dup_finder.IndexCache(signatures=3)
    n = dup_finder.MAX_POSTINGS + 5

    def same(bands):
        with_cache = dup_finder._band_leads(db, 0, bands, cache)
        assert with_cache == dup_finder._band_leads(db, 0, bands)
        assert (dup_finder._signatures(db, with_cache, cache)
                == store.signatures(db, with_cache))
        return with_cache

    with write_tx(db):
        cache.check(db)
        for rowid in range(1, n + 1):
            _index(db, cache, rowid, [common, 1000 + rowid % 7], bytes([rowid]) * 4)
            same([common, 1000 + rowid % 7, rare])
        assert common in cache.hot and len(cache.hot[common]) == n
        _index(db, cache, n + 1, [common, rare], b"sig!")
        assert len(same([common, rare])) > 0 and len(cache.hot[common]) == n + 1
        assert len(cache.signatures) <= 3
    other = open_db(db_path)       # another process adds a holder of the common band
    with write_tx(other):
        store.add_to_index(other, n + 2, [], [common], b"late")
        store.merge_recent(other, force=True)
    other.close()
    with write_tx(db):
        cache.check(db)
        assert not cache.hot and not cache.signatures
        assert n + 2 in dup_finder._holders(db, [common], cache)[common]
        same([common, 1001])


def test_the_key_filter_never_misses_a_key_it_was_given():
    import random

    rnd = random.Random(5)
    keys = KeyFilter(20_000)
    given = [rnd.randrange(-2**63, 2**63) for _ in range(20_000)]
    keys.add(given[:10_000])
    keys.add(given[10_000:])
    assert keys.present(given) == given
    others = [rnd.randrange(-2**63, 2**63) for _ in range(20_000)]
    assert len(keys.present(others)) < 0.03 * len(others)   # about 1%


def test_the_key_filter_answers_as_the_database_does(db, db_path):
    """With a KeyFilter read from the index (keys in the big and the recent tables), and
    kept as articles are indexed, an IndexCache finds the candidates the database finds;
    it is read only for an import large against the index, and dropped for good once
    another connection writes."""
    from annotator.storage import duplicates as store
    from annotator.storage.db import open_db, write_tx

    with write_tx(db):
        for rowid in range(1, 41):   # earlier articles: a shared digest, shared bands
            store.add_to_index(db, rowid, [5000 + rowid % 3, 7000 + rowid], [rowid % 4, 100 + rowid],
                                bytes([rowid]) * 4)
            if rowid == 20:
                store.merge_recent(db, force=True)
    assert dup_finder.IndexCache(expected=1)._read_keys(db) is None   # 1 of 40: no filter

    cache = dup_finder.IndexCache(expected=40)
    with write_tx(db):
        cache.check(db)
        assert cache.keys is not None
        for rowid in range(41, 61):
            # each shares a digest and a band with an article in the big tables (1-20),
            # and in the recent ones (21-40), where a filter read from one kind alone
            # would drop them
            digests = [5000 + rowid % 3, 7000 + rowid - 40, 7000 + rowid - 20, 9000 + rowid]
            bands = [100 + rowid - 40, 100 + rowid - 20, 300 + rowid % 5]
            sketch = dups.Sketch([(d, 50) for d in digests], b"\x01" * 4, bands, [])
            found = dup_finder._candidates(db, rowid, sketch, cache)
            assert found == dup_finder._candidates(db, rowid, sketch)
            assert {rowid - 40, rowid - 20} <= set(found)
            leads = dup_finder._band_leads(db, rowid, bands, cache)
            assert leads == dup_finder._band_leads(db, rowid, bands)
            assert {rowid - 40, rowid - 20} <= leads
            store.add_to_index(db, rowid, digests, bands, b"\x01" * 4)
            cache.indexed(rowid, digests, bands)
        assert cache.keys.present([9000 + 45, 300 + 2]) == [9045, 302]
    other = open_db(db_path)       # another process indexes keys the filter never saw
    with write_tx(other):
        store.add_to_index(other, 61, [123456], [654321], b"\x02" * 4)
    other.close()
    with write_tx(db):
        cache.check(db)
        assert cache.keys is None
        assert 61 in dup_finder._holders(db, [654321], cache)[654321]
