"""The replica's side of syncing with a hub: how far it has synced (`hub_cursors`,
migration 0009), what it has to send, and the bundles articles travel in.

An article travels as a bundle: its row and the rows of its boilerplate, claims and
figures, each a dict of the replica's columns, so that a replica receiving it stores
exactly what the sender stored (the ids are content hashes of it, and checked).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlite_utils import Database

EVENT_COLUMNS = ("id", "at", "reviewer", "action", "target_type", "target_id", "old_state",
                 "new_state", "note", "ref", "batch", "signer_key", "signature")
ALL = "*"  # the scope of a sync of every dataset
_PARTS = ("boilerplate", "claims", "figures")


# --- cursors ---------------------------------------------------------------------------------

def cursor(db: Database, hub: str, scope: str | None, kind: str) -> int:
    row = db.execute("SELECT position FROM hub_cursors WHERE hub = ? AND scope = ? AND kind = ?",
                     [hub, scope or ALL, kind]).fetchone()
    return row[0] if row else 0


def set_cursor(db: Database, hub: str, scope: str | None, kind: str, position: int) -> None:
    """Move a cursor forward (never back: two syncs at once each only add)."""
    db.execute("INSERT INTO hub_cursors(hub, scope, kind, position) VALUES (?, ?, ?, ?) "
               "ON CONFLICT (hub, scope, kind) DO UPDATE SET position = "
               "max(position, excluded.position)", [hub, scope or ALL, kind, position])


def pending(db: Database, hub: str | None, scope: str | None) -> int:
    """Signed events stored after the push position (for "n to send"); with no hub id
    (never reached), the position of the hub this database synced with last."""
    if hub is None:
        row = db.execute("SELECT hub FROM hub_cursors WHERE kind = 'push_events' "
                         "ORDER BY position DESC LIMIT 1").fetchone()
        hub = row[0] if row else ""
    after = cursor(db, hub, scope, "push_events")
    return db.execute("SELECT count(*) FROM events WHERE rowid > ? AND signer_key IS NOT NULL",
                      [after]).fetchone()[0]


def newest_rowid(db: Database) -> int:
    return db.execute("SELECT coalesce(max(rowid), 0) FROM events").fetchone()[0]


# --- what there is to send -------------------------------------------------------------------

_IN_DATASET = """(
    (e.target_type = 'dataset' AND e.target_id = :dataset)
    OR (e.target_type = 'figure' AND EXISTS (SELECT 1 FROM figures f JOIN dataset_articles da
        ON da.article_id = f.article_id WHERE f.id = e.target_id AND da.dataset = :dataset))
    OR (e.target_type = 'pair' AND EXISTS (SELECT 1 FROM passage_pairs p JOIN dataset_articles
        da ON da.article_id IN (p.a_article, p.b_article) WHERE p.id = e.target_id
        AND da.dataset = :dataset)))"""


def events_after(db: Database, after: int, limit: int, dataset: str | None) -> list[tuple]:
    """(rowid, *EVENT_COLUMNS) of the events stored after rowid `after`, in that order."""
    cols = ", ".join(f"e.{c}" for c in EVENT_COLUMNS)
    scope = f"AND {_IN_DATASET}" if dataset else ""
    return db.execute(f"SELECT e.rowid, {cols} FROM events e WHERE e.rowid > :after {scope} "
                      "ORDER BY e.rowid LIMIT :limit",
                      {"after": after, "limit": limit, "dataset": dataset}).fetchall()


def members_after(db: Database, after: int, limit: int, dataset: str | None) -> list[tuple]:
    """(rowid, dataset, article_id, seq) of the memberships stored after rowid `after`."""
    scope = "AND dataset = :dataset" if dataset else ""
    return db.execute(f"SELECT rowid, dataset, article_id, seq FROM dataset_articles WHERE "
                      f"rowid > :after {scope} ORDER BY rowid LIMIT :limit",
                      {"after": after, "limit": limit, "dataset": dataset}).fetchall()


def _chunks(items: Sequence, n: int = 500) -> Iterable[Sequence]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def present(db: Database, table: str, ids: Iterable[str]) -> set[str]:
    """Which of these ids this database's `table` (events, articles, passage_pairs) has."""
    assert table in ("events", "articles", "passage_pairs")
    out: set[str] = set()
    for chunk in _chunks(sorted(set(ids))):
        out.update(r[0] for r in db.execute(
            f"SELECT id FROM {table} WHERE id IN ({','.join('?' * len(chunk))})", list(chunk)))
    return out


def articles_of_targets(db: Database, targets: Iterable[tuple[str, str]]) -> set[str]:
    """The articles of these (figure, claim or pair, id) targets."""
    targets = list(targets)
    pairs = sorted({t[1] for t in targets if t[0] == "pair"})
    out: set[str] = set()
    for kind, table in (("figure", "figures"), ("claim", "claims")):
        ids = sorted({t[1] for t in targets if t[0] == kind})
        for chunk in _chunks(ids):
            out.update(r[0] for r in db.execute(
                f"SELECT DISTINCT article_id FROM {table} WHERE id IN "
                f"({','.join('?' * len(chunk))})", list(chunk)))
    for chunk in _chunks(pairs):
        for a, b in db.execute(f"SELECT a_article, b_article FROM passage_pairs WHERE id IN "
                               f"({','.join('?' * len(chunk))})", list(chunk)):
            out.update((a, b))
    return out


def pairs_of_targets(targets: Iterable[tuple[str, str]]) -> set[str]:
    return {t[1] for t in targets if t[0] == "pair"}


def datasets_of_targets(db: Database, targets: Iterable[tuple[str, str]]) -> set[str]:
    targets = list(targets)
    out = {t[1] for t in targets if t[0] == "dataset"}
    articles = sorted(articles_of_targets(db, targets))
    for chunk in _chunks(articles):
        out.update(r[0] for r in db.execute(
            f"SELECT DISTINCT dataset FROM dataset_articles WHERE article_id IN "
            f"({','.join('?' * len(chunk))})", list(chunk)))
    return out


def datasets(db: Database, names: Iterable[str] | None = None) -> list[tuple]:
    """(name, created_at, required_signoffs) of these datasets (all if None)."""
    rows = db.execute("SELECT name, created_at, required_signoffs FROM datasets "
                      "ORDER BY name").fetchall()
    if names is None:
        return rows
    wanted = set(names)
    return [r for r in rows if r[0] in wanted]


def memberships_of(db: Database, article_ids: Iterable[str]) -> list[tuple]:
    """(dataset, article_id, seq) of these articles."""
    out: list[tuple] = []
    for chunk in _chunks(sorted(set(article_ids))):
        out.extend(db.execute(f"SELECT dataset, article_id, seq FROM dataset_articles WHERE "
                              f"article_id IN ({','.join('?' * len(chunk))})", list(chunk)))
    return sorted(out)


def _rows(db: Database, table: str, where: str, params: list) -> list[dict]:
    cur = db.execute(f"SELECT * FROM {table} WHERE {where} ORDER BY rowid", params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def article_bundle(db: Database, article_id: str) -> dict:
    rows = _rows(db, "articles", "id = ?", [article_id])
    if not rows:
        raise KeyError(article_id)
    bundle = {"article": rows[0]}
    for part in _PARTS:
        bundle[part] = _rows(db, part, "article_id = ?", [article_id])
    return bundle


def pair_bundle(db: Database, pair_id: str) -> dict | None:
    rows = _rows(db, "passage_pairs", "id = ?", [pair_id])
    if not rows:
        return None
    return {"pair": rows[0], "links": _rows(db, "duplicate_links", "pair_id = ?", [pair_id])}


def duplicate_sources(bundles: dict[str, dict]) -> set[tuple[str, str]]:
    """The (claim or figure, id) rows these articles' copies point at (`duplicate_of`)
    that are not among them: a database holding the articles must hold those too."""
    have = {row["id"] for b in bundles.values() for part in ("claims", "figures")
            for row in b.get(part, [])}
    return {(kind, row["duplicate_of"]) for b in bundles.values()
            for kind, part in (("claim", "claims"), ("figure", "figures"))
            for row in b.get(part, []) if row.get("duplicate_of") and
            row["duplicate_of"] not in have}


# --- filling a database to merge from --------------------------------------------------------

def _insert(db: Database, table: str, row: dict, columns: set[str]) -> None:
    names = [k for k in row if k in columns]
    db.execute(f"INSERT OR IGNORE INTO {table}({', '.join(names)}) VALUES "
               f"({', '.join('?' * len(names))})", [row[k] for k in names])


def write_bundles(db: Database, bundles: dict[str, dict]) -> None:
    """Store articles as their bundles say (a database to merge from: foreign keys
    between its rows are checked by the merge's integrity check, not here)."""
    cols = {t: {c.name for c in db[t].columns} for t in ("articles", *_PARTS)}
    for bundle in bundles.values():
        _insert(db, "articles", bundle["article"], cols["articles"])
        for part in _PARTS:
            for row in bundle.get(part, []):
                _insert(db, part, row, cols[part])


def write_pairs(db: Database, pairs: dict[str, dict]) -> None:
    cols = {t: {c.name for c in db[t].columns} for t in ("passage_pairs", "duplicate_links")}
    for bundle in pairs.values():
        _insert(db, "passage_pairs", bundle["pair"], cols["passage_pairs"])
        for row in bundle.get("links", []):
            _insert(db, "duplicate_links", row, cols["duplicate_links"])


def write_datasets(db: Database, rows: Iterable[tuple]) -> None:
    for name, created_at, required in rows:
        db.execute("INSERT OR IGNORE INTO datasets(name, created_at, required_signoffs) "
                   "VALUES (?, ?, ?)", [name, created_at, required])


def write_members(db: Database, rows: Iterable[tuple]) -> None:
    """(dataset, article_id, position) rows, the position kept as the order."""
    for dataset, article_id, position in rows:
        db.execute("INSERT OR IGNORE INTO dataset_articles(dataset, article_id, seq) VALUES "
                   "(?, ?, ?)", [dataset, article_id, position])


def add_members(db: Database, rows: Iterable[tuple]) -> int:
    """Put articles this database has into datasets it has, at the end of each."""
    from annotator.storage.articles import add_to_dataset

    n = 0
    for dataset, article_id in rows:
        if db.execute("SELECT 1 FROM datasets WHERE name = ?", [dataset]).fetchone() and \
                db.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone():
            n += add_to_dataset(db, dataset, article_id)
    return n


def write_events(db: Database, rows: Iterable[Sequence]) -> None:
    marks = ", ".join("?" * len(EVENT_COLUMNS))
    db.conn.executemany(f"INSERT OR IGNORE INTO events({', '.join(EVENT_COLUMNS)}) VALUES "
                        f"({marks})", [list(r) for r in rows])
