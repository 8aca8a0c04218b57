"""Importing files: read, decode, analyse, store, index for duplicates and search.

A bad file (or record) is reported and skipped; everything else is imported. Writes are
committed every half second or so, so a crash loses at most that much stored work (which
importing again restores), and the database never holds half an article. The text
analysis (the slow part) runs outside the write lock, in worker processes when there is
enough to do.
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import time
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from collections.abc import Callable, Iterable

from sqlite_utils import Database

from annotator.domain import RawArticle
from annotator.readers import (
    ReadError, ReadWarning, collect_files, read_file, skipped_summary,
)
from annotator.storage import articles as repo
from annotator.storage import duplicate_finder as duplicates
from annotator.storage import search as search_store
from annotator.storage import signoffs
from annotator.storage.db import GroupedCommits, bulk_writes, write_tx
from annotator.text.duplicates import Passage
from annotator.text.language import not_read_note, reads_figures
from annotator.text.pipeline import analyse

Progress = Callable[[int, int], None]

BATCH_ARTICLES = 25
BATCH_SECONDS = 1.0
# Stored batches are committed together at most this often (see GroupedCommits), and
# the next group waits COMMIT_GAP after a commit: another window or command waiting for
# the write lock (and trying it every few milliseconds) gets it within about
# COMMIT_SECONDS.
COMMIT_SECONDS = 0.6
COMMIT_GAP = 0.03
# Below about this many articles, starting worker processes costs more than it saves.
PARALLEL_MIN = 200
# The analysis workers run at a lower priority (Unix niceness, added to the importing
# process's). Storing is one process and the workers are many, one per core: at equal
# priority the workers took the cores from it while it was the slower stage; lowered,
# they use what it leaves (and when the window imports, its process comes first too).
WORKER_NICENESS = 10
# Record files (JSONL, JSON, CSV) hold many articles: guess a few hundred bytes each.
_RECORD_SUFFIXES = {".jsonl", ".ndjson", ".json", ".csv", ".tsv"}


class ImportRefused(RuntimeError):
    """The import cannot start at all (nothing was read or written)."""


@dataclass
class ImportSummary:
    dataset: str
    files: int = 0
    articles_added: int = 0
    articles_known: int = 0
    claims: int = 0
    figures: int = 0
    duplicate_pairs: int = 0
    errors: list[ReadError] = field(default_factory=list)
    warnings: list[ReadWarning] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    skipped: list = field(default_factory=list)   # files of other types inside the folders
    cancelled: bool = False
    # articles added in languages the figure engines do not read, by language code
    not_read: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        parts = [
            f"{self.files} file(s)",
            f"{self.articles_added} article(s) added",
            f"{self.articles_known} already present",
            f"{self.claims} claim(s)",
            f"{self.figures} figure(s)",
            f"{self.duplicate_pairs} duplicate passage(s)",
            f"{len(self.errors)} error(s)",
        ]
        if self.skipped:
            parts.append(skipped_summary(self.skipped))
        if self.not_read:
            parts.append(not_read_note(self.not_read))
        return f"dataset {self.dataset}: " + ", ".join(parts)


def prepare(text: str) -> repo.PreparedArticle | str:
    """Analyse one article into what storing and indexing it need; an error message if
    its spans do not hold (a bug, reported against the file rather than stopping the
    import)."""
    try:
        a = analyse(text)
        article = repo.prepare_article(text, language=a.language, script=a.script,
                                       boilerplate=a.boilerplate, claims=a.claims)
    except repo.SpanMismatch as e:
        return f"internal span error, article skipped: {e}"
    except Exception as e:  # a bug in an engine must cost this article, not the import
        return f"analysis failed, article skipped: {type(e).__name__}: {e}"
    return dataclasses.replace(
        article, sketch=a.sketch, index_tokens=a.index_tokens, index_chars=a.index_chars,
        units=[(u.start, u.end, u.digest, u.folded) for u in a.units], title=a.title)


def _lower_priority() -> None:
    """A worker's start: give way to the storing process (see WORKER_NICENESS)."""
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(WORKER_NICENESS)


def prepare_many(texts: list[str]) -> list[repo.PreparedArticle | str]:
    """One worker task: a few articles, so the pickling overhead stays small."""
    return [prepare(t) for t in texts]


@dataclass
class _Batch:
    raws: list[RawArticle]
    ids: list[str]
    fresh: list[str]                      # ids to analyse and store, in order
    texts: list[str]                      # their texts
    result: object                        # list[PreparedArticle | str] or a Future of it


class _Importer:
    """Reads feed batches in; worker processes analyse them while this process stores
    the batches already analysed, so reading, analysing and storing overlap."""

    # batches submitted but not yet stored: enough that the workers, run at a lower
    # priority, keep working ahead while this process commits
    IN_FLIGHT = 8

    def __init__(self, db: Database, summary: ImportSummary, workers: int | None, on_error,
                 commits: GroupedCommits, expected: int = 0):
        self.db = db
        self.commits = commits
        self.summary = summary
        self.on_error = on_error
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self._pool: Executor | None = None
        self._queue: list[_Batch] = []
        self._seen: set[str] = set()          # ids submitted in this import
        # for this import only: a failure rolls back the group and ends the import
        self._index_cache = duplicates.IndexCache(expected=expected)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def _executor(self) -> Executor:
        if self._pool is None:
            # forkserver/spawn, never fork: the window imports from a worker thread.
            if "forkserver" in multiprocessing.get_all_start_methods():
                ctx = multiprocessing.get_context("forkserver")
                # workers forked from a server that loaded the dictionaries share them
                ctx.set_forkserver_preload(["annotator.text.warm"])
            else:
                ctx = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.workers, mp_context=ctx,
                                             initializer=_lower_priority)
        return self._pool

    def _to_workers(self, fn, *args) -> Future | None:
        """Hand work to the pool; None (and no pool from now on) when its workers could
        not start or have died, so the caller does the work itself."""
        try:
            return self._executor().submit(fn, *args)
        except (BrokenProcessPool, RuntimeError):
            self.workers = 1
            return None

    def warm_up(self) -> None:
        self._to_workers(os.getpid)

    def submit(self, pending: list[RawArticle], parallel: bool) -> None:
        if not pending:
            return
        ids = [repo.article_id_for(raw.text) for raw in pending]
        fresh = []
        texts = []
        for aid, raw in zip(ids, pending):
            if aid not in self._seen and not repo.article_exists(self.db, aid):
                fresh.append(aid)
                texts.append(raw.text)
            self._seen.add(aid)
        result = None
        if parallel and self.workers > 1 and texts:
            result = self._to_workers(prepare_many, texts)
        if result is None:
            result = prepare_many(texts)
        self._queue.append(_Batch(list(pending), ids, fresh, texts, result))
        pending.clear()
        while len(self._queue) > (self.IN_FLIGHT if parallel else 0):
            self._store(self._queue.pop(0))

    def drain(self) -> None:
        while self._queue:
            self._store(self._queue.pop(0))

    def _store(self, batch: _Batch) -> None:
        result = batch.result
        if isinstance(result, Future):
            try:
                analyses = result.result()
            except BrokenProcessPool:
                # a worker died (killed, out of memory): finish the work here, serially
                self.workers = 1
                analyses = prepare_many(batch.texts)
        else:
            analyses = result
        by_id = dict(zip(batch.fresh, analyses))
        self.commits.begin()  # the group's transaction (a failure rolls the group back)
        self._index_cache.check(self.db)
        repo.ensure_dataset(self.db, self.summary.dataset)
        for aid, raw in zip(batch.ids, batch.raws):
            self._store_one(raw, aid, by_id.pop(aid, None))
        duplicates.settle_index(self.db)
        self.commits.tick()

    def _store_one(self, raw: RawArticle, aid: str,
                   prepared: repo.PreparedArticle | str | None) -> None:
        s = self.summary
        if prepared is None or repo.article_exists(self.db, aid):
            s.articles_known += 1
            repo.add_to_dataset(self.db, s.dataset, aid)
            s.article_ids.append(aid)
            return
        if isinstance(prepared, str):
            _error(s, ReadError(raw.source, prepared), self.on_error)
            return
        if raw.title_from_text and prepared.title:
            raw = dataclasses.replace(raw, title=prepared.title)
        rowid = repo.insert_prepared(self.db, raw, prepared)
        repo.add_to_dataset(self.db, s.dataset, aid)
        search_store.add_index_terms(self.db, rowid, prepared.index_tokens, prepared.index_chars)
        s.duplicate_pairs += duplicates.index_article(
            self.db, aid, prepared.sketch, rowid=rowid, cache=self._index_cache,
            units=lambda: [Passage(*u) for u in prepared.units])
        s.articles_added += 1
        s.article_ids.append(aid)
        s.claims += len(prepared.claims)
        s.figures += len(prepared.figures)
        if not reads_figures(prepared.language):
            s.not_read[prepared.language] = s.not_read.get(prepared.language, 0) + 1


def import_paths(
    db: Database,
    paths: Iterable[str | os.PathLike],
    *,
    dataset: str = "default",
    progress: Progress | None = None,
    on_error: Callable[[ReadError], None] | None = None,
    on_warning: Callable[[ReadWarning], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    workers: int | None = None,
) -> ImportSummary:
    """Import files and folders into `dataset`. `workers` caps the analysis processes
    (default: one per core; 1 analyses in this process)."""
    if signoffs.signoff_state(db, dataset).signed_off:
        raise ImportRefused(
            f"dataset {dataset!r} is signed off and locked; import into another dataset, or "
            f"reopen it first (annotator reopen --dataset {dataset} --reviewer NAME --reason TEXT)")
    skipped: list = []
    loops: list[ReadWarning] = []
    files, missing = collect_files(paths, skipped, loops)
    summary = ImportSummary(dataset=dataset, skipped=skipped)
    for err in missing:
        _error(summary, err, on_error)
    for w in loops:
        _warning(summary, w, on_warning)
    commits = GroupedCommits(db, COMMIT_SECONDS, COMMIT_GAP)
    expected = _estimated_articles(files)
    importer = _Importer(db, summary, workers, on_error, commits, expected)
    pending: list[RawArticle] = []
    last_flush = time.monotonic()
    total = len(files)
    # Worker processes pay off for large imports only (starting one loads the dictionaries).
    parallel = expected >= PARALLEL_MIN
    if parallel and importer.workers > 1:
        # start the server that loads the dictionaries now, while the first files are read
        importer.warm_up()
    if progress:
        progress(0, total)
    # an import can be run again at no cost (identity is the text): bulk settings
    # every reference an import writes points at rows it wrote itself (or found just
    # before): SQLite need not check each one (see bulk_writes)
    with bulk_writes(db, check_references=False), contextlib.ExitStack() as cleanup:
        cleanup.callback(importer.close)
        cleanup.enter_context(commits)
        for done, path in enumerate(files, start=1):
            if cancelled and cancelled():
                summary.cancelled = True
                break
            summary.files += 1
            for item in read_file(path):
                if isinstance(item, ReadError):
                    _error(summary, item, on_error)
                elif isinstance(item, ReadWarning):
                    _warning(summary, item, on_warning)
                else:
                    pending.append(item)
                if len(pending) >= BATCH_ARTICLES:
                    importer.submit(pending, parallel)
                    last_flush = time.monotonic()
                    if cancelled and cancelled():
                        summary.cancelled = True
                        break
            if summary.cancelled:
                break
            if pending and time.monotonic() - last_flush >= BATCH_SECONDS:
                importer.submit(pending, parallel)
                last_flush = time.monotonic()
            if progress:
                progress(done, total)
        importer.submit(pending, parallel)
        importer.drain()  # what was read is stored, also when cancelled
    if not summary.article_ids and not summary.cancelled:
        with write_tx(db):
            repo.ensure_dataset(db, dataset)
    return summary


def _estimated_articles(files: list) -> int:
    n = 0
    for f in files:
        if f.suffix.lower() in _RECORD_SUFFIXES:
            try:
                n += f.stat().st_size // 2000
            except OSError:
                pass
        else:
            n += 1
    return n


def _error(summary: ImportSummary, err: ReadError, on_error) -> None:
    summary.errors.append(err)
    if on_error:
        on_error(err)


def _warning(summary: ImportSummary, w: ReadWarning, on_warning) -> None:
    summary.warnings.append(w)
    if on_warning:
        on_warning(w)
