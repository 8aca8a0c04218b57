"""The reads an export makes: a dataset's articles in order, an article's text, its
figures with their review state, its claims and the review events on its figures.

Rows come back in the column order each function's docstring gives; the export service
(annotator.services.export.records) checks them and builds the claim records.
"""

from __future__ import annotations

from typing import Optional

from sqlite_utils import Database


def dataset_articles(db: Database, dataset: Optional[str]) -> list[tuple]:
    """(dataset, article id, source, title, language, script, url, date) of every
    article of `dataset` (of every dataset when None), in dataset and import order."""
    where, params = ("", []) if dataset is None else ("WHERE da.dataset = ?", [dataset])
    return db.execute(
        "SELECT da.dataset, a.id, a.source, a.title, a.language, a.script, a.url, a.date "
        f"FROM dataset_articles da JOIN articles a ON a.id = da.article_id {where} "
        "ORDER BY da.dataset, da.seq", params).fetchall()


def article_text(db: Database, article_id: str) -> Optional[str]:
    row = db.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()
    return None if row is None else row[0]


def figure_rows(db: Database, article_id: str):
    """(id, claim id, text, start, end, kind, value, value max, unit, currency,
    qualifier, warnings JSON, role, link id, duplicate of, status, corrected value,
    corrected unit, corrected currency, corrected kind, flag, note, conflict, reading) of
    each figure of the article, in its order."""
    return db.execute(
        "SELECT f.id, f.claim_id, f.text, f.start, f.end, f.kind, f.value, f.value_max, f.unit, "
        "f.currency, f.qualifier, f.warnings, f.role, f.link_id, f.duplicate_of, "
        "COALESCE(s.status, 'unreviewed'), s.corrected_value, s.corrected_unit, "
        "s.corrected_currency, s.corrected_kind, s.flag, s.note, COALESCE(s.conflict, 0), "
        "f.reading FROM figures f LEFT JOIN figure_state s ON s.figure_id = f.id "
        "WHERE f.article_id = ? ORDER BY f.seq", [article_id])


def claim_rows(db: Database, article_id: str) -> list[tuple]:
    """(id, text, start, end, duplicate of) of each claim of the article, in order."""
    return db.execute("SELECT id, text, start, end, duplicate_of FROM claims "
                      "WHERE article_id = ? ORDER BY seq", [article_id]).fetchall()


def figure_review_rows(db: Database, article_id: str):
    """(figure id, reviewer, action, at, new state JSON, note) of every event on the
    article's figures, oldest first."""
    return db.execute(
        "SELECT e.target_id, e.reviewer, e.action, e.at, e.new_state, e.note FROM events e "
        "JOIN figures f ON f.id = e.target_id AND e.target_type = 'figure' "
        "WHERE f.article_id = ? ORDER BY e.at, e.rowid", [article_id])
