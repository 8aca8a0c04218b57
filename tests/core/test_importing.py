import json
import os

import pytest

from annotator.services.importing import import_paths
from annotator.storage import articles as repo

from tests.conftest import SAMPLES, SEEDS


def test_samples_import_with_languages_scripts_and_no_errors(samples_db):
    rows = dict(samples_db.execute("SELECT source, language || '/' || COALESCE(script, '-') "
                                   "FROM articles").fetchall())
    by_name = {k.rsplit("/", 1)[-1]: v for k, v in rows.items()}
    assert by_name["000_9a8e113bea1e7b93.txt"] == "en/-"
    assert by_name["001_1bdd7b1565627bd6.txt"] == "zh/hans"
    assert by_name["101_hk_repost_big5hkscs.txt"] == "zh/hant"
    assert by_name["102_cn_excerpt_gb18030.txt"] == "zh/hans"
    assert len(rows) == 12


def test_original_text_is_stored_verbatim(samples_db):
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        art = repo.get_article(samples_db, repo.article_id_for(text))
        assert art is not None and art.text == text


def test_no_claim_comes_from_boilerplate(samples_db):
    for aid, in samples_db.execute("SELECT id FROM articles"):
        spans = repo.get_boilerplate(samples_db, aid)
        for start, end in samples_db.execute("SELECT start, end FROM claims WHERE article_id = ?",
                                             [aid]):
            assert not any(s.start < end and start < s.end for s in spans)
    texts = [t for t, in samples_db.execute("SELECT text FROM claims")]
    assert not any("2000万台" in t for t in texts)  # inside 001's unrelated related-posts tail


def test_reimport_adds_nothing_but_joins_the_new_dataset(samples_db):
    before = samples_db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    s = import_paths(samples_db, [SAMPLES], dataset="samples")
    assert s.articles_added == 0 and s.articles_known == 12
    s = import_paths(samples_db, [SEEDS[0]], dataset="other")
    assert s.articles_added == 0 and s.articles_known == 1
    assert samples_db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == before
    assert repo.datasets_of_article(samples_db, s.article_ids[0]) == ["other", "samples"]


def test_bad_files_are_reported_and_the_rest_import(db, tmp_path):
    (tmp_path / "good.txt").write_text("香港整体人力短缺达18万人。", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "feed.jsonl").write_text(
        json.dumps({"text": "Only 200 people were hired."}) + "\n{broken\n", encoding="utf-8")
    seen = []
    s = import_paths(db, [tmp_path, tmp_path / "missing.txt"], dataset="d", on_error=seen.append)
    assert s.articles_added == 2
    messages = sorted(str(e) for e in s.errors)
    assert len(messages) == 4 and seen == s.errors
    assert any("binary.txt: binary file" in m for m in messages)
    assert any("empty.txt: empty file" in m for m in messages)
    assert any("feed.jsonl: line 2: invalid JSON" in m for m in messages)
    assert any("missing.txt: no such file" in m for m in messages)


def test_progress_and_cancel(db, tmp_path):
    for i in range(5):
        (tmp_path / f"{i}.txt").write_text(f"Article {i}: 1{i}% of jobs.", encoding="utf-8")
    calls = []
    s = import_paths(db, [tmp_path], progress=lambda d, t: calls.append((d, t)),
                     cancelled=lambda: len(calls) > 2)
    assert calls[0] == (0, 5) and s.cancelled
    assert 0 < s.articles_added < 5


def test_parallel_analysis_gives_the_same_database(tmp_path):
    from annotator.storage.db import open_db

    rows = []
    for workers in (1, 2):
        d = open_db(tmp_path / f"w{workers}.db")
        import annotator.services.importing as imp

        old = imp.PARALLEL_MIN
        imp.PARALLEL_MIN = 0
        try:
            import_paths(d, [SAMPLES], workers=workers)
        finally:
            imp.PARALLEL_MIN = old
        rows.append(d.execute("SELECT id, kind, value, unit, currency, warnings FROM figures "
                              "ORDER BY id").fetchall())
        d.close()
    assert rows[0] == rows[1] and rows[0]


def test_import_into_a_signed_off_dataset_is_refused(db, tmp_path):
    import pytest

    from annotator.services import review as svc
    from annotator.services import signoff
    from annotator.services.importing import ImportRefused
    from tests.core.factories import figure_ids, make_article

    aid = make_article(db, dataset="locked")
    for fid in figure_ids(db, aid):
        svc.review(db, reviewer="ana", target_id=fid, action="confirm")
    signoff.sign(db, dataset="locked", reviewer="ana")
    signoff.sign(db, dataset="locked", reviewer="ben")
    (tmp_path / "new.txt").write_text("Only 300 people were hired.", encoding="utf-8")
    with pytest.raises(ImportRefused, match="signed off"):
        import_paths(db, [tmp_path / "new.txt"], dataset="locked")
    assert import_paths(db, [tmp_path / "new.txt"], dataset="open").articles_added == 1


def test_a_copy_imported_after_its_source_was_reviewed_inherits_at_once(db):
    from annotator.services import review as svc
    from annotator.storage import reviews as rv

    import_paths(db, [SAMPLES / "001_1bdd7b1565627bd6.txt"])
    src = db.execute("SELECT id FROM figures ORDER BY seq LIMIT 1 OFFSET 3").fetchone()[0]
    svc.review(db, reviewer="ana", target_id=src, action="confirm")
    import_paths(db, [SAMPLES / "101_hk_repost_big5hkscs.txt"])
    copies = [r[0] for r in db.execute("SELECT id FROM figures WHERE duplicate_of = ?", [src])]
    assert copies, "the repost's copy of the figure points at it"
    assert all(rv.figure_state(db, c)["status"] == "confirmed" for c in copies)
    unreviewed = db.execute(
        "SELECT COUNT(*) FROM figures f LEFT JOIN figure_state s ON s.figure_id = f.id "
        "WHERE f.duplicate_of IS NOT NULL AND f.duplicate_of != ? AND s.figure_id IS NULL",
        [src]).fetchone()[0]
    assert unreviewed > 0, "copies of figures nobody reviewed stay unreviewed"


def test_an_import_commits_in_groups_and_keeps_the_groups_committed_before_a_failure(
        db, db_path, tmp_path, monkeypatch):
    import sqlite3

    from annotator.services import importing

    records = [{"text": f"第{i}篇：香港整体人力短缺达{i + 10}万人，较去年增加{i}%。"} for i in range(120)]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), "utf-8")
    commits = []
    real_commit = importing.GroupedCommits.commit

    def counting_commit(self):
        if self._since is not None:
            commits.append(db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        real_commit(self)

    monkeypatch.setattr(importing.GroupedCommits, "commit", counting_commit)
    monkeypatch.setattr(importing, "COMMIT_SECONDS", 3600)  # one group for the whole import
    s = import_paths(db, [path], workers=1)
    assert s.articles_added == 120 and commits == [120]

    # a failure while storing, with a group per batch: the groups committed before it
    # stay, the failed one is not there at all, and another connection sees exactly that
    monkeypatch.setattr(importing, "COMMIT_SECONDS", 0)
    path2 = tmp_path / "more.jsonl"
    path2.write_text("\n".join(json.dumps({"text": r["text"] + "（转载）"}, ensure_ascii=False)
                               for r in records), "utf-8")
    stored = 0
    real_store_one = importing._Importer._store_one

    def failing_store_one(self, raw, aid, prepared):
        nonlocal stored
        if stored == 60:
            raise RuntimeError("disk trouble")
        stored += 1
        real_store_one(self, raw, aid, prepared)

    monkeypatch.setattr(importing._Importer, "_store_one", failing_store_one)
    try:
        import_paths(db, [path2], workers=1)
    except RuntimeError:
        pass
    other = sqlite3.connect(db_path)
    n = other.execute("SELECT COUNT(*) FROM articles WHERE text LIKE '%（转载）'").fetchone()[0]
    orphans = other.execute("SELECT COUNT(*) FROM figures f LEFT JOIN articles a "
                            "ON a.id = f.article_id WHERE a.id IS NULL").fetchone()[0]
    other.close()
    assert n == 50 and orphans == 0  # two whole batches of 25; the third rolled back

    # a failure in the middle of a group rolls back the whole group, batches before it too
    path3 = tmp_path / "third.jsonl"
    path3.write_text("\n".join(json.dumps({"text": r["text"] + "（三）"}, ensure_ascii=False)
                               for r in records), "utf-8")
    stored = 0
    monkeypatch.setattr(importing, "COMMIT_SECONDS", 3600)
    try:
        import_paths(db, [path3], workers=1)
    except RuntimeError:
        pass
    other = sqlite3.connect(db_path)
    assert other.execute("SELECT COUNT(*) FROM articles WHERE text LIKE '%（三）'").fetchone()[0] == 0
    assert other.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert other.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 170
    other.close()


def test_a_plain_text_title_is_the_first_line_outside_boilerplate(samples_db):
    titles = {src.rsplit("/", 1)[-1][:3]: t for src, t in samples_db.execute(
        "SELECT source, title FROM articles")}
    assert titles["003"] == "Development Blueprint for Hong Kong’s Digital Economy"  # not Loading...
    assert titles["004"] == "HK, mainland agree to inno-tech cooperation"  # not the masthead
    assert titles["001"] == "AI人才缺口扩大,香港再出手面向内地“抢人才”"  # no betting-site prefix


def test_a_given_title_is_kept(db, tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"title": "Loading...", "text": "Loading...\n\n香港整体人力短缺达18万人。"},
                               ensure_ascii=False), "utf-8")
    import_paths(db, [path])
    assert db.execute("SELECT title FROM articles").fetchone()[0] == "Loading..."


def test_the_summary_counts_files_of_other_types_in_a_folder(db, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("香港整体人力短缺达18万人。", encoding="utf-8")
    (folder / "report.docx").write_bytes(b"PK\x03\x04")
    s = import_paths(db, [folder])
    assert [p.name for p in s.skipped] == ["report.docx"]
    assert s.line().endswith("1 file(s) skipped (unsupported type: .docx)")


def test_an_import_leaves_every_reference_whole_and_checking_on(samples_db):
    # the import writes with SQLite's reference checks off: what it wrote must pass them
    assert samples_db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert samples_db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    orphans = samples_db.execute(
        "SELECT COUNT(*) FROM figures f WHERE NOT EXISTS (SELECT 1 FROM claims c "
        "WHERE c.id = f.claim_id) OR (f.duplicate_of IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM figures g WHERE g.id = f.duplicate_of))").fetchone()[0]
    assert orphans == 0


def test_workers_that_cannot_start_leave_the_analysis_to_the_importing_process(
        db, monkeypatch):
    import concurrent.futures
    from concurrent.futures.process import BrokenProcessPool

    import annotator.services.importing as imp

    class Broken(concurrent.futures.Executor):
        def __init__(self, *args, **kwargs):
            pass

        def submit(self, *args, **kwargs):
            raise BrokenProcessPool("a child process terminated abruptly")

    monkeypatch.setattr(imp, "ProcessPoolExecutor", Broken)
    monkeypatch.setattr(imp, "PARALLEL_MIN", 0)
    s = import_paths(db, [SAMPLES], workers=2)
    assert s.articles_added == 12 and not s.errors


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities here")
def test_analysis_workers_give_way_to_the_storing_process(db):
    import annotator.services.importing as imp

    importer = imp._Importer(db, imp.ImportSummary(dataset="ds"), 2, None,
                             imp.GroupedCommits(db, 1.0))
    try:
        niceness = importer._executor().submit(os.nice, 0).result(timeout=60)
    finally:
        importer.close()
    assert niceness == min(19, os.nice(0) + imp.WORKER_NICENESS)


# --- real pages in ----------------------------------------------------------------------

def test_a_csv_with_one_bad_record_keeps_its_three_good_ones(db, tmp_path):
    sheet = tmp_path / "scrape.csv"
    rows = ["title,text,url",
            '港府,"香港整体人力短缺达18万人。",https://example.com/1',
            '断行,"抓取中断\x00的一行，增长5%。",https://example.com/2',
            '创科,"创科业界的人力需求预计将由2023年的6.02万人增至2028年的9.64万人。",https://example.com/3',
            'Park,"The park held 1,100 positions and got 70,000 applications.",https://example.com/4']
    sheet.write_bytes(("\n".join(rows) + "\n").encode())
    s = import_paths(db, [sheet], workers=1)
    assert s.articles_added == 3
    assert [str(e) for e in s.errors] == [f"{sheet}: line 3: text contains NUL characters"]
    assert sorted(db.execute("SELECT source, url FROM articles").fetchall()) == [
        (f"{sheet}:2", "https://example.com/1"), (f"{sheet}:4", "https://example.com/3"),
        (f"{sheet}:5", "https://example.com/4")]


def test_an_html_article_is_traced_to_its_file_and_exports_its_canonical_url(db, tmp_path):
    from annotator.services.export import records as exporter

    page = SAMPLES / "103_chinadaily_page.html"
    html = page.read_text(encoding="utf-8")
    canonical = "https://www.chinadaily.com.cn/a/201809/21/WS5ba4c2b4a310c4cc775e7a0d.html"
    mine = tmp_path / "chinadaily.html"
    mine.write_text(html.replace("<head>", f'<head><link rel="canonical" href="{canonical}">', 1),
                    encoding="utf-8")
    s = import_paths(db, [mine], workers=1, dataset="d")
    assert s.articles_added == 1 and not s.errors
    assert db.execute("SELECT source, url FROM articles").fetchall() == [(str(mine), canonical)]
    out = tmp_path / "out.jsonl"
    exporter.export(db, str(out), fmt="jsonl", dataset="d")
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records and {(r["article"]["source"], r["article"]["url"]) for r in records} == \
        {(str(mine), canonical)}


def test_a_loop_of_symbolic_links_is_one_warning_and_the_files_import(db, tmp_path):
    if not hasattr(os, "symlink"):
        pytest.skip("no symbolic links")
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "a.txt").write_text("香港整体人力短缺达18万人。", encoding="utf-8")
    os.symlink(tmp_path, feeds / "all")
    seen = []
    s = import_paths(db, [tmp_path], workers=1, on_warning=seen.append)
    assert s.articles_added == 1 and s.errors == []
    [w] = seen
    assert w.source == str(feeds / "all") and "loop" in w.message and s.warnings == [w]


def test_the_import_command_escapes_file_names_in_its_error_and_warning_lines(tmp_path):
    from click.testing import CliRunner

    from annotator.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.txt\nerror: forged.txt").write_bytes(b"")
    (folder / "nul\r.txt").write_bytes("香港整体人力短缺达18万人。".encode() + b"\x00")
    r = CliRunner().invoke(main, ["import", str(folder), "--db",
                                  str(tmp_path / "t.db")])
    assert r.exit_code == 1, r.output
    lines = r.stderr.splitlines()
    assert lines == [f"warning: {folder}/nul\\r.txt: 1 NUL byte(s) removed",
                     f"error: {folder}/x.txt\\nerror: forged.txt: empty file"]


def test_articles_in_other_languages_are_labelled_and_counted_not_read(tmp_path, db):
    from annotator.services.stats import dataset_stats

    (tmp_path / "de.txt").write_text(
        "Die Stadt hat 2023 insgesamt 1,5 Millionen Euro für neue Radwege ausgegeben, "
        "20 Prozent mehr als im Vorjahr.\n", encoding="utf-8")
    (tmp_path / "ja.txt").write_text(
        "東京都は2023年に新しい自転車道のために150万円を使いました。"
        "これは前年より20パーセント多いです。\n", encoding="utf-8")
    (tmp_path / "zh.txt").write_text("香港整体人力短缺达18万人。\n", encoding="utf-8")
    summary = import_paths(db, [tmp_path], dataset="mixed", workers=1)
    langs = dict(db.execute("SELECT source, language || '/' || COALESCE(script, '-') "
                            "FROM articles").fetchall())
    assert sorted(langs.values()) == ["de/-", "ja/-", "zh/hans"]
    assert summary.claims == 1 and summary.not_read == {"de": 1, "ja": 1}
    assert summary.line().endswith(
        "2 article(s) in languages the figure engines do not read (no claims): German 1, "
        "Japanese 1")
    stats = dataset_stats(db, "mixed")[0]
    assert stats["not_read"] == {"de": 1, "ja": 1} and stats["claims"] == 1
