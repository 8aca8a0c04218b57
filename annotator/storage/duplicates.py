"""The persisted duplicate index and the passage pairs it finds.

Digests and band keys are stored as 64-bit integers against article rowids, in WITHOUT
ROWID tables, so the index for 100,000 articles stays a few tens of MB and a lookup is
one B-tree probe per key (two: see merge_recent).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from collections.abc import Iterable, Iterator

import numpy as np
from sqlite_utils import Database

from .clock import now_iso


def article_rowid(db: Database, article_id: str) -> int | None:
    row = db.execute("SELECT rowid FROM articles WHERE id = ?", [article_id]).fetchone()
    return row[0] if row else None


def article_id_of(db: Database, rowid: int) -> str | None:
    row = db.execute("SELECT id FROM articles WHERE rowid = ?", [rowid]).fetchone()
    return row[0] if row else None


def in_duplicate_index(db: Database, rowid: int) -> bool:
    return db.execute("SELECT 1 FROM dup_signatures WHERE article_rowid = ?",
                      [rowid]).fetchone() is not None


def add_to_index(db: Database, rowid: int, digests: Iterable[int], bands: Iterable[int],
                  signature: bytes) -> None:
    """Digests and band keys are the signed 64-bit keys of annotator.text.duplicates.
    They go to the recent tables (see merge_recent)."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO dup_digests_recent(digest, article_rowid) VALUES (?, ?)",
        [(d, rowid) for d in set(digests)])
    db.conn.executemany(
        "INSERT OR IGNORE INTO dup_bands_recent(band_key, article_rowid) VALUES (?, ?)",
        [(b, rowid) for b in bands])
    db.execute("INSERT OR REPLACE INTO dup_signatures(article_rowid, signature) VALUES (?, ?)",
               [rowid, signature])


# merge_recent moves the recent keys once they are about sqrt(RECENT_FACTOR * articles
# indexed) band keys (25 per article), and at least RECENT_MIN_ROWS: at 100,000
# articles, every 5,500 articles or so; at 10,000, every 1,700.
RECENT_FACTOR = 190_000
RECENT_MIN_ROWS = 2_500


def merge_recent(db: Database, *, force: bool = False) -> bool:
    """Move the recent tables' keys into dup_digests and dup_bands, when there are enough
    of them (or `force`); True if it did. The caller holds the write transaction.

    Digests and band keys are hashes: each key an import adds lands on a different page
    of a big table, so a commit of a few hundred articles dirtied thousands of its pages,
    each written to the WAL and later to the database. The recent tables are small, so a
    commit dirties few pages of them, and a merge walks the big tables once, in key order,
    for thousands of articles. Lookups read both, so a merge changes no answer.
    The best size balances the recent tables' pages rewritten by every commit against
    the big tables' pages rewritten by every merge, which grow with the index; hence a
    threshold that grows as the square root of the articles indexed."""
    recent = db.conn.execute("SELECT count(*) FROM dup_bands_recent").fetchone()[0]
    if not force:
        if recent < RECENT_MIN_ROWS:
            return False
        articles = db.conn.execute(
            "SELECT max(article_rowid) FROM dup_signatures").fetchone()[0] or 0
        if recent < math.sqrt(RECENT_FACTOR * articles):
            return False
    for table, key in (("dup_digests", "digest"), ("dup_bands", "band_key")):
        db.conn.execute(f"INSERT OR IGNORE INTO {table}({key}, article_rowid) "
                        f"SELECT {key}, article_rowid FROM {table}_recent ORDER BY {key}, "
                        "article_rowid")
        db.conn.execute(f"DELETE FROM {table}_recent")
    return True


def indexed_articles(db: Database) -> int:
    """About how many articles the index holds (the highest rowid indexed)."""
    return db.conn.execute("SELECT max(article_rowid) FROM dup_signatures").fetchone()[0] or 0


def all_keys(db: Database, parts: int = 32) -> Iterator[np.ndarray]:
    """Every digest and band key the index holds, as int64 arrays, one per range of keys
    (`parts` per table). SQLite joins each range's keys into text and numpy parses it:
    0.8 s for the 5 million keys of 100,000 articles, where making a row of each took
    2.6 s."""
    step = 2**64 // parts
    bounds = [-2**63 + i * step for i in range(parts)] + [2**63]
    for table, key in (("dup_digests", "digest"), ("dup_digests_recent", "digest"),
                       ("dup_bands", "band_key"), ("dup_bands_recent", "band_key")):
        for lo, hi in zip(bounds, bounds[1:]):
            if hi > 2**63 - 1:
                sql, args = f"{key} >= ?", [lo]
            else:
                sql, args = f"{key} >= ? AND {key} < ?", [lo, hi]
            (text,) = db.conn.execute(
                f"SELECT group_concat({key}) FROM {table} WHERE {sql}", args).fetchone()
            if text:
                yield np.fromstring(text, dtype=np.int64, sep=",")


def digest_postings(db: Database, digests: Iterable[int], limit: int) -> dict[int, list[int]]:
    """For each digest, the article rowids holding it (at most limit + 1, so a caller can
    tell a too-common digest from a rare one). One query for all the digests."""
    out: dict[int, list[int]] = {d: [] for d in set(digests)}
    items = list(out)
    for i in range(0, len(items), 500):
        chunk = items[i:i + 500]
        marks = ",".join("?" * len(chunk))
        for key, rowid in db.conn.execute(
                f"SELECT digest, article_rowid FROM (SELECT digest, article_rowid, ROW_NUMBER() "
                f"OVER (PARTITION BY digest) AS n FROM (SELECT digest, article_rowid FROM "
                f"dup_digests WHERE digest IN ({marks}) UNION ALL SELECT digest, article_rowid "
                f"FROM dup_digests_recent WHERE digest IN ({marks}))) WHERE n <= ?",
                [*chunk, *chunk, limit + 1]):
            out[key].append(rowid)
    return out


def band_holders(db: Database, bands: Iterable[int],
                 limit: int = 1000) -> list[tuple[int, int]]:
    """(band key, article rowid) for each article holding one of `bands` (at most about
    `limit` per key)."""
    keys = list(bands)
    if not keys:
        return []
    marks = ",".join("?" * len(keys))
    return db.conn.execute(
        f"SELECT band_key, article_rowid FROM dup_bands WHERE band_key IN ({marks}) UNION ALL "
        f"SELECT band_key, article_rowid FROM dup_bands_recent WHERE band_key IN ({marks}) "
        "LIMIT ?", [*keys, *keys, limit * len(keys)]).fetchall()


def signatures(db: Database, rowids: Iterable[int]) -> dict[int, bytes]:
    ids = list(rowids)
    out = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        out.update(db.execute(
            f"SELECT article_rowid, signature FROM dup_signatures WHERE article_rowid IN ({marks})",
            chunk).fetchall())
    return out


@dataclass(frozen=True)
class PairRow:
    id: str
    a_article: str
    a_start: int
    a_end: int
    b_article: str
    b_start: int
    b_end: int
    similarity: float
    scope: str


def pair_id_for(a_article: str, a_start: int, a_end: int, b_article: str, b_start: int,
                b_end: int) -> str:
    key = f"{a_article}:{a_start}:{a_end}:{b_article}:{b_start}:{b_end}"
    return "p-" + hashlib.sha256(key.encode()).hexdigest()[:16]


def insert_pair(db: Database, a_article: str, a: tuple[int, int], b_article: str,
                b: tuple[int, int], similarity: float, scope: str) -> PairRow | None:
    pid = pair_id_for(a_article, a[0], a[1], b_article, b[0], b[1])
    cur = db.execute(
        "INSERT OR IGNORE INTO passage_pairs(id, a_article, a_start, a_end, b_article, b_start, "
        "b_end, similarity, scope, found_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
        [pid, a_article, a[0], a[1], b_article, b[0], b[1], similarity, scope, now_iso()])
    if cur.rowcount == 0:
        return None
    return PairRow(pid, a_article, a[0], a[1], b_article, b[0], b[1], similarity, scope)


_PAIR_COLS = "id, a_article, a_start, a_end, b_article, b_start, b_end, similarity, scope"


def get_pair(db: Database, pair_id: str) -> PairRow | None:
    row = db.execute(f"SELECT {_PAIR_COLS} FROM passage_pairs WHERE id = ?", [pair_id]).fetchone()
    return PairRow(*row) if row else None


def pairs_of_article(db: Database, article_id: str) -> list[PairRow]:
    return [PairRow(*r) for r in db.execute(
        f"SELECT {_PAIR_COLS} FROM passage_pairs WHERE a_article = ? OR b_article = ? "
        "ORDER BY a_article = ? DESC, a_start, b_start", [article_id, article_id, article_id])]


def pair_status(db: Database, pair_id: str) -> str:
    row = db.execute("SELECT status FROM pair_state WHERE pair_id = ?", [pair_id]).fetchone()
    return row[0] if row else "unreviewed"


def set_pair_state(db: Database, pair_id: str, status: str, conflict: bool,
                   updated_at: str | None) -> None:
    if status == "unreviewed" and not conflict:
        db.execute("DELETE FROM pair_state WHERE pair_id = ?", [pair_id])
    else:
        db.execute("INSERT OR REPLACE INTO pair_state(pair_id, status, conflict, updated_at) "
                   "VALUES (?,?,?,?)", [pair_id, status, int(conflict), updated_at])


def add_link(db: Database, pair_id: str, kind: str, copy_id: str, source_id: str) -> None:
    db.conn.execute("INSERT OR IGNORE INTO duplicate_links(pair_id, kind, copy_id, source_id) "
                    "VALUES (?,?,?,?)", [pair_id, kind, copy_id, source_id])


@dataclass(frozen=True)
class Link:
    """A copy's claim or figure in a pair, and the first copy's it points at."""
    kind: str  # "claim" or "figure"
    copy_id: str
    source_id: str


def links_of_pair(db: Database, pair_id: str) -> list[Link]:
    return [Link(*r) for r in db.execute(
        "SELECT kind, copy_id, source_id FROM duplicate_links WHERE pair_id = ?", [pair_id])]


def recompute_duplicate_of(db: Database, kind: str, copy_id: str) -> None:
    """A copy points at the source of its earliest link whose pair is not rejected."""
    table = "claims" if kind == "claim" else "figures"
    db.conn.execute(
        f"UPDATE {table} SET duplicate_of = (SELECT l.source_id FROM duplicate_links l "
        "LEFT JOIN pair_state s ON s.pair_id = l.pair_id WHERE l.kind = ? AND l.copy_id = ? "
        "AND COALESCE(s.status, '') != 'rejected' ORDER BY l.rowid LIMIT 1) WHERE id = ?",
        [kind, copy_id, copy_id])


def point_copy_at(db: Database, kind: str, copy_id: str, source_id: str) -> None:
    """`recompute_duplicate_of` right after a link of a pair that is not rejected was
    added: the copy keeps the source it has (an earlier link), or takes this one."""
    table = "claims" if kind == "claim" else "figures"
    db.conn.execute(f"UPDATE {table} SET duplicate_of = ? WHERE id = ? AND duplicate_of IS NULL",
                    [source_id, copy_id])


def copies_of_reviewed(db: Database, figure_ids: list[str]) -> set[str]:
    """Those of `figure_ids` that are copies of a figure with a review state (only they
    have a state to inherit)."""
    out: set[str] = set()
    for i in range(0, len(figure_ids), 500):
        chunk = figure_ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        out.update(r[0] for r in db.conn.execute(
            f"SELECT f.id FROM figures f JOIN figure_state s ON s.figure_id = f.duplicate_of "
            f"WHERE f.id IN ({marks})", chunk))
    return out


def pair_ids(db: Database, dataset: str | None = None) -> list[str]:
    """Every pair's id in the order found (those touching the dataset's articles)."""
    if dataset is None:
        return [r[0] for r in db.execute("SELECT id FROM passage_pairs ORDER BY rowid")]
    return [r[0] for r in db.execute(
        "SELECT p.id FROM passage_pairs p WHERE EXISTS (SELECT 1 FROM dataset_articles da "
        "WHERE da.dataset = ? AND da.article_id IN (p.a_article, p.b_article)) "
        "ORDER BY p.rowid", [dataset])]
