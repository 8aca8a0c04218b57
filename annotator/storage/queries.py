"""Read-only queries behind the review window: article lists, one article's claims,
progress counts, the next figure still to review.

Everything here is a SELECT. The window can hold a dataset of 100,000 articles, so no
query reads every figure of a dataset unless it is asked to sort or count them all;
row details are fetched a page of ids at a time.
"""

from __future__ import annotations

from typing import Iterable, Optional, Sequence

from sqlite_utils import Database

# SQLite's default limit on host parameters is 32766; stay far below it.
MAX_IDS_PER_QUERY = 500

# A figure counts as reviewed once its derived status is anything but unreviewed
# (a figure in conflict is unreviewed until adjudicated).
_REVIEWED = "s.status IS NOT NULL AND s.status != 'unreviewed'"
# Of those, the ones whose state is a first copy's, inherited through a duplicate pair
# (CONTEXT.md, Duplicate): settled, but counted apart from the reviewers' own decisions.
_INHERITED = f"{_REVIEWED} AND s.inherited_from IS NOT NULL"

ARTICLE_SORTS = ("seq", "title", "progress", "language", "warnings")

_SUMMARY_COLUMNS = (
    "a.id, a.title, a.source, a.language, a.script, a.chars, "
    "(SELECT COUNT(*) FROM figures f WHERE f.article_id = a.id), "
    "(SELECT COUNT(*) FROM figures f JOIN figure_state s ON s.figure_id = f.id "
    f" WHERE f.article_id = a.id AND {_REVIEWED}), "
    "(SELECT COUNT(*) FROM figures f WHERE f.article_id = a.id AND f.warnings != '[]'), "
    "(SELECT COUNT(*) FROM figures f JOIN figure_state s ON s.figure_id = f.id "
    f" WHERE f.article_id = a.id AND {_INHERITED})"
)


def _chunks(ids: Sequence[str], size: int = MAX_IDS_PER_QUERY) -> Iterable[Sequence[str]]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def article_summary_rows(db: Database, ids: Sequence[str]) -> dict[str, tuple]:
    """(id, title, source, language, script, chars, figures, settled, warned, inherited)
    by id; settled counts inherited figures too."""
    out: dict[str, tuple] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        for row in db.execute(
                f"SELECT {_SUMMARY_COLUMNS} FROM articles a WHERE a.id IN ({marks})", list(chunk)):
            out[row[0]] = tuple(row)
    return out


def _filter_clause(text: Optional[str]) -> tuple[str, list]:
    """Matches title, source or id; the text is a literal (LIKE wildcards escaped)."""
    if not text or not text.strip():
        return "", []
    needle = "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return (" AND (a.title LIKE ? ESCAPE '\\' OR a.source LIKE ? ESCAPE '\\' "
            "OR a.id LIKE ? ESCAPE '\\')", [needle, needle, needle])


def dataset_article_ids(db: Database, dataset: str, *, filter_text: Optional[str] = None,
                        sort: str = "seq", descending: bool = False) -> list[str]:
    """Ids of a dataset's articles, filtered and sorted; only ids, so 100k cost little."""
    if sort not in ARTICLE_SORTS:
        raise ValueError(f"unknown sort {sort!r}; use one of {', '.join(ARTICLE_SORTS)}")
    where, params = _filter_clause(filter_text)
    direction = "DESC" if descending else "ASC"
    if sort == "progress":
        return _ids_by_progress(db, dataset, where, params, direction)
    if sort == "warnings":
        order = ("(SELECT COUNT(*) FROM figures f WHERE f.article_id = a.id "
                 f"AND f.warnings != '[]') {direction}, da.seq")
    else:
        order = {
            "seq": f"da.seq {direction}",
            "title": f"COALESCE(a.title, a.source) COLLATE NOCASE {direction}, da.seq",
            "language": f"a.language {direction}, da.seq",
        }[sort]
    join = "" if sort == "seq" and not where else "JOIN articles a ON a.id = da.article_id"
    sql = (f"SELECT da.article_id FROM dataset_articles da {join} "
           f"WHERE da.dataset = ?{where} ORDER BY {order}")
    return [r[0] for r in db.execute(sql, [dataset, *params])]


def _ids_by_progress(db: Database, dataset: str, where: str, params: list,
                     direction: str) -> list[str]:
    """Share of figures reviewed; an article without figures has nothing left to do.

    Reviewed counts come from figure_state (only figures someone acted on); totals from
    the figures_article index, so no figure row is read.
    """
    sql = (
        "SELECT da.article_id FROM dataset_articles da JOIN articles a ON a.id = da.article_id "
        "LEFT JOIN (SELECT f.article_id AS aid, COUNT(*) AS r FROM figure_state s "
        f"  CROSS JOIN figures f ON f.id = s.figure_id WHERE {_REVIEWED} "
        "  GROUP BY f.article_id) rv ON rv.aid = da.article_id "
        f"WHERE da.dataset = ?{where} "
        "ORDER BY COALESCE(COALESCE(rv.r, 0) * 1.0 / NULLIF((SELECT COUNT(*) FROM figures f "
        f"  WHERE f.article_id = da.article_id), 0), 1.0) {direction}, da.seq"
    )
    return [r[0] for r in db.execute(sql, [dataset, *params])]


def dataset_rows(db: Database) -> list[tuple[str, int]]:
    """(name, number of articles) of every dataset."""
    return [tuple(r) for r in db.execute(
        "SELECT d.name, (SELECT COUNT(*) FROM dataset_articles da WHERE da.dataset = d.name) "
        "FROM datasets d ORDER BY d.name")]


def dataset_figure_total(db: Database, dataset: str) -> int:
    return db.execute(
        "SELECT COUNT(*) FROM dataset_articles da JOIN figures f ON f.article_id = da.article_id "
        "WHERE da.dataset = ?", [dataset]).fetchone()[0]


def dataset_reviewed_count(db: Database, dataset: str) -> int:
    """Walks figure_state (only figures someone acted on), not every figure: CROSS JOIN
    keeps SQLite from starting at the dataset's articles instead."""
    return db.execute(
        "SELECT COUNT(*) FROM figure_state s CROSS JOIN figures f ON f.id = s.figure_id "
        f"WHERE {_REVIEWED} AND EXISTS (SELECT 1 FROM dataset_articles da "
        "WHERE da.dataset = ? AND da.article_id = f.article_id)", [dataset]).fetchone()[0]


def dataset_settled_counts(db: Database, dataset: str) -> tuple[int, int]:
    """(settled, inherited) figures of the dataset in one walk of figure_state, as
    dataset_reviewed_count walks it; settled includes the inherited ones."""
    row = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(s.inherited_from IS NOT NULL), 0) "
        "FROM figure_state s CROSS JOIN figures f ON f.id = s.figure_id "
        f"WHERE {_REVIEWED} AND EXISTS (SELECT 1 FROM dataset_articles da "
        "WHERE da.dataset = ? AND da.article_id = f.article_id)", [dataset]).fetchone()
    return row[0], row[1]


def article_row(db: Database, article_id: str) -> Optional[tuple]:
    return db.execute(
        "SELECT id, title, source, url, date, language, script, text FROM articles WHERE id = ?",
        [article_id]).fetchone()


def claim_rows(db: Database, article_id: str) -> list[tuple]:
    """(id, seq, start, end, text) in reading order."""
    return db.execute(
        "SELECT id, seq, start, end, text FROM claims WHERE article_id = ? ORDER BY seq",
        [article_id]).fetchall()


_FIGURE_COLUMNS = (
    "f.id, f.claim_id, f.seq, f.start, f.end, f.text, f.kind, f.value, f.value_max, f.unit, "
    "f.currency, f.qualifier, f.warnings, f.role, f.link_id, COALESCE(s.status, 'unreviewed'), "
    "COALESCE(s.conflict, 0), s.corrected_value, s.corrected_unit, s.corrected_currency, "
    "s.corrected_kind, s.flag, s.note, f.reading"
)


def figure_rows_of_article(db: Database, article_id: str) -> list[tuple]:
    return db.execute(
        f"SELECT {_FIGURE_COLUMNS} FROM figures f LEFT JOIN figure_state s ON s.figure_id = f.id "
        "WHERE f.article_id = ? ORDER BY f.seq", [article_id]).fetchall()


def figure_rows_by_id(db: Database, figure_ids: Sequence[str]) -> list[tuple]:
    rows: list[tuple] = []
    for chunk in _chunks(list(figure_ids)):
        marks = ",".join("?" * len(chunk))
        rows += db.execute(
            f"SELECT {_FIGURE_COLUMNS} FROM figures f LEFT JOIN figure_state s "
            f"ON s.figure_id = f.id WHERE f.id IN ({marks})", list(chunk)).fetchall()
    return rows


def unreviewed_figures_in(db: Database, article_ids: Sequence[str]) -> list[tuple[str, int, str]]:
    """(article_id, figure seq, figure_id) of every unreviewed figure of these articles."""
    rows: list[tuple[str, int, str]] = []
    for chunk in _chunks(list(article_ids)):
        marks = ",".join("?" * len(chunk))
        rows += [tuple(r) for r in db.execute(
            "SELECT f.article_id, f.seq, f.id FROM figures f "
            "LEFT JOIN figure_state s ON s.figure_id = f.id "
            f"WHERE f.article_id IN ({marks}) AND NOT ({_REVIEWED}) ORDER BY f.seq",
            list(chunk))]
    return rows


def boilerplate_rows(db: Database, article_id: str) -> list[tuple[int, int, str]]:
    return [tuple(r) for r in db.execute(
        "SELECT start, end, rule FROM boilerplate WHERE article_id = ? ORDER BY start",
        [article_id])]


def article_of_figure(db: Database, figure_id: str) -> Optional[str]:
    row = db.execute("SELECT article_id FROM figures WHERE id = ?", [figure_id]).fetchone()
    return row[0] if row else None


def integrity_problems(db: Database) -> list[str]:
    """What PRAGMA quick_check finds wrong; empty when the file is sound."""
    rows = [r[0] for r in db.execute("PRAGMA quick_check").fetchall()]
    return [] if rows == ["ok"] else rows
