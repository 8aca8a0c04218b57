"""Articles, their boilerplate, claims and figures: writing an analysed article, reading
it back. Ids are content hashes, so the same file imported on two machines gets the
same article, claim and figure ids (which is what lets reviewers' work be merged).

A claim's or figure's id begins with 8 hex digits of its article's id, then 12 of its own
hash: the ids of one article sort together, so storing an article adds to one or two
pages of each id index instead of one page per claim and per figure (see
docs/adr/0004-import-pipeline-and-search-index.md; migration 0006 renamed the ids of
older databases the same way)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple
from collections.abc import Iterable, Iterator

from sqlite_utils import Database

from annotator.domain import Claim, Figure, RawArticle, Span

from .clock import now_iso

if TYPE_CHECKING:  # numpy and datasketch load only where sketches are made
    from annotator.text.duplicates import Sketch


def _h(*parts: object) -> str:
    return hashlib.sha256(":".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def article_id_for(text: str) -> str:
    return "a-" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _article_prefix(article_id: str) -> str:
    return article_id[2:10]


def claim_id_for(article_id: str, start: int, end: int) -> str:
    return "c-" + _article_prefix(article_id) + _h(article_id, start, end)[:12]


def figure_id_for(article_id: str, start: int, end: int, kind: str) -> str:
    return "f-" + _article_prefix(article_id) + _h(article_id, start, end, kind)[:12]


def id_fits(row_id, article_id: str, start: int, end: int, kind: str | None = None) -> bool:
    """Whether a claim (kind None) or figure with these offsets may have this id: the
    current form, or the form before migration 0006 (which reads the content of a
    database still holding it, to carry its signatures over; hashed only when the
    current form does not fit)."""
    if kind is None:
        return row_id == claim_id_for(article_id, start, end) or \
            row_id == "c-" + _h(article_id, start, end)
    return row_id == figure_id_for(article_id, start, end, kind) or \
        row_id == "f-" + _h(article_id, start, end, kind)


class SpanMismatch(ValueError):
    """A span's offsets do not select its surface text: refuse to store it."""


def _check(text: str, start: int, end: int, surface: str, what: str) -> None:
    if not selects(text, start, end, surface):
        raise SpanMismatch(f"{what} [{start}:{end}] does not select {surface!r}")


def selects(text: str, start, end, surface) -> bool:
    """Whether text[start:end] is `surface`, with offsets that are in range: a negative
    or stored-as-text offset must not pass by way of Python's slicing."""
    return (type(start) is int and type(end) is int and 0 <= start <= end <= len(text)
            and text[start:end] == surface)


def id_matches(article_id: str, text: str) -> bool:
    """Whether an article's stored text still hashes to its id: one SHA-256 of the text
    (about 500 MB/s), the check that the text was not changed or damaged since import."""
    return type(text) is str and article_id_for(text) == article_id


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


_CLAIM_COLS = ("id", "article_id", "seq", "start", "end", "text", "duplicate_of")
_FIGURE_COLS = ("id", "claim_id", "article_id", "seq", "start", "end", "text", "kind", "value",
                "value_max", "unit", "currency", "qualifier", "role", "link_id", "warnings",
                "duplicate_of", "reading")


@dataclass
class PreparedArticle:
    """An analysed article as the rows it will be stored as, with what the search and
    duplicate indexes take of it: built (and every span checked) without a database, so
    worker processes can do it and send back tuples, which cost far less to pass between
    processes than the dataclasses they came from (CONTEXT.md, Article shapes)."""

    id: str
    language: str
    script: str | None
    boilerplate: list[tuple]  # (article_id, start, end, rule): the boilerplate table's row
    claims: list[tuple]       # _CLAIM_COLS
    figures: list[tuple]      # _FIGURE_COLS
    # for the indexes (annotator.text.pipeline.Analysis gives them)
    sketch: Sketch | None = None
    index_tokens: str = ""
    index_chars: str = ""
    # the comparable sentences as (start, end, digest, folded): Passage's fields
    units: list[tuple[int, int, str, str]] = field(default_factory=list)
    title: str | None = None           # the first line outside boilerplate


def prepare_article(text: str, *, language: str, script: str | None,
                    boilerplate: Iterable[Span], claims: Iterable[Claim]) -> PreparedArticle:
    """Raises SpanMismatch if any claim or figure does not select its own text."""
    aid = article_id_for(text)
    claim_rows: list[tuple] = []
    figure_rows: list[tuple] = []
    for cseq, c in enumerate(claims):
        _check(text, c.start, c.end, c.text, "claim")
        cid = claim_id_for(aid, c.start, c.end)
        claim_rows.append((cid, aid, cseq, c.start, c.end, c.text, None))
        ids = [figure_id_for(aid, f.start, f.end, f.kind) for f in c.figures]
        for fseq, f in enumerate(c.figures):
            _check(text, f.start, f.end, f.text, "figure")
            link = ids[f.link] if f.link is not None and 0 <= f.link < len(ids) else None
            figure_rows.append(_figure_row(f, ids[fseq], cid, aid, len(figure_rows), link))
    return PreparedArticle(aid, language, script,
                           [(aid, sp.start, sp.end, sp.kind) for sp in boilerplate],
                           claim_rows, figure_rows)


def insert_prepared(db: Database, raw: RawArticle, prepared: PreparedArticle) -> int:
    """Store a prepared article (the caller holds the write transaction); its rowid."""
    text = raw.text
    cur = db.conn.execute(
        "INSERT INTO articles(id, source, title, url, date, external_id, language, script, "
        "encoding, format, chars, text, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [prepared.id, raw.source, raw.title, raw.url, raw.date, raw.external_id,
         prepared.language, prepared.script, raw.encoding, raw.fmt, len(text), text, now_iso()],
    )
    conn = db.conn
    if prepared.boilerplate:
        conn.executemany("INSERT INTO boilerplate(article_id, start, end, rule) VALUES (?,?,?,?)",
                         prepared.boilerplate)
    if prepared.claims:
        conn.executemany(f"INSERT INTO claims({', '.join(_CLAIM_COLS)}) VALUES "
                         f"({', '.join('?' * len(_CLAIM_COLS))})", prepared.claims)
    if prepared.figures:
        conn.executemany(f"INSERT INTO figures({', '.join(_FIGURE_COLS)}) VALUES "
                         f"({', '.join('?' * len(_FIGURE_COLS))})", prepared.figures)
    return cur.lastrowid


def insert_article(db: Database, raw: RawArticle, *, language: str, script: str | None,
                   boilerplate: Iterable[Span], claims: Iterable[Claim]) -> str:
    """Prepare and store one analysed article; its id. Every span is checked first: a
    mismatch raises before anything is written."""
    prepared = prepare_article(raw.text, language=language, script=script,
                               boilerplate=boilerplate, claims=claims)
    insert_prepared(db, raw, prepared)
    return prepared.id


def _figure_row(f: Figure, fid: str, cid: str, aid: str, seq: int, link: str | None) -> tuple:
    warnings = json.dumps([{"code": w.code, "message": w.message} for w in f.warnings],
                          ensure_ascii=False)
    return (fid, cid, aid, seq, f.start, f.end, f.text, f.kind, f.value, f.value_max, f.unit,
            f.currency, f.qualifier, f.role, link, warnings, None, f.reading)


@dataclass
class ArticleRow:
    id: str
    source: str
    title: str | None
    url: str | None
    date: str | None
    language: str | None
    script: str | None
    text: str


def get_article(db: Database, article_id: str) -> ArticleRow | None:
    row = db.execute(
        "SELECT id, source, title, url, date, language, script, text FROM articles WHERE id = ?",
        [article_id],
    ).fetchone()
    return ArticleRow(*row) if row else None


_FIGURES_OF_CLAIM = ("SELECT {columns} FROM figures WHERE article_id = (SELECT article_id "
                     "FROM claims WHERE id = ?1) AND claim_id = ?1 ORDER BY seq")


def figures_of_claim(db: Database, claim_id: str, columns: str = "id") -> list[tuple]:
    """`columns` of a claim's figures, in order. Found through the claim's article: the
    figures are indexed by article only (see migration 0005)."""
    return db.conn.execute(_FIGURES_OF_CLAIM.format(columns=columns), [claim_id]).fetchall()


def get_boilerplate(db: Database, article_id: str) -> list[Span]:
    return [Span(s, e, r) for s, e, r in db.execute(
        "SELECT start, end, rule FROM boilerplate WHERE article_id = ? ORDER BY start",
        [article_id])]


def dataset_names(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM datasets ORDER BY name")]


# More than this many datasets are counted, not listed, when a name is not among them.
LIST_DATASETS = 10


def unknown_dataset(db: Database, dataset: str) -> str | None:
    """None if the database has `dataset`; else the message that says so and names the
    datasets it does have (up to LIST_DATASETS of them): a typo in a dataset's name
    should show the right name beside it."""
    names = dataset_names(db)
    if dataset in names:
        return None
    if not names:
        known = "the database has no datasets yet"
    elif len(names) <= LIST_DATASETS:
        known = "datasets: " + ", ".join(names)
    else:
        known = f"{len(names)} datasets; annotator stats lists them"
    return f"no dataset named {dataset!r} ({known})"


def datasets_of_article(db: Database, article_id: str) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT dataset FROM dataset_articles WHERE article_id = ? ORDER BY dataset", [article_id])]


# --- reading what is stored, for checking it against itself ----------------------------

class StoredArticle(NamedTuple):
    id: str
    source: str
    chars: int | None
    text: str


class ClaimSpan(NamedTuple):
    id: str
    start: int
    end: int
    text: str


class FigureSpan(NamedTuple):
    id: str
    claim_id: str
    start: int
    end: int
    text: str
    kind: str


def stored_articles(db: Database) -> Iterator[StoredArticle]:
    """Every article, oldest first, one at a time (a large database's texts are not all
    held at once)."""
    for r in db.execute("SELECT id, source, chars, text FROM articles ORDER BY rowid"):
        yield StoredArticle(*r)


def stored_spans(db: Database,
                 article_id: str) -> tuple[list[ClaimSpan], list[FigureSpan]]:
    """An article's claims and figures as stored, in order."""
    claims = [ClaimSpan(*r) for r in db.execute(
        "SELECT id, start, end, text FROM claims WHERE article_id = ? ORDER BY seq",
        [article_id])]
    figures = [FigureSpan(*r) for r in db.execute(
        "SELECT id, claim_id, start, end, text, kind FROM figures WHERE article_id = ? "
        "ORDER BY seq", [article_id])]
    return claims, figures


def figure_ids_of_claim(db: Database, claim_id: str) -> list[str]:
    """A claim's figures, in order."""
    return [r[0] for r in figures_of_claim(db, claim_id)]


def figure_values(db: Database, figure_ids: list[str]) -> dict[str, float | None]:
    """Each figure's extracted value, by id."""
    out: dict[str, float | None] = {}
    for i in range(0, len(figure_ids), 500):
        chunk = figure_ids[i:i + 500]
        out.update(db.execute(
            f"SELECT id, value FROM figures WHERE id IN ({','.join('?' * len(chunk))})",
            chunk).fetchall())
    return out


def claim_exists(db: Database, claim_id: str) -> bool:
    return db.execute("SELECT 1 FROM claims WHERE id = ?", [claim_id]).fetchone() is not None


def figure_exists(db: Database, figure_id: str) -> bool:
    return db.execute("SELECT 1 FROM figures WHERE id = ?", [figure_id]).fetchone() is not None


def dataset_exists(db: Database, name: str) -> bool:
    return db.execute("SELECT 1 FROM datasets WHERE name = ?", [name]).fetchone() is not None


def article_count(db: Database) -> int:
    return db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]


def article_source(db: Database, article_id: str) -> str | None:
    """The file (or record) an article was read from; None for an unknown id."""
    row = db.execute("SELECT source FROM articles WHERE id = ?", [article_id]).fetchone()
    return row[0] if row else None


def figure_texts(db: Database, figure_ids: Iterable[str]) -> dict[str, str]:
    """Each figure's text as the article states it ("5.02万人"), by id."""
    ids = list(dict.fromkeys(figure_ids))
    out: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        out.update(db.execute(f"SELECT id, text FROM figures WHERE id IN "
                              f"({','.join('?' * len(chunk))})", chunk).fetchall())
    return out


def duplicate_source(db: Database, figure_id: str) -> str | None:
    """The figure a copy in a duplicated passage points at (None: not a copy)."""
    row = db.execute("SELECT duplicate_of FROM figures WHERE id = ?", [figure_id]).fetchone()
    return row[0] if row else None


def figure_ids_of_article(db: Database, article_id: str) -> list[str]:
    """An article's figures, in order."""
    return [r[0] for r in db.execute("SELECT id FROM figures WHERE article_id = ? ORDER BY seq",
                                     [article_id])]


def article_text(db: Database, article_id: str) -> str | None:
    row = db.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()
    return None if row is None else row[0]
