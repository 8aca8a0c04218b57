"""The reads an export makes: a dataset's articles in order, its figures with their review
state, its claims and the review events on its figures (an article's text is
annotator.storage.articles.article_text).

Rows are named tuples: the export service (annotator.services.export.records) reads their
fields by name or unpacks them, and checks every value of a row for bytes where SQLite
should hold text.
"""

from __future__ import annotations

from typing import NamedTuple
from collections.abc import Iterator

from sqlite_utils import Database


class ExportArticle(NamedTuple):
    dataset: str
    id: str
    source: str
    title: str | None
    language: str | None
    script: str | None
    url: str | None
    date: str | None


def dataset_articles(db: Database, dataset: str | None) -> list[ExportArticle]:
    """Every article of `dataset` (of every dataset when None), in dataset and import
    order."""
    where, params = ("", []) if dataset is None else ("WHERE da.dataset = ?", [dataset])
    return [ExportArticle(*r) for r in db.execute(
        "SELECT da.dataset, a.id, a.source, a.title, a.language, a.script, a.url, a.date "
        f"FROM dataset_articles da JOIN articles a ON a.id = da.article_id {where} "
        "ORDER BY da.dataset, da.seq", params)]


class ExportFigure(NamedTuple):
    id: str
    claim_id: str
    text: str
    start: int
    end: int
    kind: str
    value: float | None
    value_max: float | None
    unit: str | None
    currency: str | None
    qualifier: str | None
    warnings: str  # JSON
    role: str | None
    link_id: str | None
    duplicate_of: str | None
    status: str
    corrected_value: float | None
    corrected_unit: str | None
    corrected_currency: str | None
    corrected_kind: str | None
    flag: str | None
    note: str | None
    conflict: int
    reading: str | None


def figure_rows(db: Database, article_id: str) -> Iterator[ExportFigure]:
    """Each figure of the article with its review state, in its order."""
    for r in db.execute(
        "SELECT f.id, f.claim_id, f.text, f.start, f.end, f.kind, f.value, f.value_max, f.unit, "
        "f.currency, f.qualifier, f.warnings, f.role, f.link_id, f.duplicate_of, "
        "COALESCE(s.status, 'unreviewed'), s.corrected_value, s.corrected_unit, "
        "s.corrected_currency, s.corrected_kind, s.flag, s.note, COALESCE(s.conflict, 0), "
        "f.reading FROM figures f LEFT JOIN figure_state s ON s.figure_id = f.id "
        "WHERE f.article_id = ? ORDER BY f.seq", [article_id]):
        yield ExportFigure(*r)


class ExportClaim(NamedTuple):
    id: str
    text: str
    start: int
    end: int
    duplicate_of: str | None


def claim_rows(db: Database, article_id: str) -> list[ExportClaim]:
    """Each claim of the article, in order."""
    return [ExportClaim(*r) for r in db.execute(
        "SELECT id, text, start, end, duplicate_of FROM claims WHERE article_id = ? "
        "ORDER BY seq", [article_id])]


class FigureReview(NamedTuple):
    figure_id: str
    reviewer: str
    action: str
    at: str
    new_state: str | None  # JSON
    note: str | None


def figure_review_rows(db: Database, article_id: str) -> Iterator[FigureReview]:
    """Every event on the article's figures, oldest first."""
    for r in db.execute(
        "SELECT e.target_id, e.reviewer, e.action, e.at, e.new_state, e.note FROM events e "
        "JOIN figures f ON f.id = e.target_id AND e.target_type = 'figure' "
        "WHERE f.article_id = ? ORDER BY e.at, e.rowid", [article_id]):
        yield FigureReview(*r)
