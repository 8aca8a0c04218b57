"""Review use cases: confirm, correct, flag, clear, undo and redo.

Each call is one transaction that appends events and refreshes the derived state of
everything they touch; it returns a `Changes` summary that views refresh from. Undo lives
here, as events, so the CLI and the tests can undo exactly what the window can.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Optional

from sqlite_utils import Database

from annotator.domain import FIGURE_KINDS, FLAG_REASONS
from annotator.storage import articles as repo
from annotator.storage import reanalysis
from annotator.storage import reviews as rv
from annotator.storage.db import write_tx
from annotator.services.common import Changes, ReviewError, check_unlocked, reviewer_name


ACTIONS = ("confirm", "correct", "flag", "clear")


def normalise_reason(reason: Optional[str]) -> str:
    r = (reason or "").strip().lower().replace("-", "_").replace(" ", "_")
    if r not in FLAG_REASONS:
        raise ReviewError(f"unknown flag reason {reason!r}; use one of: {', '.join(FLAG_REASONS)}")
    return r


def figure_ids_of(db: Database, target_id: str) -> list[str]:
    """A figure id names itself; a claim id names all the claim's figures."""
    if db.execute("SELECT 1 FROM figures WHERE id = ?", [target_id]).fetchone():
        return [target_id]
    rows = repo.figures_of_claim(db, target_id)
    if rows:
        return [r[0] for r in rows]
    if db.execute("SELECT 1 FROM claims WHERE id = ?", [target_id]).fetchone():
        raise ReviewError(f"claim {target_id} has no figures")
    raise ReviewError(f"no figure or claim with id {target_id}")


def _new_state(action: str, *, value, unit, currency, kind, reason, note) -> dict:
    if action == "confirm":
        st = {"status": "confirmed"}
    elif action == "clear":
        return {"status": "unreviewed"}
    elif action == "correct":
        if value is not None and (not isinstance(value, (int, float)) or not math.isfinite(value)):
            raise ReviewError(f"corrected value must be a finite number, got {value!r}")
        if kind is not None and kind not in FIGURE_KINDS:
            raise ReviewError(f"unknown kind {kind!r}; use one of: {', '.join(FIGURE_KINDS)}")
        if value is None and unit is None and currency is None and kind is None:
            raise ReviewError("a correction needs a value, unit, currency or kind")
        st = {"status": "corrected", "value": value, "unit": unit, "currency": currency,
              "kind": kind}
    elif action == "flag":
        st = {"status": "flagged", "flag": normalise_reason(reason)}
    else:
        raise ReviewError(f"unknown action {action!r}; use one of: {', '.join(ACTIONS)}")
    if note:
        st["note"] = note
    return {k: v for k, v in st.items() if v is not None}


def review(
    db: Database,
    *,
    reviewer: str,
    target_id: str,
    action: str,
    value: Optional[float] = None,
    unit: Optional[str] = None,
    currency: Optional[str] = None,
    kind: Optional[str] = None,
    reason: Optional[str] = None,
    note: Optional[str] = None,
) -> Changes:
    """Record one reviewer decision on a figure (or on every figure of a claim)."""
    reviewer = reviewer_name(reviewer)
    new = _new_state(action, value=value, unit=unit, currency=currency, kind=kind,
                     reason=reason, note=note)
    with write_tx(db):
        fids = figure_ids_of(db, target_id)
        if action == "correct" and len(fids) > 1 and value is not None:
            raise ReviewError(f"claim {target_id} has {len(fids)} figures: correct one figure id")
        check_unlocked(db, fids)
        batch = rv.new_batch()
        changes = Changes()
        for fid in fids:
            events = rv.events_for(db, "figure", fid)
            old = rv.reviewer_state(events, reviewer)
            ev = rv.append_event(db, reviewer=reviewer, action=action, target_type="figure",
                                 target_id=fid, old_state=old, new_state=new, batch=batch,
                                 note=note)
            changes.events.append(ev.id)
        refresh_figures(db, fids, changes)
    return changes


def adjudicate(db: Database, *, reviewer: str, figure_id: str, action: str,
               value=None, unit=None, currency=None, kind=None, reason=None,
               note=None) -> Changes:
    """A lead's final decision on a figure in conflict (or any figure)."""
    reviewer = reviewer_name(reviewer)
    new = _new_state(action, value=value, unit=unit, currency=currency, kind=kind,
                     reason=reason, note=note)
    with write_tx(db):
        fids = figure_ids_of(db, figure_id)
        check_unlocked(db, fids)
        batch = rv.new_batch()
        changes = Changes()
        for fid in fids:
            old = rv.derive(rv.events_for(db, "figure", fid)).state
            ev = rv.append_event(db, reviewer=reviewer, action="adjudicate", target_type="figure",
                                 target_id=fid, old_state=old, new_state=new, batch=batch,
                                 note=note)
            changes.events.append(ev.id)
        refresh_figures(db, fids, changes)
    return changes


# --- derived state -------------------------------------------------------------------

def refresh_figures(db: Database, figure_ids: Iterable[str], changes: Changes) -> None:
    """Recompute derived state for these figures and for the copies that inherit it."""
    todo = list(dict.fromkeys(figure_ids))
    seen: set[str] = set()
    while todo:
        fid = todo.pop(0)
        if fid in seen:
            continue
        seen.add(fid)
        _refresh_one(db, fid)
        row = db.execute("SELECT claim_id, article_id FROM figures WHERE id = ?", [fid]).fetchone()
        if row:
            changes.figures.add(fid)
            changes.claims.add(row[0])
            changes.articles.add(row[1])
        todo.extend(r[0] for r in db.execute(
            "SELECT id FROM figures WHERE duplicate_of = ?", [fid]))


def _refresh_one(db: Database, fid: str) -> None:
    d = rv.derive(rv.events_for(db, "figure", fid))
    if (d.status != "unreviewed" or d.conflict) and reanalysis.open_reread_at(db, fid):
        # read differently since its last decision: back in front of reviewers (ADR 0011)
        d = rv.Derived("unreviewed", dict(rv.UNREVIEWED), False, d.reviewers, d.updated_at)
        rv.write_figure_state(db, fid, d)
        return
    if d.status == "unreviewed" and not d.conflict:
        src = db.execute("SELECT duplicate_of FROM figures WHERE id = ?", [fid]).fetchone()
        if src and src[0]:
            inherited = rv.figure_state(db, src[0])
            if inherited["status"] != "unreviewed":
                d = rv.Derived(inherited["status"],
                               {k: inherited.get(k) for k in rv.VERDICT_KEYS + ("note",)},
                               False, {}, d.updated_at)
                rv.write_figure_state(db, fid, d, inherited_from=src[0])
                return
    rv.write_figure_state(db, fid, d)


# --- undo / redo ----------------------------------------------------------------------

UNDOABLE = {"confirm", "correct", "flag", "clear", "adjudicate", "pair_confirm", "pair_reject"}


def _tops(db: Database, reviewer: str) -> tuple[Optional[list[rv.Event]],
                                                Optional[list[rv.Event]]]:
    """The batches the reviewer's next undo and next redo act on, or None.

    Equivalent to replaying all their events into an undo and a redo stack (an action
    pushes on the undo stack and clears the redo stack, an undo moves the top across, a
    redo moves it back), but read from the newest event backwards, so it costs what the
    reviewer's recent history costs, not all of it.
    """
    undo_top = redo_top = None
    later_undos = later_redos = 0
    redo_open = True  # no action newer than what we look at has cleared the redo stack
    for evs in rv.batches_by_reviewer_newest_first(db, reviewer):
        action = evs[0].action
        if action == "undo":
            if undo_top is None:
                later_undos += 1
            if redo_top is None and redo_open:
                if later_redos:
                    later_redos -= 1
                else:
                    redo_top = evs
        elif action in UNDOABLE or action == "redo":
            if undo_top is None:
                if later_undos:
                    later_undos -= 1
                else:
                    undo_top = evs
            if action == "redo":
                later_redos += 1
            else:
                redo_open = False
        if undo_top is not None and (redo_top is not None or not redo_open):
            break
    return undo_top, redo_top


def can_undo(db: Database, reviewer: str) -> bool:
    return _tops(db, reviewer)[0] is not None


def can_redo(db: Database, reviewer: str) -> bool:
    return _tops(db, reviewer)[1] is not None


def undo(db: Database, *, reviewer: str) -> Changes:
    """Undo the reviewer's last action (all the events it wrote, as one)."""
    return _undo_redo(db, reviewer_name(reviewer), "undo")


def redo(db: Database, *, reviewer: str) -> Changes:
    return _undo_redo(db, reviewer_name(reviewer), "redo")


def _undo_redo(db: Database, reviewer: str, kind: str) -> Changes:
    with write_tx(db):
        undo_top, redo_top = _tops(db, reviewer)
        top = undo_top if kind == "undo" else redo_top
        if top is None:
            raise ReviewError(f"nothing to {kind} for reviewer {reviewer}")
        batch = rv.new_batch()
        changes = Changes()
        figs: list[str] = []
        pairs: list[str] = []
        for e in top:
            if e.target_type == "figure":
                check_unlocked(db, [e.target_id])
            # undo restores what was before; redo re-applies what the undo took back
            restored = e.old_state
            ev = rv.append_event(db, reviewer=reviewer, action=kind, target_type=e.target_type,
                                 target_id=e.target_id, old_state=e.new_state,
                                 new_state=restored, batch=batch, ref=e.id)
            changes.events.append(ev.id)
            changes.acted_on.append(_origin(db, e))
            (figs if e.target_type == "figure" else pairs).append(e.target_id)
        refresh_figures(db, figs, changes)
        if pairs:
            from annotator.services.pairs import refresh_pairs

            refresh_pairs(db, pairs, changes)
    return changes


def _origin(db: Database, e: rv.Event) -> rv.Event:
    """The decision an undo or redo event goes back to (an undo of a redo of a confirm
    is about the confirm). A chain that comes back on itself ends where it would repeat:
    an undo event that refers to itself made Undo spin for ever holding the write lock."""
    by_id = {x.id: x for x in rv.events_for(db, e.target_type, e.target_id)}
    return rv._origin(e, by_id)  # stops at a cycle (an undo that refers to itself)


# --- saying what an undo or redo acts on ---------------------------------------------

@dataclass(frozen=True)
class NextSteps:
    """What the reviewer's next undo and next redo would act on, as `describe` says it;
    None where there is nothing to undo (or redo)."""
    undo: Optional[str]
    redo: Optional[str]


def next_steps(db: Database, reviewer: str, *, described: bool = True) -> NextSteps:
    """One read of the reviewer's recent history, for a window's Undo and Redo: they are
    enabled exactly when `undo` and `redo` would act, whoever wrote the events (the
    window, the command line, another window of the same reviewer). `described=False`
    answers "" for a step there is, without the queries that describe it."""
    reviewer = (reviewer or "").strip()
    if not reviewer:
        return NextSteps(None, None)
    undo_top, redo_top = _tops(db, reviewer)

    def said(top: Optional[list[rv.Event]]) -> Optional[str]:
        if top is None:
            return None
        return describe(db, [_origin(db, e) for e in top]) if described else ""

    return NextSteps(said(undo_top), said(redo_top))


_VERBS = {"adjudicate": "final decision on", "pair_confirm": "same passage",
          "pair_reject": "not a duplicate", "pair_clear": "clear passage pair"}
_NAMED = 3  # figures named in a description; the rest are counted


def describe(db: Database, decisions: Iterable[rv.Event]) -> str:
    """One action's events as a reviewer says it: "confirm 5.02万 in <article title>",
    "flag 4 figures (12%, 3,400, 2024, …) in <title>", "same passage in <a> and <b>".

    Give it the decisions themselves (`Changes.acted_on`, or `_origin` of undo and redo
    events): an undo event's own action says only that it was an undo."""
    from annotator.services import browse
    from annotator.storage import duplicates as dup_store

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
    ids = list(dict.fromkeys(figure_ids))
    if not ids:
        return {}
    return dict(db.execute(f"SELECT id, text FROM figures WHERE id IN ({','.join('?' * len(ids))})",
                           ids).fetchall())
