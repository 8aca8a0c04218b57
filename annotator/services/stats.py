"""Counts for the stats command, the window's status bar and the dataset view, and the
one wording of progress they all show."""

from __future__ import annotations


from sqlite_utils import Database

from annotator.storage import queries
from annotator.storage.articles import dataset_names
from annotator.storage.reanalysis import open_rereads
from annotator.text.language import not_read_note, reads_figures

__all__ = ["STATUSES", "dataset_stats", "not_read_note", "progress_text"]

STATUSES = ("unreviewed", "confirmed", "corrected", "flagged")


def progress_text(reviewed: int, inherited: int, total: int) -> str:
    """The one wording of a dataset's progress, for the status bar, the dataset overview
    and `annotator stats`: settled figures (the reviewers' own decisions plus the copies
    that inherit a first copy's, CONTEXT.md "Duplicate") of all figures, and the two
    parts apart when anything is inherited."""
    settled = reviewed + inherited
    share = f" ({settled * 100 // total}%)" if total else ""
    if not inherited:
        return f"{settled:,}/{total:,} figures reviewed{share}"
    return (f"{settled:,}/{total:,} figures settled{share}: {reviewed:,} reviewed + "
            f"{inherited:,} inherited")


def dataset_stats(db: Database, dataset: str | None = None) -> list[dict]:
    names = [dataset] if dataset else dataset_names(db)
    out = []
    for name in names:
        counts = queries.dataset_counts(db, name)
        articles, claims = counts.articles, counts.claims
        by_status = {s: 0 for s in STATUSES}
        conflicts = 0
        total = 0
        inherited = 0
        for state in counts.states:
            status, conflict, copy, n = state.status, state.conflict, state.inherited, \
                state.figures
            by_status[status] = by_status.get(status, 0) + n
            total += n
            if conflict:
                conflicts += n
            if copy and status != "unreviewed":
                inherited += n
        # articles in languages the figure engines do not read (no claims), by language
        not_read = {lang: n for lang, n in queries.articles_by_language(db, name).items()
                    if not reads_figures(lang)}
        settled = total - by_status["unreviewed"]
        reread = len(open_rereads(db, name))  # reviewed, then read differently (ADR 0011)
        # figures_by_status counts inherited states under their status; `reviewed` is
        # the reviewers' own decisions only, `settled` both (CONTEXT.md, Duplicate)
        out.append({"dataset": name, "articles": articles, "claims": claims, "figures": total,
                    "figures_by_status": by_status, "conflicts": conflicts,
                    "reviewed": settled - inherited, "inherited": inherited,
                    "settled": settled, "reread": reread, "not_read": not_read})
    return out
