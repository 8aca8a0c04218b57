"""The SQL of `annotator reanalyse`: an article's stored analysis replaced by a new one,
figure by figure, and the rereads of reviewed figures (migration 0008, ADR 0011)."""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterable

from sqlite_utils import Database

from .articles import _CLAIM_COLS, _FIGURE_COLS, PreparedArticle
from .db import now_iso

# the columns a reread compares and keeps: what a reviewer decided on
_READ_COLS = ("text", "kind", "value", "value_max", "unit", "currency", "reading")


@dataclass
class StoredFigure:
    id: str
    claim_id: str
    text: str
    kind: str
    value: float | None
    value_max: float | None
    unit: str | None
    currency: str | None
    reading: str | None
    start: int
    end: int
    reviewed: bool        # any review event on it


@dataclass
class Reread:
    figure_id: str
    article_id: str
    at: str
    old_text: str
    old_value: float | None
    old_value_max: float | None
    old_unit: str | None
    old_currency: str | None
    old_reading: str | None
    gone: bool
    new_text: str | None
    new_value: float | None
    new_value_max: float | None
    new_unit: str | None
    new_currency: str | None
    new_reading: str | None
    kind: str


def articles_to_reanalyse(db: Database, dataset: str | None) -> list[str]:
    """Every stored article (of one dataset), in a stable order."""
    if dataset is None:
        return [r[0] for r in db.execute("SELECT id FROM articles ORDER BY rowid")]
    return [r[0] for r in db.execute(
        "SELECT da.article_id FROM dataset_articles da JOIN articles a ON a.id = da.article_id "
        "WHERE da.dataset = ? ORDER BY a.rowid", [dataset])]


def stored_figures(db: Database, article_id: str) -> dict[str, StoredFigure]:
    rows = db.execute(
        "SELECT f.id, f.claim_id, f.text, f.kind, f.value, f.value_max, f.unit, f.currency, "
        "f.reading, f.start, f.end, EXISTS(SELECT 1 FROM events e WHERE e.target_type = 'figure' "
        "AND e.target_id = f.id) FROM figures f WHERE f.article_id = ? ORDER BY f.seq",
        [article_id])
    return {r[0]: StoredFigure(*r[:11], bool(r[11])) for r in rows}


def stored_claim_ids(db: Database, article_id: str) -> set[str]:
    return {r[0] for r in db.execute("SELECT id FROM claims WHERE article_id = ?", [article_id])}


def replace_analysis(db: Database, prepared: PreparedArticle, keep: Iterable[str],
                     language: str, script: str | None) -> None:
    """Store `prepared` as the article's analysis (the caller holds the write
    transaction). Figures of the new analysis are inserted or, when their id is stored
    already, updated in place (their reviews stay with them); stored figures the new
    analysis lacks are deleted, except those in `keep` (reviewed ones), which stay with
    their claims. Claims left without figures go; the boilerplate is replaced."""
    aid = prepared.id
    conn = db.conn
    keep = set(keep)
    new_ids = {row[0] for row in prepared.figures}
    old = {r[0]: r[1] for r in conn.execute("SELECT id, claim_id FROM figures WHERE article_id = ?",
                                            [aid])}
    doomed = [fid for fid in old if fid not in new_ids and fid not in keep]
    for fid in doomed:
        conn.execute("UPDATE figures SET duplicate_of = NULL WHERE duplicate_of = ?", [fid])
        conn.execute("UPDATE figures SET link_id = NULL WHERE link_id = ?", [fid])
        conn.execute("DELETE FROM figure_state WHERE figure_id = ?", [fid])
        conn.execute("DELETE FROM figure_rereads WHERE figure_id = ?", [fid])
        conn.execute("DELETE FROM figures WHERE id = ?", [fid])
    conn.executemany(
        f"INSERT OR IGNORE INTO claims({', '.join(_CLAIM_COLS)}) VALUES "
        f"({', '.join('?' * len(_CLAIM_COLS))})", prepared.claims)
    conn.executemany("UPDATE claims SET seq = ? WHERE id = ?",
                     [(row[2], row[0]) for row in prepared.claims])
    kept_rows = [fid for fid in old if fid in keep and fid not in new_ids]
    cols = [c for c in _FIGURE_COLS if c not in ("id", "duplicate_of")]
    for row in prepared.figures:
        values = dict(zip(_FIGURE_COLS, row))
        if row[0] in old:
            conn.execute(f"UPDATE figures SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
                         [values[c] for c in cols] + [row[0]])
        else:
            conn.execute(f"INSERT INTO figures({', '.join(_FIGURE_COLS)}) VALUES "
                         f"({', '.join('?' * len(_FIGURE_COLS))})", list(row))
    n = len(prepared.figures)  # kept figures follow the new ones in reading order
    for offset, fid in enumerate(kept_rows):
        conn.execute("UPDATE figures SET seq = ? WHERE id = ?", [n + offset, fid])
    conn.execute("DELETE FROM claims WHERE article_id = ? AND NOT EXISTS "
                 "(SELECT 1 FROM figures f WHERE f.claim_id = claims.id)", [aid])
    conn.execute("DELETE FROM boilerplate WHERE article_id = ?", [aid])
    conn.executemany("INSERT INTO boilerplate(article_id, start, end, rule) VALUES (?,?,?,?)",
                     prepared.boilerplate)
    conn.execute("UPDATE articles SET language = ?, script = ? WHERE id = ?",
                 [language, script, aid])


def record_reread(db: Database, old: StoredFigure, new: dict | None) -> None:
    """A reviewed figure read differently (`new`, the new row's values) or no longer
    found (`new` None). A reread still open keeps the reading reviewers last saw."""
    at = now_iso()
    prev = db.execute("SELECT old_text, old_value, old_value_max, old_unit, old_currency, "
                      "old_reading FROM figure_rereads WHERE figure_id = ? AND at > COALESCE("
                      "(SELECT MAX(e.at) FROM events e WHERE e.target_type = 'figure' "
                      "AND e.target_id = ?), '')", [old.id, old.id]).fetchone()
    before = list(prev) if prev else [old.text, old.value, old.value_max, old.unit,
                                      old.currency, old.reading]
    after = [None] * 6 if new is None else [new["text"], new["value"], new["value_max"],
                                            new["unit"], new["currency"], new["reading"]]
    db.conn.execute(
        "INSERT OR REPLACE INTO figure_rereads(figure_id, at, old_text, old_value, old_value_max, "
        "old_unit, old_currency, old_reading, gone, new_text, new_value, new_value_max, new_unit, "
        "new_currency, new_reading) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [old.id, at, *before, int(new is None), *after])


def open_reread_at(db: Database, figure_id: str) -> str | None:
    """When the figure was last read differently, if no review came after it."""
    row = db.execute(
        "SELECT r.at FROM figure_rereads r WHERE r.figure_id = ? AND r.at > COALESCE("
        "(SELECT MAX(e.at) FROM events e WHERE e.target_type = 'figure' AND e.target_id = ?), '')",
        [figure_id, figure_id]).fetchone()
    return row[0] if row else None


_OPEN = ("r.at > COALESCE((SELECT MAX(e.at) FROM events e WHERE e.target_type = 'figure' "
         "AND e.target_id = r.figure_id), '')")


def open_rereads(db: Database, dataset: str | None = None,
                 figure_ids: Iterable[str] | None = None) -> list[Reread]:
    """Rereads no reviewer has answered yet (of one dataset, or of these figures)."""
    sql = ("SELECT r.figure_id, f.article_id, r.at, r.old_text, r.old_value, r.old_value_max, "
           "r.old_unit, r.old_currency, r.old_reading, r.gone, r.new_text, r.new_value, "
           "r.new_value_max, r.new_unit, r.new_currency, r.new_reading, f.kind "
           "FROM figure_rereads r JOIN figures f ON f.id = r.figure_id WHERE " + _OPEN)
    params: list = []
    if dataset is not None:
        sql += (" AND f.article_id IN (SELECT article_id FROM dataset_articles "
                "WHERE dataset = ?)")
        params.append(dataset)
    if figure_ids is not None:
        ids = list(figure_ids)
        if not ids:
            return []
        sql += f" AND r.figure_id IN ({','.join('?' * len(ids))})"
        params += ids
    rows = db.execute(sql + " ORDER BY f.article_id, f.seq", params).fetchall()
    return [Reread(*r[:9], bool(r[9]), *r[10:]) for r in rows]
