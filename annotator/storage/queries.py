"""Read-only queries behind the review window: article lists, one article's claims,
progress counts, the next figure still to review.

Everything here is a SELECT. The window can hold a dataset of 100,000 articles, so no
query reads every figure of a dataset unless it is asked to sort or count them all;
row details are fetched a page of ids at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterable, Sequence

from sqlite_utils import Database

from annotator.domain import Span

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


@dataclass(frozen=True)
class ArticleSummaryRow:
    """An article as a list shows it; `settled` counts the inherited figures too."""
    id: str
    title: str | None
    source: str
    language: str | None
    script: str | None
    chars: int
    figures: int
    settled: int
    warned: int
    inherited: int


def article_summary_rows(db: Database, ids: Sequence[str]) -> dict[str, ArticleSummaryRow]:
    """Each article's summary, by id."""
    out: dict[str, ArticleSummaryRow] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        for row in db.execute(
                f"SELECT {_SUMMARY_COLUMNS} FROM articles a WHERE a.id IN ({marks})", list(chunk)):
            out[row[0]] = ArticleSummaryRow(*row)
    return out


def _filter_clause(text: str | None) -> tuple[str, list]:
    """Matches title, source or id; the text is a literal (LIKE wildcards escaped)."""
    if not text or not text.strip():
        return "", []
    needle = "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return (" AND (a.title LIKE ? ESCAPE '\\' OR a.source LIKE ? ESCAPE '\\' "
            "OR a.id LIKE ? ESCAPE '\\')", [needle, needle, needle])


def dataset_article_ids(db: Database, dataset: str, *, filter_text: str | None = None,
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


@dataclass(frozen=True)
class DatasetSize:
    name: str
    articles: int


def dataset_sizes(db: Database) -> list[DatasetSize]:
    """Every dataset with its number of articles, by name."""
    return [DatasetSize(*r) for r in db.execute(
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


@dataclass(frozen=True)
class SettledCounts:
    settled: int  # the inherited ones too
    inherited: int


def dataset_settled_counts(db: Database, dataset: str) -> SettledCounts:
    """The dataset's settled and inherited figures in one walk of figure_state, as
    dataset_reviewed_count walks it."""
    row = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(s.inherited_from IS NOT NULL), 0) "
        "FROM figure_state s CROSS JOIN figures f ON f.id = s.figure_id "
        f"WHERE {_REVIEWED} AND EXISTS (SELECT 1 FROM dataset_articles da "
        "WHERE da.dataset = ? AND da.article_id = f.article_id)", [dataset]).fetchone()
    return SettledCounts(row[0], row[1])


@dataclass(frozen=True)
class ArticleDetail:
    """An article as the window opens it."""
    id: str
    title: str | None
    source: str
    url: str | None
    date: str | None
    language: str | None
    script: str | None
    text: str


def article_detail(db: Database, article_id: str) -> ArticleDetail | None:
    row = db.execute(
        "SELECT id, title, source, url, date, language, script, text FROM articles WHERE id = ?",
        [article_id]).fetchone()
    return ArticleDetail(*row) if row else None


@dataclass(frozen=True)
class ClaimRow:
    id: str
    seq: int
    start: int
    end: int
    text: str


def claims_in_order(db: Database, article_id: str) -> list[ClaimRow]:
    """The article's claims in reading order."""
    return [ClaimRow(*r) for r in db.execute(
        "SELECT id, seq, start, end, text FROM claims WHERE article_id = ? ORDER BY seq",
        [article_id])]


@dataclass(frozen=True)
class FigureRow:
    """A figure with its review state, as the window shows it (warnings as stored: JSON)."""
    id: str
    claim_id: str
    seq: int
    start: int
    end: int
    text: str
    kind: str
    value: float | None
    value_max: float | None
    unit: str | None
    currency: str | None
    qualifier: str | None
    warnings: str
    role: str | None
    link_id: str | None
    status: str
    conflict: bool
    corrected_value: float | None
    corrected_unit: str | None
    corrected_currency: str | None
    corrected_kind: str | None
    flag: str | None
    note: str | None
    reading: str | None  # how the engine read it (None: stored before migration 0008)


def _figure_row(row) -> FigureRow:
    values = list(row)
    values[16] = bool(values[16])
    return FigureRow(*values)


# in FigureRow's order
_FIGURE_COLUMNS = (
    "f.id, f.claim_id, f.seq, f.start, f.end, f.text, f.kind, f.value, f.value_max, f.unit, "
    "f.currency, f.qualifier, f.warnings, f.role, f.link_id, COALESCE(s.status, 'unreviewed'), "
    "COALESCE(s.conflict, 0), s.corrected_value, s.corrected_unit, s.corrected_currency, "
    "s.corrected_kind, s.flag, s.note, f.reading"
)


def figure_rows_of_article(db: Database, article_id: str) -> list[FigureRow]:
    return [_figure_row(r) for r in db.execute(
        f"SELECT {_FIGURE_COLUMNS} FROM figures f LEFT JOIN figure_state s ON s.figure_id = f.id "
        "WHERE f.article_id = ? ORDER BY f.seq", [article_id])]


def figure_rows_by_id(db: Database, figure_ids: Sequence[str]) -> list[FigureRow]:
    rows: list[FigureRow] = []
    for chunk in _chunks(list(figure_ids)):
        marks = ",".join("?" * len(chunk))
        rows += [_figure_row(r) for r in db.execute(
            f"SELECT {_FIGURE_COLUMNS} FROM figures f LEFT JOIN figure_state s "
            f"ON s.figure_id = f.id WHERE f.id IN ({marks})", list(chunk))]
    return rows


@dataclass(frozen=True)
class UnreviewedFigure:
    article_id: str
    seq: int  # the figure's place in its article
    figure_id: str


def unreviewed_figures_in(db: Database, article_ids: Sequence[str]) -> list[UnreviewedFigure]:
    """Every unreviewed figure of these articles, in each article's order."""
    rows: list[UnreviewedFigure] = []
    for chunk in _chunks(list(article_ids)):
        marks = ",".join("?" * len(chunk))
        rows += [UnreviewedFigure(*r) for r in db.execute(
            "SELECT f.article_id, f.seq, f.id FROM figures f "
            "LEFT JOIN figure_state s ON s.figure_id = f.id "
            f"WHERE f.article_id IN ({marks}) AND NOT ({_REVIEWED}) ORDER BY f.seq",
            list(chunk))]
    return rows


def boilerplate_spans(db: Database, article_id: str) -> list[Span]:
    """The article's boilerplate spans (with the rule that marked each), by start."""
    return [Span(*r) for r in db.execute(
        "SELECT start, end, rule FROM boilerplate WHERE article_id = ? ORDER BY start",
        [article_id])]


def article_id_of_figure(db: Database, figure_id: str) -> str | None:
    row = db.execute("SELECT article_id FROM figures WHERE id = ?", [figure_id]).fetchone()
    return row[0] if row else None


def quick_check_problems(db: Database) -> list[str]:
    """What PRAGMA quick_check finds wrong; empty when the file is sound."""
    rows = [r[0] for r in db.execute("PRAGMA quick_check").fetchall()]
    return [] if rows == ["ok"] else rows


@dataclass(frozen=True)
class ConflictRow:
    """A figure in conflict, with what a lead needs to see of it."""
    figure_id: str
    claim_id: str
    article_id: str
    title: str | None
    claim_text: str
    figure_text: str
    kind: str
    value: float | None
    unit: str | None


def figures_in_conflict(db: Database, dataset: str | None = None) -> list[ConflictRow]:
    """Figures whose stored state is a conflict, in article order (of the dataset)."""
    scope = ("JOIN dataset_articles da ON da.article_id = f.article_id AND da.dataset = ? "
             if dataset else "")
    order = "da.seq, f.seq" if dataset else "f.article_id, f.seq"
    return [ConflictRow(*r) for r in db.execute(
        "SELECT f.id, f.claim_id, f.article_id, a.title, c.text, f.text, f.kind, f.value, f.unit "
        "FROM figure_state s JOIN figures f ON f.id = s.figure_id "
        "JOIN claims c ON c.id = f.claim_id JOIN articles a ON a.id = f.article_id "
        f"{scope}WHERE s.conflict = 1 ORDER BY {order}", [dataset] if dataset else [])]


# --- a dataset's counts -------------------------------------------------------------------

@dataclass(frozen=True)
class StateCount:
    """How many of a dataset's figures have this status, conflict and inheritance."""
    status: str
    conflict: bool
    inherited: bool
    figures: int


@dataclass(frozen=True)
class DatasetCounts:
    articles: int
    claims: int
    states: list[StateCount]


def dataset_counts(db: Database, dataset: str) -> DatasetCounts:
    articles = db.execute("SELECT COUNT(*) FROM dataset_articles WHERE dataset = ?",
                          [dataset]).fetchone()[0]
    states = [StateCount(status, bool(conflict), bool(copy), n) for status, conflict, copy, n in
              db.execute(
                  "SELECT COALESCE(s.status, 'unreviewed'), COALESCE(s.conflict, 0), "
                  "s.inherited_from IS NOT NULL, COUNT(*) "
                  "FROM figures f JOIN dataset_articles da ON da.article_id = f.article_id "
                  "LEFT JOIN figure_state s ON s.figure_id = f.id WHERE da.dataset = ? "
                  "GROUP BY 1, 2, 3", [dataset])]
    return DatasetCounts(articles, claims_in_dataset(db, dataset), states)


def claims_in_dataset(db: Database, dataset: str) -> int:
    return db.execute(
        "SELECT COUNT(*) FROM claims c JOIN dataset_articles da ON da.article_id = c.article_id "
        "WHERE da.dataset = ?", [dataset]).fetchone()[0]


@dataclass(frozen=True)
class OpenWork:
    """What stands between a dataset and its sign-off."""
    figures: int
    unreviewed: int
    conflicts: int


def open_work_counts(db: Database, dataset: str) -> OpenWork:
    row = db.execute(
        "SELECT COUNT(*), "
        "SUM(CASE WHEN COALESCE(s.status, 'unreviewed') = 'unreviewed' "
        "AND COALESCE(s.conflict, 0) = 0 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN COALESCE(s.conflict, 0) = 1 THEN 1 ELSE 0 END) "
        "FROM figures f JOIN dataset_articles da ON da.article_id = f.article_id "
        "LEFT JOIN figure_state s ON s.figure_id = f.id WHERE da.dataset = ?",
        [dataset]).fetchone()
    return OpenWork(row[0], row[1] or 0, row[2] or 0)


def articles_by_language(db: Database, dataset: str) -> dict[str, int]:
    """How many of the dataset's articles are in each language ('und' for none), most
    first (a dict keeps that order)."""
    return dict(db.execute(
        "SELECT COALESCE(a.language, 'und'), COUNT(*) FROM articles a "
        "JOIN dataset_articles da ON da.article_id = a.id WHERE da.dataset = ? "
        "GROUP BY 1 ORDER BY 2 DESC, 1", [dataset]).fetchall())
