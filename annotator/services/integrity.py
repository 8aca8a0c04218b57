"""Checking that what a database holds is what was imported: SQLite's own integrity
check, then every article against its id and every claim and figure against its text.

Ids are content hashes (annotator.storage.articles), so the data carries its own check:
an article's id is the hash of its text, a claim's id the hash of its article and
offsets, a figure's id the hash of its article, offsets and kind, and each span's
offsets must select its stored surface. A text changed by hand or by a damaged disk no
longer hashes to its id; export and merge refuse such an article instead of passing it
on under an id that vouches for different text. What no hash covers (a figure's value,
unit or review state) these checks cannot see.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from collections.abc import Callable, Iterable

from sqlite_utils import Database

from annotator.services.export.records import one_line
from annotator.storage import articles as repo
from annotator.storage.db import broken_references, integrity_report
from annotator.storage.migrations import migrations

Progress = Callable[[int, int], None]

# PRAGMA integrity_check stops after this many problems (SQLite's default is 100).
MAX_DATABASE_PROBLEMS = 20


@dataclass(frozen=True)
class Problem:
    """One thing wrong: `what` is database, article, claim or figure; `id` names it."""

    what: str
    id: str | None
    message: str

    def line(self) -> str:
        """One printable line: a damaged byte read as a surrogate is shown escaped."""
        line = f"{self.what} {self.id}: {self.message}" if self.id else \
            f"{self.what}: {self.message}"
        return " ".join(line.encode("utf-8", "backslashreplace").decode("utf-8").split())


@dataclass
class CheckReport:
    articles: int = 0
    claims: int = 0
    figures: int = 0
    problems: list[Problem] = field(default_factory=list)

    def line(self) -> str:
        return (f"ok: {self.articles} articles, {self.claims} claims, {self.figures} figures "
                "checked")


def check_database(db: Database, progress: Progress | None = None) -> CheckReport:
    """Every check, over the whole database; reads only."""
    report = CheckReport()
    report.problems += database_problems(db)
    try:
        total = repo.article_count(db)
        for art in repo.stored_articles(db):
            claims, figures = repo.stored_spans(db, art.id)
            report.articles += 1
            report.claims += len(claims)
            report.figures += len(figures)
            report.problems += article_problems(art.id, art.source, art.text, claims, figures,
                                                chars=art.chars)
            if progress and report.articles % 500 == 0:
                progress(report.articles, total)
    except sqlite3.DatabaseError as e:
        report.problems.append(Problem("database", None, f"reading the articles failed "
                                                         f"after {report.articles}: "
                                                         f"{one_line(e)}"))
    return report


def database_problems(db: Database) -> list[Problem]:
    """SQLite's full integrity check (pages, records, and that every index holds what
    its table does) and its check of the references between tables."""
    try:
        rows = integrity_report(db, MAX_DATABASE_PROBLEMS)
    except sqlite3.DatabaseError as e:
        return [Problem("database", None, f"cannot be checked: {one_line(e)}")]
    if rows != ["ok"]:
        # a row may hold several lines, headed by the schema's name
        return [Problem("database", None, line) for row in rows for line in row.splitlines()
                if line.strip() and not line.startswith("*** in database")]
    try:
        broken = broken_references(db)
    except sqlite3.DatabaseError as e:
        return [Problem("database", None,
                        f"references cannot be checked: {one_line(e)}")]
    return [Problem("database", None, f"{b.table} row {b.rowid} refers to a {b.parent} row "
                                      "that does not exist")
            for b in broken[:MAX_DATABASE_PROBLEMS]]


def schema_problem(db: Database) -> str | None:
    """Why the content checks cannot run on this database (an older or newer schema, not
    an annotator database at all), or None."""
    try:
        applied = {m.name for m in migrations.applied(db)}
    except sqlite3.DatabaseError as e:
        return f"cannot read its schema: {one_line(e)}"
    if not applied:
        return "not an annotator database"
    known = {m.name for m in migrations._migrations}
    if applied - known:
        return (f"written by a newer version of annotator (schema {sorted(applied - known)[-1]}); "
                "upgrade annotator to check it")
    if migrations.pending(db):
        return "written by an older annotator; open it once with this version to upgrade it"
    return None


def article_problems(article_id, source, text, claims: Iterable[tuple],
                     figures: Iterable[tuple], *, chars=None) -> list[Problem]:
    """What is wrong with one stored article: its id against its text, and each claim
    (id, start, end, text) and figure (id, claim_id, start, end, text, kind) against
    the text, its id and its claim. Nothing is read from a database here."""
    out: list[Problem] = []
    where = f"({source})" if source else "(no source)"
    if type(text) is not str:
        return [Problem("article", article_id, f"{where} its text is not stored as text")]
    if not repo.id_matches(article_id, text):
        out.append(Problem("article", article_id,
                           f"{where} its text does not match its id (it hashes to "
                           f"{repo.article_id_for(text)}): it was changed or damaged after it "
                           "was imported"))
    elif chars is not None and chars != len(text):
        out.append(Problem("article", article_id, f"{where} its stored length is {chars!r} "
                                                  f"but its text has {len(text)} characters"))
    spans: dict[str, tuple[int, int]] = {}
    with_figures: set = set()
    for cid, start, end, surface in claims:
        problem = _span_problem(text, start, end, surface, article_id)
        if problem is None and cid != repo.claim_id_for(article_id, start, end):
            problem = f"its id does not match article {article_id} and offsets [{start}:{end}]"
        if problem:
            out.append(Problem("claim", cid, problem))
        spans[cid] = (start, end)
    for fid, cid, start, end, surface, kind in figures:
        problem = _span_problem(text, start, end, surface, article_id)
        if problem is None and fid != repo.figure_id_for(article_id, start, end, kind):
            problem = (f"its id does not match article {article_id}, offsets [{start}:{end}] "
                       f"and kind {kind!r}")
        if problem is None:
            claim = spans.get(cid)
            if claim is None:
                problem = f"its claim {cid} is not a claim of article {article_id}"
            elif not claim[0] <= start <= end <= claim[1]:
                problem = f"offsets [{start}:{end}] lie outside its claim {cid} {list(claim)}"
        if problem:
            out.append(Problem("figure", fid, problem))
        with_figures.add(cid)
    out += [Problem("claim", cid, "has no figures (a claim is a sentence stating one)")
            for cid in spans if cid not in with_figures]
    return out


def _span_problem(text: str, start, end, surface, article_id: str) -> str | None:
    if repo.selects(text, start, end, surface):
        return None
    return (f"offsets [{start}:{end}] of article {article_id} do not select its text "
            f"{surface!r}")


def first_problem(db: Database) -> Problem | None:
    """The first problem `check_database` would report, stopping there (for refusing a
    database to merge from: one is enough)."""
    for problem in database_problems(db):
        return problem
    for art in repo.stored_articles(db):
        claims, figures = repo.stored_spans(db, art.id)
        for problem in article_problems(art.id, art.source, art.text, claims, figures,
                                        chars=art.chars):
            return problem
    return None
