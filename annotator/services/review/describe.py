"""Saying what a reviewer's decisions were, as the window's Undo and Redo and the
command line's undo say it: "confirm 5.02万 in <article title>"."""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterable

from sqlite_utils import Database

from annotator.services import browse
from annotator.services.review.undo import next_batches, origin
from annotator.storage import articles as repo
from annotator.storage import duplicates as dup_store
from annotator.storage import reviews as rv


@dataclass(frozen=True)
class NextSteps:
    """What the reviewer's next undo and next redo would act on, as `describe` says it;
    None where there is nothing to undo (or redo)."""
    undo: str | None
    redo: str | None


def next_steps(db: Database, reviewer: str, *, described: bool = True) -> NextSteps:
    """One read of the reviewer's recent history, for a window's Undo and Redo: they are
    enabled exactly when `undo` and `redo` would act, whoever wrote the events (the
    window, the command line, another window of the same reviewer). `described=False`
    answers "" for a step there is, without the queries that describe it."""
    reviewer = (reviewer or "").strip()
    if not reviewer:
        return NextSteps(None, None)
    undo_top, redo_top = next_batches(db, reviewer)

    def said(top: list[rv.Event] | None) -> str | None:
        if top is None:
            return None
        return describe(db, [origin(db, e) for e in top]) if described else ""

    return NextSteps(said(undo_top), said(redo_top))


_VERBS = {"adjudicate": "final decision on", "pair_confirm": "same passage",
          "pair_reject": "not a duplicate", "pair_clear": "clear passage pair"}
_NAMED = 3  # figures named in a description; the rest are counted


def describe(db: Database, decisions: Iterable[rv.Event]) -> str:
    """One action's events as a reviewer says it: "confirm 5.02万 in <article title>",
    "flag 4 figures (12%, 3,400, 2024, …) in <title>", "same passage in <a> and <b>".

    Give it the decisions themselves (`Changes.acted_on`, or `origin` of undo and redo
    events): an undo event's own action says only that it was an undo."""
    events = list(decisions)
    if not events:
        return ""
    action = events[0].action
    verb = _VERBS.get(action, action)
    figures = [e.target_id for e in events if e.target_type == "figure"]
    what = ""
    articles: list[str] = []
    if figures:
        surfaces = figure_surfaces(db, figures)
        names = [surfaces.get(f, f) for f in dict.fromkeys(figures)]
        what = names[0] if len(names) == 1 else (
            f"{len(names)} figures ({', '.join(names[:_NAMED])}"
            f"{', …' if len(names) > _NAMED else ''})")
        articles = [a for a in (browse.article_of_figure(db, f) for f in figures) if a]
    for e in events:
        if e.target_type == "pair":
            pair = dup_store.get_pair(db, e.target_id)
            if pair is not None:
                articles += [pair.a_article, pair.b_article]
    if action == "adjudicate" and events[0].new_state:
        verb = f"final decision ({events[0].new_state.get('status', 'unreviewed')}) on"
    phrase = f"{verb} {what}".strip()
    ordered = list(dict.fromkeys(articles))
    found = browse.article_summaries(db, ordered)
    labels = [found[a].label for a in ordered if a in found]
    if not labels:
        return phrase
    where = labels[0] if len(labels) == 1 else (
        f"{labels[0]} and {labels[1]}" if len(labels) == 2 else f"{len(labels)} articles")
    return f"{phrase} in {where}"


def figure_surfaces(db: Database, figure_ids: Iterable[str]) -> dict[str, str]:
    """Each figure's text as the article states it ("5.02万人")."""
    return repo.figure_texts(db, figure_ids)
