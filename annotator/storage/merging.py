"""The SQL of a merge: reading another annotator database (read-only) and copying its
rows into this one. Which rows may come in, and what a refused merge says, is the team
service's (annotator.services.team, annotator.services.merge_checks).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from collections.abc import Iterator

from sqlite_utils import Database

from . import articles as repo


# --- the other database's shape ----------------------------------------------------------

@dataclass(frozen=True)
class SchemaObject:
    type: str
    name: str
    sql: str


def schema_objects(db: Database) -> list[SchemaObject]:
    """Everything sqlite_master lists (the SQL upper-cased, "" for none)."""
    return [SchemaObject(t, name, (sql or "").upper())
            for t, name, sql in db.execute("SELECT type, name, sql FROM sqlite_master")]


@dataclass(frozen=True)
class ColumnShape:
    """A column as PRAGMA table_info gives it."""
    name: str
    type: str
    not_null: int
    primary_key: int


def column_shapes(db: Database, table: str) -> tuple[ColumnShape, ...]:
    return tuple(ColumnShape(r[1], (r[2] or "").upper(), r[3], r[5]) for r in db.execute(
        "SELECT * FROM pragma_table_info(?)", [table]).fetchall())


def has_table(db: Database, table: str) -> bool:
    return table in db.table_names()


# --- reading the other database's events and rows, as they are stored ---------------------

EVENT_COLUMNS = ("id", "at", "reviewer", "action", "target_type", "target_id", "old_state",
                 "new_state", "note", "ref", "batch")


@dataclass(frozen=True)
class StoredEvent:
    """An event row as stored (any type SQLite holds; text undecodable as UTF-8 kept
    with surrogate escapes, so a check can name it instead of failing on it)."""
    rowid: int
    values: dict  # EVENT_COLUMNS -> value

    @property
    def fields(self) -> list:
        return [self.values[c] for c in EVENT_COLUMNS]


@contextmanager
def stored_events(db: Database) -> Iterator[Iterator[StoredEvent]]:
    """Every event row in rowid order, decoded leniently while the iteration runs."""
    conn = db.conn
    cursor = conn.cursor()
    cursor.row_factory = None
    old_factory = conn.text_factory
    conn.text_factory = lambda b: b.decode("utf-8", "surrogateescape")
    try:
        rows = cursor.execute(f"SELECT rowid, {', '.join(EVENT_COLUMNS)} FROM events "
                              "ORDER BY rowid")
        yield (StoredEvent(rowid, dict(zip(EVENT_COLUMNS, row))) for rowid, *row in rows)
    finally:
        conn.text_factory = old_factory


@dataclass(frozen=True)
class EventLink:
    """What an undo or redo chain needs of the event it refers to."""
    action: str
    ref: str | None
    target_type: str
    target_id: str
    reviewer: str


def event_link(db: Database, event_id: str) -> EventLink | None:
    row = db.execute("SELECT action, ref, target_type, target_id, reviewer FROM events "
                     "WHERE id = ?", [event_id]).fetchone()
    return EventLink(*row) if row else None


@dataclass(frozen=True)
class EventSignature:
    signer_key: str | None
    signature: str | None


def event_signature(db: Database, rowid: int) -> EventSignature:
    key, signature = db.execute("SELECT signer_key, signature FROM events WHERE rowid = ?",
                                [rowid]).fetchone()
    return EventSignature(key, signature)


def target_exists(db: Database, table: str, column: str, key) -> bool:
    """Whether `table` has a row whose `column` is `key` (table and column are annotator's
    own names, never input)."""
    return db.execute(f"SELECT 1 FROM {table} WHERE {column} = ?",
                      [key]).fetchone() is not None


@dataclass(frozen=True)
class DatasetRow:
    name: object
    required_signoffs: object
    created_at: object


def dataset_rows(db: Database) -> list[DatasetRow]:
    return [DatasetRow(*r) for r in db.execute(
        "SELECT name, required_signoffs, created_at FROM datasets ORDER BY rowid")]


def figures_without_finite_values(db: Database) -> list[str]:
    """Figures whose value or upper value is not a finite number (or null)."""
    return [r[0] for r in db.execute(
        "SELECT id FROM figures WHERE typeof(value) NOT IN ('integer', 'real', 'null') "
        "OR typeof(value_max) NOT IN ('integer', 'real', 'null') "
        "OR abs(value) > 1.7976931348623157e308 OR abs(value_max) > 1.7976931348623157e308 "
        "ORDER BY rowid")]


@dataclass(frozen=True)
class ArticleText:
    id: str
    text: str
    language: str | None
    script: str | None


def articles_with_text(db: Database) -> Iterator[ArticleText]:
    """Every article with its text, in the order they were stored."""
    for r in db.execute("SELECT id, text, language, script FROM articles ORDER BY rowid"):
        yield ArticleText(*r)


def datasets_of_target(dbs: tuple[Database, ...], target_type: str,
                       target_id: str) -> set[str]:
    """The datasets an event's target (a figure or a pair) belongs to, in any of `dbs`."""
    if target_type == "figure":
        sql = ("SELECT da.dataset FROM figures f JOIN dataset_articles da "
               "ON da.article_id = f.article_id WHERE f.id = ?")
    else:
        sql = ("SELECT da.dataset FROM passage_pairs p JOIN dataset_articles da "
               "ON da.article_id IN (p.a_article, p.b_article) WHERE p.id = ?")
    return {r[0] for d in dbs for r in d.execute(sql, [target_id])}


# --- copying rows in ----------------------------------------------------------------------

def defer_foreign_keys(db: Database) -> None:
    """Check references at the commit, not row by row (rows may point at rows copied
    later in the same transaction)."""
    db.execute("PRAGMA defer_foreign_keys = ON")


def update_statistics(db: Database) -> None:
    """Refresh the query planner's statistics after a bulk copy.

    A lead's database starts empty and receives everything through merges; without
    statistics SQLite reads the per-article event query of the export through the
    wrong index, which made a 10,000-figure export 35 times slower.
    """
    db.execute("PRAGMA analysis_limit = 1000")
    db.execute("ANALYZE")


def _columns(db: Database, table: str) -> list[str]:
    return [c.name for c in db[table].columns]


def _copy_rows(db: Database, other: Database, table: str, where: str, params: list) -> int:
    cols = _columns(db, table)
    names = ", ".join(cols)
    marks = ", ".join("?" * len(cols))
    n = 0
    for row in other.execute(f"SELECT {names} FROM {table} WHERE {where}", params):
        n += db.execute(f"INSERT OR IGNORE INTO {table}({names}) VALUES ({marks})",
                        list(row)).rowcount
    return n


def copy_datasets(db: Database, other: Database) -> int:
    return _copy_rows(db, other, "datasets", "1", [])


@dataclass
class CopiedArticles:
    articles: int = 0
    claims: int = 0
    figures: int = 0
    article_ids: list[str] = field(default_factory=list)  # in the order they were copied
    figure_ids: set[str] = field(default_factory=set)


def copy_articles(db: Database, other: Database) -> CopiedArticles:
    """Copy the articles missing here with their boilerplate, claims and figures."""
    out = CopiedArticles()
    theirs = [r[0] for r in other.execute("SELECT id FROM articles ORDER BY rowid")]
    for aid in theirs:
        if repo.article_exists(db, aid):
            continue
        out.articles += _copy_rows(db, other, "articles", "id = ?", [aid])
        out.article_ids.append(aid)
        _copy_rows(db, other, "boilerplate", "article_id = ?", [aid])
        out.claims += _copy_rows(db, other, "claims", "article_id = ?", [aid])
        out.figures += _copy_rows(db, other, "figures", "article_id = ?", [aid])
        out.figure_ids.update(r[0] for r in db.execute(
            "SELECT id FROM figures WHERE article_id = ?", [aid]))
        for table in ("claims", "figures"):
            # a duplicate whose first copy this database has under a different extraction
            db.execute(f"UPDATE {table} SET duplicate_of = NULL WHERE article_id = ? AND "
                       f"duplicate_of IS NOT NULL AND duplicate_of NOT IN (SELECT id FROM {table})",
                       [aid])
    return out


def row_exists(db: Database, table: str, row_id: str) -> bool:
    return target_exists(db, table, "id", row_id)


def copy_pairs(db: Database, other: Database) -> set[str]:
    """Copy duplicate pairs (and their claim/figure links) whose articles are both here.

    Pair ids are content hashes like figure ids, so reviewers' pair decisions meet too.
    """
    if not has_table(db, "passage_pairs"):
        return set()
    copied: set[str] = set()
    for pid, a, b in other.execute("SELECT id, a_article, b_article FROM passage_pairs"):
        if not row_exists(db, "passage_pairs", pid) and repo.article_exists(db, a) \
                and repo.article_exists(db, b):
            _copy_rows(db, other, "passage_pairs", "id = ?", [pid])
            copied.add(pid)
    for pid in copied:
        for kind, copy_id, source_id in other.execute(
                "SELECT kind, copy_id, source_id FROM duplicate_links WHERE pair_id = ? "
                "ORDER BY rowid", [pid]):
            table = "claims" if kind == "claim" else "figures"
            if row_exists(db, table, copy_id) and row_exists(db, table, source_id):
                db.execute("INSERT OR IGNORE INTO duplicate_links(pair_id, kind, copy_id, "
                           "source_id) VALUES (?,?,?,?)", [pid, kind, copy_id, source_id])
    return copied


def copy_memberships(db: Database, other: Database) -> int:
    n = 0
    for dataset, aid in other.execute(
            "SELECT dataset, article_id FROM dataset_articles ORDER BY dataset, seq"):
        if repo.article_exists(db, aid):
            n += repo.add_to_dataset(db, dataset, aid)
    return n


@dataclass
class CopiedEvents:
    events: int = 0
    targets: dict[str, set[str]] = field(default_factory=dict)  # target type -> ids


def copy_events(db: Database, other: Database) -> CopiedEvents:
    """Copy the events this database lacks (by id), oldest first."""
    cols = _columns(db, "events")
    names = ", ".join(cols)
    marks = ", ".join("?" * len(cols))
    tt, ti = cols.index("target_type"), cols.index("target_id")
    out = CopiedEvents()
    for row in other.execute(f"SELECT {names} FROM events ORDER BY at, rowid"):
        if db.execute(f"INSERT OR IGNORE INTO events({names}) VALUES ({marks})",
                      list(row)).rowcount:
            out.events += 1
            out.targets.setdefault(row[tt], set()).add(row[ti])
    return out
