"""Articles, their boilerplate, claims and figures: writing an analysed article, reading
it back. Ids are content hashes, so the same file imported on two machines gets the
same article, claim and figure ids (which is what lets reviewers' work be merged)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Iterable, Optional

from sqlite_utils import Database

from annotator.domain import Claim, Figure, RawArticle, Span

from .db import now_iso


def _h(*parts: object) -> str:
    return hashlib.sha256(":".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def article_id_for(text: str) -> str:
    return "a-" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def claim_id_for(article_id: str, start: int, end: int) -> str:
    return "c-" + _h(article_id, start, end)


def figure_id_for(article_id: str, start: int, end: int, kind: str) -> str:
    return "f-" + _h(article_id, start, end, kind)


class SpanMismatch(ValueError):
    """A span's offsets do not select its surface text: refuse to store it."""


def _check(text: str, start: int, end: int, surface: str, what: str) -> None:
    if not (0 <= start <= end <= len(text)) or text[start:end] != surface:
        raise SpanMismatch(f"{what} [{start}:{end}] does not select {surface!r}")


def ensure_dataset(db: Database, name: str) -> None:
    db.execute("INSERT OR IGNORE INTO datasets(name, created_at) VALUES (?, ?)", [name, now_iso()])


def article_exists(db: Database, article_id: str) -> bool:
    return db.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone() is not None


def in_dataset(db: Database, dataset: str, article_id: str) -> bool:
    row = db.execute("SELECT 1 FROM dataset_articles WHERE dataset = ? AND article_id = ?",
                     [dataset, article_id]).fetchone()
    return row is not None


def add_to_dataset(db: Database, dataset: str, article_id: str) -> bool:
    """Returns True when the article was not yet in the dataset."""
    ensure_dataset(db, dataset)
    cur = db.execute(
        "INSERT OR IGNORE INTO dataset_articles(dataset, article_id, seq) VALUES (?, ?, "
        "(SELECT COALESCE(MAX(seq), 0) + 1 FROM dataset_articles WHERE dataset = ?))",
        [dataset, article_id, dataset],
    )
    return cur.rowcount > 0


def insert_article(
    db: Database,
    raw: RawArticle,
    *,
    language: str,
    script: Optional[str],
    boilerplate: Iterable[Span],
    claims: Iterable[Claim],
    return_rowid: bool = False,
):
    """Store one analysed article (caller holds the write transaction) and return its id
    (or its rowid). Every span is checked against the text first; a mismatch raises
    before anything is written."""
    text = raw.text
    aid = article_id_for(text)
    claims = list(claims)
    boilerplate = list(boilerplate)
    claim_rows, figure_rows = [], []
    for cseq, c in enumerate(claims):
        _check(text, c.start, c.end, c.text, "claim")
        cid = claim_id_for(aid, c.start, c.end)
        claim_rows.append(dict(id=cid, article_id=aid, seq=cseq, start=c.start, end=c.end,
                               text=c.text, duplicate_of=None))
        ids = [figure_id_for(aid, f.start, f.end, f.kind) for f in c.figures]
        for fseq, f in enumerate(c.figures):
            _check(text, f.start, f.end, f.text, "figure")
            link = ids[f.link] if f.link is not None and 0 <= f.link < len(ids) else None
            figure_rows.append(_figure_row(f, ids[fseq], cid, aid, len(figure_rows), link))
    cur = db.conn.execute(
        "INSERT INTO articles(id, source, title, url, date, external_id, language, script, "
        "encoding, format, chars, text, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [aid, raw.source, raw.title, raw.url, raw.date, raw.external_id, language, script,
         raw.encoding, raw.fmt, len(text), text, now_iso()],
    )
    _insert_many(db, "boilerplate",
                 [dict(article_id=aid, start=s.start, end=s.end, rule=s.kind) for s in boilerplate])
    _insert_many(db, "claims", claim_rows)
    _insert_many(db, "figures", figure_rows)
    return cur.lastrowid if return_rowid else aid


def _insert_many(db: Database, table: str, rows: list[dict]) -> None:
    """Plain executemany: the rows are already shaped, no need for sqlite-utils' type
    detection on the import's hot path."""
    if not rows:
        return
    cols = list(rows[0])
    sql = f"INSERT INTO {table}({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    db.conn.executemany(sql, [[r[c] for c in cols] for r in rows])


def _figure_row(f: Figure, fid: str, cid: str, aid: str, seq: int, link: Optional[str]) -> dict:
    return dict(
        id=fid, claim_id=cid, article_id=aid, seq=seq, start=f.start, end=f.end, text=f.text,
        kind=f.kind, value=f.value, value_max=f.value_max, unit=f.unit, currency=f.currency,
        qualifier=f.qualifier, role=f.role, link_id=link,
        warnings=json.dumps([{"code": w.code, "message": w.message} for w in f.warnings],
                            ensure_ascii=False),
        duplicate_of=None,
    )


@dataclass
class ArticleRow:
    id: str
    source: str
    title: Optional[str]
    url: Optional[str]
    date: Optional[str]
    language: Optional[str]
    script: Optional[str]
    text: str


def get_article(db: Database, article_id: str) -> Optional[ArticleRow]:
    row = db.execute(
        "SELECT id, source, title, url, date, language, script, text FROM articles WHERE id = ?",
        [article_id],
    ).fetchone()
    return ArticleRow(*row) if row else None


def get_boilerplate(db: Database, article_id: str) -> list[Span]:
    return [Span(s, e, r) for s, e, r in db.execute(
        "SELECT start, end, rule FROM boilerplate WHERE article_id = ? ORDER BY start",
        [article_id])]


def dataset_names(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM datasets ORDER BY name")]


def datasets_of_article(db: Database, article_id: str) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT dataset FROM dataset_articles WHERE article_id = ? ORDER BY dataset", [article_id])]
