"""Importing files: read, decode, analyse, store.

A bad file (or record) is reported and skipped; everything else is imported. Writes are
committed in batches so a crash loses at most the batch in flight, never earlier work,
and the database never holds half an article.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

from sqlite_utils import Database

from annotator.domain import RawArticle
from annotator.readers import ReadError, ReadWarning, collect_files, read_file
from annotator.storage import articles as repo
from annotator.storage.db import write_tx
from annotator.text.pipeline import Analysis, analyse

Progress = Callable[[int, int], None]

BATCH_ARTICLES = 200
BATCH_SECONDS = 1.0


@dataclass
class ImportSummary:
    dataset: str
    files: int = 0
    articles_added: int = 0
    articles_known: int = 0
    claims: int = 0
    figures: int = 0
    errors: list[ReadError] = field(default_factory=list)
    warnings: list[ReadWarning] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    cancelled: bool = False

    def line(self) -> str:
        parts = [
            f"{self.files} file(s)",
            f"{self.articles_added} article(s) added",
            f"{self.articles_known} already present",
            f"{self.claims} claim(s)",
            f"{self.figures} figure(s)",
            f"{len(self.errors)} error(s)",
        ]
        return f"dataset {self.dataset}: " + ", ".join(parts)


def import_paths(
    db: Database,
    paths: Iterable[str | os.PathLike],
    *,
    dataset: str = "default",
    progress: Optional[Progress] = None,
    on_error: Optional[Callable[[ReadError], None]] = None,
    on_warning: Optional[Callable[[ReadWarning], None]] = None,
    cancelled: Optional[Callable[[], bool]] = None,
) -> ImportSummary:
    files, missing = collect_files(paths)
    summary = ImportSummary(dataset=dataset)
    for err in missing:
        _error(summary, err, on_error)
    total = len(files)
    pending: list[RawArticle] = []
    last_flush = time.monotonic()
    if progress:
        progress(0, total)
    for done, path in enumerate(files, start=1):
        if cancelled and cancelled():
            summary.cancelled = True
            break
        summary.files += 1
        for item in read_file(path):
            if isinstance(item, ReadError):
                _error(summary, item, on_error)
            elif isinstance(item, ReadWarning):
                summary.warnings.append(item)
                if on_warning:
                    on_warning(item)
            else:
                pending.append(item)
            if len(pending) >= BATCH_ARTICLES:
                _flush(db, pending, summary, on_error)
                last_flush = time.monotonic()
        if pending and time.monotonic() - last_flush >= BATCH_SECONDS:
            _flush(db, pending, summary, on_error)
            last_flush = time.monotonic()
        if progress:
            progress(done, total)
    _flush(db, pending, summary, on_error)
    if not files and not summary.errors:
        with write_tx(db):
            repo.ensure_dataset(db, dataset)
    return summary


def _error(summary: ImportSummary, err: ReadError, on_error) -> None:
    summary.errors.append(err)
    if on_error:
        on_error(err)


def _flush(db: Database, pending: list[RawArticle], summary: ImportSummary, on_error) -> None:
    """Analyse outside the write lock (it is the slow part), then store in one transaction."""
    if not pending:
        return
    prepared: list[tuple[RawArticle, str, Optional[Analysis]]] = []
    batch_ids: set[str] = set()
    for raw in pending:
        aid = repo.article_id_for(raw.text)
        known = aid in batch_ids or repo.article_exists(db, aid)
        batch_ids.add(aid)
        prepared.append((raw, aid, None if known else analyse(raw.text)))
    with write_tx(db):
        repo.ensure_dataset(db, summary.dataset)
        for raw, aid, analysis in prepared:
            _store(db, raw, aid, analysis, summary, on_error)
    pending.clear()


def _store(db: Database, raw: RawArticle, aid: str, analysis: Optional[Analysis],
           summary: ImportSummary, on_error) -> None:
    if analysis is None or repo.article_exists(db, aid):
        summary.articles_known += 1
        repo.add_to_dataset(db, summary.dataset, aid)
        summary.article_ids.append(aid)
        return
    try:
        with db.atomic():  # a savepoint: a failing article leaves no trace
            repo.insert_article(db, raw, language=analysis.language, script=analysis.script,
                                boilerplate=analysis.boilerplate, claims=analysis.claims)
            repo.add_to_dataset(db, summary.dataset, aid)
    except repo.SpanMismatch as e:
        _error(summary, ReadError(raw.source, f"internal span error, article skipped: {e}"),
               on_error)
        return
    summary.articles_added += 1
    summary.article_ids.append(aid)
    summary.claims += len(analysis.claims)
    summary.figures += sum(len(c.figures) for c in analysis.claims)
