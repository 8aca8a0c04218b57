"""What the review window reads: article summaries, one article with its claims, figures
and review state, progress, the next figure to review, search and script display.

Read-only: every write goes through annotator.services.review (or pairs). Kept free
of Qt so the same reads are tested without a window.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from collections.abc import Sequence

from sqlite_utils import Database

from annotator.domain import FigureWarning, Span, claim_status
from annotator.services import pairs as pair_service
from annotator.services.stats import progress_text
from annotator.storage import queries as q
from annotator.storage import reanalysis
from annotator.text import chinese
from annotator.text.figures.describe import describe_value

# The scripts the window can show an article in (see text.chinese.conversion_config).
DISPLAY_SCRIPTS = ("original", "hans", "hk", "tw")
DISPLAY_SCRIPT_LABELS = {
    "original": "Original",
    "hans": "Simplified",
    "hk": "Traditional (Hong Kong)",
    "tw": "Traditional (Taiwan)",
}


@dataclass(frozen=True)
class ArticleSummary:
    id: str
    title: str | None
    source: str
    language: str | None
    script: str | None
    chars: int
    figures: int
    settled: int  # reviewed by someone, or inherited from a first copy
    warned: int
    inherited: int = 0

    @property
    def label(self) -> str:
        return self.title or os.path.basename(self.source.rstrip("/")) or self.source

    @property
    def reviewed(self) -> int:
        """Figures settled by a decision of their own (not inherited)."""
        return self.settled - self.inherited

    @property
    def progress_text(self) -> str:
        if self.inherited:
            return f"{self.settled}/{self.figures} ({self.inherited} inherited)"
        return f"{self.settled}/{self.figures}"

    @property
    def progress_tooltip(self) -> str:
        return progress_text(self.reviewed, self.inherited, self.figures)

    @property
    def done(self) -> bool:
        return self.settled >= self.figures


@dataclass
class FigureView:
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
    warnings: list[FigureWarning]
    role: str | None
    link_id: str | None
    status: str = "unreviewed"
    conflict: bool = False
    corrected_value: float | None = None
    corrected_unit: str | None = None
    corrected_currency: str | None = None
    corrected_kind: str | None = None
    flag: str | None = None
    note: str | None = None
    reading: str | None = None  # how the engine read it; None if stored before migration 0008
    reread: str | None = None   # "was …, now …": read differently since its last decision

    @property
    def reviewed(self) -> bool:
        return self.status != "unreviewed"

    def value_text(self) -> str:
        """The engine's reading of the figure, as a reviewer checks it."""
        return format_value(self.value, self.value_max, self.unit, self.currency, self.kind)

    def corrected_text(self) -> str:
        if self.status != "corrected":
            return ""
        return format_value(
            self.corrected_value if self.corrected_value is not None else self.value,
            None if self.corrected_value is not None else self.value_max,
            self.corrected_unit or self.unit, self.corrected_currency or self.currency,
            self.corrected_kind or self.kind)


@dataclass
class ClaimView:
    id: str
    seq: int
    start: int
    end: int
    text: str
    figures: list[FigureView] = field(default_factory=list)

    @property
    def status(self) -> str:
        return claim_status([f.status for f in self.figures])


@dataclass
class ArticleView:
    id: str
    title: str | None
    source: str
    url: str | None
    date: str | None
    language: str | None
    script: str | None
    text: str
    boilerplate: list[Span]
    claims: list[ClaimView]
    pairs: list[dict]

    @property
    def figures(self) -> list[FigureView]:
        return [f for c in self.claims for f in c.figures]


# Kinds whose values are codes, not quantities: 2028 is a year, not "2,028".
PLAIN_KINDS = ("year", "date")


def format_number(v: float | None, grouped: bool = True) -> str:
    if v is None:
        return ""
    if float(v).is_integer() and abs(v) < 1e15:
        return f"{int(v):,}" if grouped else str(int(v))
    return f"{v:,.6g}" if abs(v) >= 1e6 else f"{v:g}"


def format_value(value, value_max, unit, currency, kind: str | None = None) -> str:
    """The figure's value as a reviewer reads it (dates as ????-06-28, not 628)."""
    return describe_value(kind, value, value_max, unit, currency)


def _figure(row: q.FigureRow) -> FigureView:
    warns = [FigureWarning(w.get("code", ""), w.get("message", ""))
             for w in json.loads(row.warnings)]
    return FigureView(**{**vars(row), "warnings": warns})


def article_summaries(db: Database, ids: Sequence[str]) -> dict[str, ArticleSummary]:
    return {aid: ArticleSummary(**vars(row))
            for aid, row in q.article_summary_rows(db, ids).items()}


def article_ids(db: Database, dataset: str, *, filter_text: str | None = None,
                sort: str = "seq", descending: bool = False) -> list[str]:
    return q.dataset_article_ids(db, dataset, filter_text=filter_text, sort=sort,
                                 descending=descending)


def datasets(db: Database) -> list[tuple[str, int]]:
    """(name, article count) of every dataset."""
    return [(d.name, d.articles) for d in q.dataset_sizes(db)]


def load_article(db: Database, article_id: str, *, pairs: bool = True) -> ArticleView | None:
    """`pairs=False` leaves the duplicate pairs out (they cost a query or two)."""
    art = q.article_detail(db, article_id)
    if art is None:
        return None
    aid = art.id
    claims = [ClaimView(c.id, c.seq, c.start, c.end, c.text) for c in q.claims_in_order(db, aid)]
    by_id = {c.id: c for c in claims}
    for frow in q.figure_rows_of_article(db, aid):
        fig = _figure(frow)
        claim = by_id.get(fig.claim_id)
        if claim is not None:
            claim.figures.append(fig)
    _mark_rereads(db, [f for c in claims for f in c.figures])
    return ArticleView(aid, art.title, art.source, art.url, art.date, art.language, art.script,
                       art.text, q.boilerplate_spans(db, aid), claims,
                       duplicate_pairs(db, aid) if pairs else [])


def article_of_figure(db: Database, figure_id: str) -> str | None:
    return q.article_id_of_figure(db, figure_id)


def figures_by_id(db: Database, figure_ids: Sequence[str]) -> dict[str, FigureView]:
    out = {row.id: _figure(row) for row in q.figure_rows_by_id(db, figure_ids)}
    _mark_rereads(db, list(out.values()))
    return out


def _mark_rereads(db: Database, figures: list[FigureView]) -> None:
    """Reviewed figures `annotator reanalyse` read differently (ADR 0011)."""
    reviewed_before = [f for f in figures if f.status == "unreviewed"]
    if not reviewed_before:
        return
    by_id = {f.id: f for f in reviewed_before}
    for r in reanalysis.open_rereads(db, figure_ids=list(by_id)):
        by_id[r.figure_id].reread = describe_reread(r)


@dataclass(frozen=True)
class Progress:
    """A dataset's progress: own decisions and inherited states counted apart."""

    reviewed: int
    total: int
    inherited: int = 0

    @property
    def settled(self) -> int:
        return self.reviewed + self.inherited

    def text(self) -> str:
        return progress_text(self.reviewed, self.inherited, self.total)


def dataset_progress(db: Database, dataset: str, total: int | None = None) -> Progress:
    """`total` when the caller has it already (it counts every figure of the dataset)."""
    counts = q.dataset_settled_counts(db, dataset)
    if total is None:
        total = q.dataset_figure_total(db, dataset)
    return Progress(counts.settled - counts.inherited, total, counts.inherited)


def dataset_total(db: Database, dataset: str) -> int:
    """Counts every figure of the dataset: call it once per dataset, not per action."""
    return q.dataset_figure_total(db, dataset)


def dataset_reviewed(db: Database, dataset: str) -> int:
    """Settled figures: own decisions and inherited states (dataset_progress splits them)."""
    return q.dataset_reviewed_count(db, dataset)


def integrity_problems(db: Database) -> list[str]:
    """Run off the GUI thread: on a large database this reads every page."""
    return q.quick_check_problems(db)


@dataclass(frozen=True)
class NextFigure:
    article_id: str
    figure_id: str
    index: int  # position of the article in the order searched


def next_unreviewed(db: Database, order: Sequence[str], *, start_index: int = 0,
                    after_seq: int | None = None, first_chunk: int = 16,
                    max_chunk: int = 512) -> NextFigure | None:
    """The first unreviewed figure after (article order[start_index], figure after_seq),
    going on through `order` and wrapping round to the start; None when all are done.

    Articles are asked about in growing chunks: the next unreviewed figure is usually
    close, and a small first query keeps a confirm-and-move fast.
    """
    n = len(order)
    if n == 0:
        return None
    start_index = min(max(start_index, 0), n - 1)
    offset, size = 0, first_chunk
    while offset <= n:
        count = min(size, n + 1 - offset)
        positions = [(start_index + offset + i) % n for i in range(count)]
        found = _first_in(db, order, positions, start_index, after_seq, wrapped_from=offset)
        if found is not None:
            return found
        offset += count
        size = min(size * 2, max_chunk)
    return None


def _first_in(db, order, positions, start_index, after_seq, wrapped_from) -> NextFigure | None:
    rows = q.unreviewed_figures_in(db, list(dict.fromkeys(order[p] for p in positions)))
    by_article: dict[str, list[tuple[int, str]]] = {}
    for r in rows:
        by_article.setdefault(r.article_id, []).append((r.seq, r.figure_id))
    for i, pos in enumerate(positions):
        figs = by_article.get(order[pos], [])
        if pos == start_index and after_seq is not None:
            first_visit = wrapped_from + i == 0
            figs = [f for f in figs if (f[0] > after_seq) == first_visit]
        if figs:
            return NextFigure(order[pos], figs[0][1], pos)
    return None


# --- duplicates and search ------------------------------------------------------------

def duplicate_pairs(db: Database, article_id: str) -> list[dict]:
    """Duplicate pairs touching the article ({"pair_id", "a", "b", "similarity", "scope",
    "status"})."""
    return list(pair_service.pairs_for_article(db, article_id))


def search_articles(db: Database, query: str, *, dataset: str | None = None,
                    limit: int = 200) -> list[dict]:
    """Hits {"article_id", "start", "end", "snippet"}, in either Chinese script."""
    if not query.strip():
        return []
    from annotator.services import search as search_service  # loads jieba: only when asked

    return list(search_service.search(db, query, dataset=dataset, limit=limit))


# --- showing an article in another script ---------------------------------------------

@dataclass(frozen=True)
class Displayed:
    """An article's text as shown, with the way back to stored offsets."""

    text: str
    offsets: chinese.OffsetMap | None = None

    def span_to_display(self, start: int, end: int) -> tuple[int, int]:
        return (start, end) if self.offsets is None else self.offsets.span_to_target(start, end)

    def to_source(self, offset: int) -> int:
        return offset if self.offsets is None else self.offsets.to_source(offset)


def display(text: str, article_script: str | None, target: str) -> Displayed:
    if target not in DISPLAY_SCRIPTS:
        raise ValueError(f"unknown script {target!r}; use one of {', '.join(DISPLAY_SCRIPTS)}")
    config = chinese.conversion_config(target, article_script)
    if config is None:
        return Displayed(text)
    converted, offsets = chinese.convert_with_offsets(text, config)
    return Displayed(converted, None if offsets.is_identity else offsets)


def describe_reread(r: reanalysis.Reread) -> str:
    """"was HKD 50,200 (5.02萬元), now CNY 50,200 (5.02万元)" or "... no longer found"."""
    was = describe_value(r.kind, r.old_value, r.old_value_max, r.old_unit, r.old_currency)
    old = f"was {was or '(no value)'} ({r.old_text})"
    if r.gone:
        return f"{old}; the engine no longer finds this figure"
    now = describe_value(r.kind, r.new_value, r.new_value_max, r.new_unit, r.new_currency)
    return f"{old}, now {now or '(no value)'} ({r.new_text})"


def reread_record(r: reanalysis.Reread) -> dict:
    """A reread as the commands print it in JSON."""
    return {"figure_id": r.figure_id, "article_id": r.article_id, "change": describe_reread(r)}
