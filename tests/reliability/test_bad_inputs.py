"""Importing what real scraping produces: each bad file is one clear error naming it (and
its line, for record files), everything else is imported exactly, and stored offsets
select their text however odd the characters around them.

The corpus (tests/reliability/corpus.py) is generated per run, with a 50 MB single-line
file among it; it is imported twice: through the real `annotator import` command in a
child process, and through `import_paths` with the analysis in worker processes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.services.export import records as exporter
from annotator.services import importing
from annotator.services.importing import import_paths
from annotator.storage.db import open_db

from tests.reliability.corpus import Corpus, build

BIG_MB = int(os.environ.get("ANNOTATOR_BIG_MB", "50"))
HIDDEN = ("SCRIPT-99", "STYLE-42", "INLINE-77", "HANDLER", "COMMENT-66", "steal")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    return build(tmp_path_factory.mktemp("bad inputs") / "语料 corpus", big_mb=BIG_MB)


def _cli(*args: str, cwd: Path, env_home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, ANNOTATOR_CONFIG=str(env_home / "config.json"))
    env.pop("ANNOTATOR_DB", None)
    return subprocess.run([sys.executable, "-m", "annotator", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=600)


def _stored(db) -> dict[str, str]:
    return {aid: text for aid, text in db.execute("SELECT id, text FROM articles")}


def _check_errors_name_their_files(corpus: Corpus, messages: list[str]) -> None:
    """Each expected error appears once, naming its file (and line) and saying why."""
    for case in corpus.cases:
        mine = [m for m in messages if m.startswith(str(case.path))]
        assert len(mine) == len(case.errors), (case.path.name, mine)
        for word, message in zip(case.errors, mine):
            assert word in message, (case.path.name, message)
        for where, message in zip(case.error_sources, mine):
            assert where in message, (case.path.name, message)


def _check_articles(corpus: Corpus, db) -> None:
    stored = _stored(db)
    assert len(stored) == corpus.articles
    texts = set(stored.values())
    for case in corpus.cases:
        for text in case.texts:
            assert text in texts, f"{case.path.name}: text not stored verbatim"
    _check_spans(db, stored)
    for case in corpus.cases:
        if case.figures:
            _check_figures_found(db, stored, case)


def _check_spans(db, stored: dict[str, str]) -> None:
    for aid, start, end, text in db.execute("SELECT article_id, start, end, text FROM claims"):
        assert stored[aid][start:end] == text
    for aid, start, end, text in db.execute("SELECT article_id, start, end, text FROM figures"):
        assert stored[aid][start:end] == text
    for aid, start, end in db.execute("SELECT article_id, start, end FROM boilerplate"):
        assert 0 <= start < end <= len(stored[aid])


def _check_figures_found(db, stored: dict[str, str], case) -> None:
    """The figures after emoji, CRLF and markup are found where they are."""
    if case.texts:
        (text,) = case.texts
        aid = next(a for a, t in stored.items() if t == text)
    else:
        source = str(case.path)
        aid = db.execute("SELECT id FROM articles WHERE source = ?", [source]).fetchone()[0]
        text = stored[aid]
    found = {(t, s) for t, s in db.execute(
        "SELECT text, start FROM figures WHERE article_id = ?", [aid])}
    for surface in case.figures:
        assert (surface, text.index(surface)) in found, (case.path.name, surface, sorted(found))


def test_cli_import_reports_each_bad_file_and_imports_the_rest(corpus, tmp_path):
    db_path = tmp_path / "cli.db"
    missing = corpus.root / "missing.txt"
    r = _cli("import", str(corpus.root), str(missing), "--db", str(db_path),
             "--dataset", "bad inputs", cwd=tmp_path, env_home=tmp_path)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    errors = [line[len("error: "):] for line in r.stderr.splitlines() if line.startswith("error: ")]
    assert f"{missing}: no such file or folder" in errors
    _check_errors_name_their_files(corpus, errors)
    assert len(errors) == corpus.errors + 1
    assert f"{corpus.articles} article(s) added" in r.stdout
    warnings = [line for line in r.stderr.splitlines() if line.startswith("warning: ")]
    for case in corpus.cases:
        for word in case.warnings:
            assert any(str(case.path) in w and word in w for w in warnings), (case.path, warnings)
    db = open_db(db_path)
    try:
        _check_articles(corpus, db)
    finally:
        db.close()


def test_import_in_worker_processes_gives_the_same_and_a_second_import_adds_nothing(
        corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "PARALLEL_MIN", 0)  # analyse in the forkserver workers
    db = open_db(tmp_path / "workers.db")
    try:
        errors, warnings = [], []
        summary = import_paths(db, [corpus.root], dataset="bad inputs", workers=2,
                               on_error=errors.append, on_warning=warnings.append)
        assert summary.articles_added == corpus.articles
        _check_errors_name_their_files(corpus, [str(e) for e in errors])
        assert len(errors) == corpus.errors
        for case in corpus.cases:
            for word in case.warnings:
                assert any(w.source.startswith(str(case.path)) and word in w.message
                           for w in warnings)
        _check_articles(corpus, db)

        again = import_paths(db, [corpus.root], dataset="bad inputs", workers=1)
        assert (again.articles_added, again.articles_known) == (0, corpus.articles)
        assert len(again.errors) == corpus.errors
        assert len(_stored(db)) == corpus.articles
    finally:
        db.close()


def test_html_scripts_styles_and_handlers_are_not_article_text(corpus, tmp_path):
    db = open_db(tmp_path / "html.db")
    try:
        import_paths(db, [corpus.case("page.html").path], workers=1)
        (text,) = _stored(db).values()
        assert "revenue rose 12% to HK$3.4 billion" in text
        for hidden in HIDDEN:
            assert hidden not in text
    finally:
        db.close()


def test_export_of_the_imported_corpus_keeps_offsets_on_the_stored_text(corpus, tmp_path):
    db = open_db(tmp_path / "export.db")
    try:
        import_paths(db, [corpus.root], dataset="bad inputs", workers=1)
        out = tmp_path / "out dir" / "导出 claims.jsonl"
        summary = exporter.export(db, str(out), dataset="bad inputs")
        stored = _stored(db)
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert len(records) == summary.records > 0
        for rec in records:
            text = stored[rec["article"]["id"]]
            assert text[rec["start"]:rec["end"]] == rec["text"]
            for f in rec["figures"]:
                assert text[f["start"]:f["end"]] == f["text"]
    finally:
        db.close()


def test_an_article_whose_analysis_fails_is_reported_and_the_rest_imported(tmp_path,
                                                                          monkeypatch):
    real = importing.analyse

    def fragile(text):
        if "BOOM" in text:
            raise RuntimeError("engine failure")
        return real(text)

    monkeypatch.setattr(importing, "analyse", fragile)
    (tmp_path / "a.txt").write_text("BOOM: this article breaks the engine, 5%.\n")
    (tmp_path / "b.txt").write_text("This one is fine: the fund grew 7%.\n")
    db = open_db(tmp_path / "fragile.db")
    try:
        summary = import_paths(db, [tmp_path], workers=1)
        assert summary.articles_added == 1
        assert [e.source for e in summary.errors] == [str(tmp_path / "a.txt")]
    finally:
        db.close()
