"""Counts for the stats command, the window's status bar and the dataset view."""

from __future__ import annotations

from typing import Optional

from sqlite_utils import Database

from annotator.storage.articles import dataset_names

STATUSES = ("unreviewed", "confirmed", "corrected", "flagged")


def dataset_stats(db: Database, dataset: Optional[str] = None) -> list[dict]:
    names = [dataset] if dataset else dataset_names(db)
    out = []
    for name in names:
        articles = db.execute("SELECT COUNT(*) FROM dataset_articles WHERE dataset = ?",
                              [name]).fetchone()[0]
        claims = db.execute(
            "SELECT COUNT(*) FROM claims c JOIN dataset_articles da ON da.article_id = c.article_id "
            "WHERE da.dataset = ?", [name]).fetchone()[0]
        by_status = {s: 0 for s in STATUSES}
        conflicts = 0
        total = 0
        for status, conflict, n in db.execute(
            "SELECT COALESCE(s.status, 'unreviewed'), COALESCE(s.conflict, 0), COUNT(*) "
            "FROM figures f JOIN dataset_articles da ON da.article_id = f.article_id "
            "LEFT JOIN figure_state s ON s.figure_id = f.id WHERE da.dataset = ? "
            "GROUP BY 1, 2", [name]):
            by_status[status] = by_status.get(status, 0) + n
            total += n
            if conflict:
                conflicts += n
        out.append({"dataset": name, "articles": articles, "claims": claims, "figures": total,
                    "figures_by_status": by_status, "conflicts": conflicts,
                    "reviewed": total - by_status["unreviewed"]})
    return out
